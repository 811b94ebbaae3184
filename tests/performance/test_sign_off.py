"""Figures are signed off per service and period by the head of service (or an
administrator); until then pages and reports mark them provisional."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.access import may_sign_off
from performance.models import FigureSignOff
from performance.periods import Period
from performance.rules import sign_off_refusal
from performance.selectors import figures_awaiting_sign_off, indicator_statuses
from performance.services import (
    FiguresChanged,
    SignOffRefused,
    figures_fingerprint,
    sign_off_figures,
)
from tests import factories

pytestmark = pytest.mark.django_db
AUGUST = Period(2012, 8)
WHAT = "Licensing for August 2012"


# The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "refusal"),
    [
        ([], "No figure of Licensing for August 2012 is due: there is nothing to sign off."),
        ([("A1", "verified")], None),
        ([("A1", "estimate")], None),  # an estimate is a figure: the head may vouch for it
        ([("A1", "verified"), ("A2", "estimate")], None),
        ([("A1", "")], "no figure has been entered for A1."),
        ([("A1", "awaited")], "A1 is awaited."),
        ([("A1", "verified"), ("A2", "")], "no figure has been entered for A2."),
        ([("A1", "awaited"), ("A2", "awaited")], "A1, A2 are awaited."),
        (
            [("A1", ""), ("A2", "awaited"), ("A3", "verified"), ("A4", "")],
            "no figure has been entered for A1, A4; A2 is awaited.",
        ),
    ],
)
def test_every_figure_due_must_be_in_to_sign_off(due, refusal):
    found = sign_off_refusal(what=WHAT, due=due)
    if refusal is None:
        assert found is None
    elif refusal.startswith("No figure"):
        assert found == refusal
    else:
        assert found == f"The figures of {WHAT} cannot be signed off yet: {refusal}"


# Who may sign off ----------------------------------------------------------------------------


@pytest.fixture
def other_head(world):
    """The head of service B's portfolio, who is no head of service A."""
    head = factories.UserFactory(username="other_head")
    world.service_b.head_of_service.user = head
    world.service_b.head_of_service.save()
    return head


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("head", True),  # of service A's portfolio
        ("other_head", False),
        ("officer_a", False),  # enters the figures; does not vouch for them
        ("officer_b", False),
        ("member", False),
        ("anonymous", False),
    ],
)
def test_only_the_head_of_service_or_an_administrator_signs_off(
    world, other_head, persona, allowed
):
    from django.contrib.auth.models import AnonymousUser

    user = {"other_head": other_head, "anonymous": AnonymousUser()}.get(persona) or (
        world.persona(persona)
    )
    assert may_sign_off(user, world.service_a) is allowed
    figures = factories.IndicatorFactory(service=world.service_a)
    factories.ActualFactory(indicator=figures)
    if allowed:
        sign_off_figures(service=world.service_a, period=AUGUST, by=user)
        assert FigureSignOff.objects.get().by == user
    else:
        with pytest.raises(PermissionDenied):
            sign_off_figures(service=world.service_a, period=AUGUST, by=user)
        assert not FigureSignOff.objects.exists()


# What the service refuses --------------------------------------------------------------------


@pytest.fixture
def indicators(world):
    """Three monthly indicators of service A, targets 90."""
    made = []
    for code in ("LI01", "LI02", "LI03"):
        indicator = factories.IndicatorFactory(code=code, service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year, value=D("90"))
        made.append(indicator)
    return made


def test_a_missing_or_awaited_figure_refuses_the_sign_off_naming_it(world, indicators):
    factories.ActualFactory(indicator=indicators[0], value=D("95"))
    factories.ActualFactory(
        indicator=indicators[1], value=None, state="awaited", commentary="From Kent on 10th"
    )
    with pytest.raises(SignOffRefused) as refused:
        sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)
    assert str(refused.value) == (
        "The figures of Licensing for August 2012 cannot be signed off yet: no figure has been "
        "entered for LI03; LI02 is awaited."
    )
    assert not FigureSignOff.objects.exists()


def test_nothing_due_nothing_to_sign_off(world):
    factories.IndicatorFactory(service=world.service_a, frequency="quarterly")
    with pytest.raises(SignOffRefused, match="nothing to sign off"):
        sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)


def test_signed_off_once_only(world, indicators):
    for indicator in indicators:
        factories.ActualFactory(indicator=indicator)
    sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)
    with pytest.raises(SignOffRefused, match="already signed off by"):
        sign_off_figures(service=world.service_a, period=AUGUST, by=world.admin)
    assert FigureSignOff.objects.get().by == world.head


def test_a_period_not_ended_cannot_be_signed_off(world):
    with pytest.raises(SignOffRefused, match="before it has ended"):
        sign_off_figures(service=world.service_a, period=Period(2099, 8), by=world.admin)


def test_figures_changed_since_they_were_shown_refuse_the_sign_off(world, indicators):
    actuals = [factories.ActualFactory(indicator=indicator) for indicator in indicators]
    shown = figures_fingerprint(indicators, AUGUST)
    actuals[0].value = D("99")
    actuals[0].save()
    with pytest.raises(FiguresChanged):
        sign_off_figures(service=world.service_a, period=AUGUST, by=world.head, base=shown)
    assert not FigureSignOff.objects.exists()


# The sign-off page ---------------------------------------------------------------------------


def page_url(world, service=None, period="2012-08"):
    return reverse("performance:sign-off", args=[(service or world.service_a).pk, period])


def base_of(page: str) -> str:
    return re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)


def test_the_head_sees_the_figures_and_signs_them_off(client, world, indicators):
    for indicator in indicators:
        factories.ActualFactory(indicator=indicator, entered_by=world.officer_a, commentary="Ok")
    client.force_login(world.head)
    page = client.get(page_url(world)).content.decode()
    assert "Provisional:" in page
    assert all(indicator.code in page for indicator in indicators)
    assert world.officer_a.get_full_name() in page  # who entered each figure
    response = client.post(page_url(world), {"base": base_of(page)}, follow=True)
    assert "are signed off" in response.content.decode()
    sign_off = FigureSignOff.objects.get()
    assert (sign_off.service, sign_off.period_end, sign_off.by) == (
        world.service_a,
        AUGUST.end_date,
        world.head,
    )
    grid = reverse("performance:figures-entry", args=[world.service_a.pk, "2012-08"])
    client.force_login(world.officer_a)
    assert f"Signed off</strong> by {world.head.get_full_name()}" in (
        client.get(grid).content.decode()
    )


def test_a_figure_changed_after_the_page_opened_refuses_with_409(client, world, indicators):
    actuals = [factories.ActualFactory(indicator=indicator) for indicator in indicators]
    client.force_login(world.head)
    base = base_of(client.get(page_url(world)).content.decode())
    actuals[1].commentary = "Changed by a colleague"
    actuals[1].save()
    response = client.post(page_url(world), {"base": base})
    assert response.status_code == 409
    page = response.content.decode()
    assert "The figures changed after you opened this page" in page
    assert "Changed by a colleague" in page
    assert not FigureSignOff.objects.exists()


def test_the_page_says_why_figures_are_not_ready(client, world, indicators):
    factories.ActualFactory(indicator=indicators[0])
    client.force_login(world.head)
    page = client.get(page_url(world)).content.decode()
    assert "Not ready to sign off." in page and "LI02, LI03" in page
    assert 'name="base"' not in page
    response = client.post(page_url(world), {"base": "x"})
    assert "no figure has been entered for LI02, LI03" in response.content.decode()
    assert not FigureSignOff.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", 200),
        ("head", 200),
        ("other_head", 404),
        ("officer_a", 403),
        ("officer_b", 404),
        ("member", 403),
    ],
)
def test_only_the_head_or_an_administrator_opens_the_page(
    client, world, other_head, indicators, persona, expected
):
    user = other_head if persona == "other_head" else world.persona(persona)
    client.force_login(user)
    assert client.get(page_url(world)).status_code == expected
    assert client.post(page_url(world), {"base": "x"}).status_code == expected


def test_the_sign_off_page_does_not_grow_queries_with_indicators(client, world, indicators):
    for indicator in indicators[:1]:
        factories.ActualFactory(indicator=indicator, entered_by=world.officer_a)
    client.force_login(world.head)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(world)).status_code == 200
        return len(captured)

    few = count()
    for indicator in indicators[1:]:
        factories.ActualFactory(indicator=indicator, entered_by=factories.UserFactory())
    for _ in range(5):
        indicator = factories.IndicatorFactory(service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year)
        factories.ActualFactory(indicator=indicator, entered_by=factories.UserFactory())
    FigureSignOff.objects.create(service=world.service_a, period_end=AUGUST.end_date)
    assert count() == few


def test_the_figures_overview_links_the_head_to_the_sign_off(client, world, indicators):
    client.force_login(world.head)
    page = client.get(reverse("performance:figures-overview")).content.decode()
    assert page_url(world) in page
    client.force_login(world.officer_a)
    page = client.get(reverse("performance:figures-overview")).content.decode()
    assert "Provisional" in page and page_url(world) not in page


# Waiting for sign-off, for the heads' home page ------------------------------------------------


def test_figures_awaiting_sign_off_counts_each_service_and_period(world, other_head, indicators):
    today = datetime.date(2013, 1, 15)
    for indicator in indicators:
        factories.ActualFactory(indicator=indicator)  # August
        factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 9, 30))
    factories.ActualFactory(indicator=indicators[0], period_end=datetime.date(2012, 10, 31))
    FigureSignOff.objects.create(service=world.service_a, period_end=datetime.date(2012, 9, 30))
    factories.ActualFactory(indicator=factories.IndicatorFactory(service=world.service_b))
    rows = figures_awaiting_sign_off(world.head, today=today)
    assert [(row.service, row.period.name, row.figures) for row in rows] == [
        (world.service_a, "2012-08", 3),
        (world.service_a, "2012-10", 1),
    ]
    assert [row.service for row in figures_awaiting_sign_off(other_head, today=today)] == [
        world.service_b
    ]
    everyone = figures_awaiting_sign_off(world.admin, today=today)
    assert {row.service for row in everyone} == {world.service_a, world.service_b}
    assert figures_awaiting_sign_off(world.officer_a, today=today) == []


@pytest.mark.parametrize("services", [1, 6])
def test_figures_awaiting_sign_off_take_four_queries(world, services, django_assert_num_queries):
    for _ in range(services):
        service = factories.ServiceFactory(head_of_service=world.service_a.head_of_service)
        factories.ActualFactory(indicator=factories.IndicatorFactory(service=service))
    # the user's roles, the current year, the counts, their services
    with django_assert_num_queries(4):
        rows = figures_awaiting_sign_off(world.head, today=datetime.date(2013, 1, 15))
        [row.service.name for row in rows]
    assert len(rows) == services


# Provisional, on pages and in reports ----------------------------------------------------------


@pytest.fixture
def published(world, indicators):
    """Service A's published 2012/13 plan and August figures for every indicator."""
    factories.ServicePlanFactory(
        service=world.service_a, year=world.year, version=2, published=True
    )
    for indicator in indicators:
        factories.ActualFactory(indicator=indicator, value=D("95"))


def test_a_figure_is_provisional_until_its_service_and_period_are_signed_off(world, published):
    def provisional():
        return [
            status.provisional
            for status in indicator_statuses(
                year=world.year, as_at=AUGUST, services=[world.service_a]
            )
        ]

    assert provisional() == [True, True, True]
    FigureSignOff.objects.create(service=world.service_b, period_end=AUGUST.end_date)
    FigureSignOff.objects.create(service=world.service_a, period_end=datetime.date(2012, 7, 31))
    assert provisional() == [True, True, True], "another service's or period's sign-off"
    sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)
    assert provisional() == [False, False, False]


def test_the_service_page_marks_provisional_figures_in_words(client, world, published):
    url = reverse("portal:service", args=[world.service_a.pk]) + "?year=2012&as_at=2012-08"
    client.force_login(world.member)
    page = client.get(url).content.decode()
    assert page.count("(provisional)") == 3
    assert "has not yet been signed off by the head of service" in page
    sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)
    page = client.get(url).content.decode()
    assert "(provisional)" not in page


def test_the_overview_counts_provisional_figures(client, world, published):
    client.force_login(world.member)
    page = client.get(reverse("portal:overview") + "?year=2012&as_at=2012-08").content.decode()
    assert "3 figures provisional" in page


def report_html(slug, **options):
    from reports.base import get_report

    report = get_report(slug).from_form_data(options)
    return report.html(report.data())


def test_the_booklet_marks_provisional_figures(world, published):
    html = report_html("kpi-booklet", year="2012", as_at="2012-08")
    assert html.count('<span class="small">provisional</span>') == 3
    assert "A figure marked “provisional” has not yet been signed off" in html
    sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)
    html = report_html("kpi-booklet", year="2012", as_at="2012-08")
    assert '<span class="small">provisional</span>' not in html


def part_3b_row(html: str, service: str) -> str:
    part = html[html.index('<table class="performance">') :]
    return re.search(rf'<tr><th scope="row">{service}</th>.*?</tr>', part).group(0)


def test_the_committee_summary_counts_provisional_figures(world, published):
    factories.CommitteeReviewFactory(service=world.service_a, committee=world.cabinet)
    options = {"committee": str(world.cabinet.pk), "year": "2012", "as_at": "2012-08"}
    html = report_html("committee-summary", **options)
    assert "Provisional figures" in html
    assert part_3b_row(html, "Licensing").endswith('<td class="num">3</td></tr>')
    sign_off_figures(service=world.service_a, period=AUGUST, by=world.head)
    html = report_html("committee-summary", **options)
    assert part_3b_row(html, "Licensing").endswith('<td class="num">-</td></tr>')
