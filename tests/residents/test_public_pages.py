"""The public pages for residents: what they show, what they never show, and how they are
served (not found while off, cached, rate-limited).

One council: Licensing has a published 2012/13 plan and figures (April signed off; June
signed off, with commentary its author marked internal: the latest figure residents read by
default; August entered, not signed off: the latest when the council shows provisional ones);
Waste has only a draft. Each thing residents must not read carries a unique word.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import Actual, FigureChange, FigureSignOff
from tests import factories
from tests.reports.matrix import MINIMAL_PDF
from tests.residents.helpers import turn_on_public_pages

pytestmark = pytest.mark.django_db

DRAFT_WORD = "Zanzibarquux"  # only in a draft plan, and in a draft revision of a published one
INTERNAL_FIGURE_WORD = "Grumbleweed"  # a figure's commentary marked internal
INTERNAL_PROGRESS_WORD = "Quagmirebolt"  # a progress update's commentary marked internal
PUBLIC_FIGURE_WORD = "Sunnyvale"  # a figure's commentary residents read
PROVISIONAL_FIGURE = "77.7%"  # August's figure, not signed off
MEMBERS_ONLY_WORD = "Thistlewhump"  # a report published to members, not released to residents
HEAD_NAME = "Morwenna Quillfeather"  # the head of service
OWNER_NAME = "Ottoline Fairweather"  # an action's responsible officer


class Council:
    def __init__(self):
        self.year = factories.FinancialYearFactory(start_year=2012, is_current=True)
        head = factories.HeadOfServiceFactory(name="Community Services", officer_name=HEAD_NAME)
        self.head_user = factories.UserFactory(username="head")
        self.licensing = factories.ServiceFactory(name="Licensing", head_of_service=head)
        self.waste = factories.ServiceFactory(name="Waste", head_of_service=head)
        self.priority = factories.PriorityFactory(title="Safer streets")
        self.plan = factories.ServicePlanFactory(
            service=self.licensing, year=self.year, published=True
        )
        objective = factories.ObjectiveFactory(plan=self.plan, title="Licence fairly")
        objective.priorities.add(self.priority)
        self.action = factories.ActionFactory(
            plan=self.plan,
            objective=objective,
            title="Renew taxi licences online",
            responsible_officer=OWNER_NAME,
        )
        factories.ProjectFactory(plan=self.plan, accountable_manager=OWNER_NAME)
        factories.RiskFactory(plan=self.plan, owner=OWNER_NAME)
        point = factories.MonitoringPointFactory(year=self.year)
        factories.ProgressUpdateFactory(
            item=self.action,
            point=point,
            commentary=f"{INTERNAL_PROGRESS_WORD} supplier trouble",
            commentary_internal=True,
        )
        factories.ServicePlanFactory(
            service=self.licensing,
            year=self.year,
            version=2,
            introduction=f"{DRAFT_WORD} revision",
        )
        factories.ServicePlanFactory(
            service=self.waste, year=self.year, introduction=f"{DRAFT_WORD} draft"
        )
        indicator = factories.IndicatorFactory(
            service=self.licensing, code="LI01", title="Licences issued in time"
        )
        indicator.priorities.add(self.priority)
        factories.TargetFactory(indicator=indicator, year=self.year, value=Decimal("90"))
        figures = [
            (datetime.date(2012, 4, 30), "91", "Good start", False, True),
            (datetime.date(2012, 6, 30), "88", f"{INTERNAL_FIGURE_WORD} staff", True, True),
            (datetime.date(2012, 8, 31), "77.7", PUBLIC_FIGURE_WORD, False, False),
        ]
        for period_end, value, commentary, internal, signed_off in figures:
            factories.ActualFactory(
                indicator=indicator,
                period_end=period_end,
                value=Decimal(value),
                commentary=commentary,
                commentary_internal=internal,
            )
            if signed_off:
                FigureSignOff.objects.create(
                    service=self.licensing, period_end=period_end, by=self.head_user
                )
        waste_indicator = factories.IndicatorFactory(service=self.waste, code="WA01")
        factories.ActualFactory(indicator=waste_indicator, period_end=datetime.date(2012, 4, 30))
        self.report = _report(
            "Key performance information June 2012", published=True, released=True
        )
        self.plan_pdf = _report(
            "Licensing service plan 2012/13", published=True, released=True, plan=self.plan
        )
        self.members_report = _report(f"{MEMBERS_ONLY_WORD} pack", published=True)
        self.private_report = _report(f"{DRAFT_WORD} pack", published=False)

    def pages(self) -> list[str]:
        return [
            reverse("public:home"),
            reverse("public:plans"),
            reverse("public:plan", args=[self.plan.pk]),
            reverse("public:performance"),
            reverse("public:service", args=[self.licensing.pk]),
            reverse("public:priority", args=[self.priority.pk]),
            reverse("public:reports"),
        ]


def _report(title: str, *, published: bool, released: bool = False, plan=None):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import GeneratedReport

    row = GeneratedReport(
        report="service-plan" if plan else "kpi-booklet",
        plan=plan,
        title=title,
        status=GeneratedReport.Status.DONE,
        progress=100,
        published_at=timezone.now() if published else None,
        released_to_residents_at=timezone.now() if released else None,
    )
    row.file.save("booklet.pdf", ContentFile(MINIMAL_PDF), save=False)
    row.save()
    return row


@pytest.fixture
def council():
    return Council()


def read_all(client, council) -> str:
    pages = []
    for url in council.pages():
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_nothing_unpublished_internal_provisional_or_named_by_default(client, council):
    turn_on_public_pages()
    text = read_all(client, council)
    for word in (
        DRAFT_WORD,
        INTERNAL_FIGURE_WORD,
        INTERNAL_PROGRESS_WORD,
        PROVISIONAL_FIGURE,
        MEMBERS_ONLY_WORD,
    ):
        assert word not in text
    assert HEAD_NAME not in text and OWNER_NAME not in text
    assert "Waste" not in text  # a service with only a draft has no public performance
    # What residents do read: the published plan, its signed-off figures, its reports.
    assert "Renew taxi licences online" in text
    assert "at June 2012" in text and "88.0%" in text and "91.0%" in text
    assert "Key performance information June 2012" in text
    plan_pdf = reverse("public:report-download", args=[council.plan_pdf.pk])
    assert f'href="{plan_pdf}">Download the plan (PDF' in text


def test_what_the_council_chooses_to_show_appears(client, council):
    turn_on_public_pages(provisional=True, names=True)
    text = read_all(client, council)
    assert PROVISIONAL_FIGURE in text and "(provisional)" in text and PUBLIC_FIGURE_WORD in text
    assert HEAD_NAME in text and OWNER_NAME in text
    # Never, whatever the settings: drafts, commentary marked internal, and reports published
    # to members but not released to residents.
    for word in (DRAFT_WORD, INTERNAL_FIGURE_WORD, INTERNAL_PROGRESS_WORD, MEMBERS_ONLY_WORD):
        assert word not in text


def test_no_link_leads_behind_the_sign_in(client, council):
    turn_on_public_pages(provisional=True, names=True)
    links = set(re.findall(r'href="([^"]*)"', read_all(client, council)))
    allowed = ("/public/", "/open-data/", "/accessibility/", "/static/", "#", "data:")
    assert links and {link for link in links if not link.startswith(allowed)} == set()


def test_published_report_downloads_and_others_do_not(client, council):
    turn_on_public_pages()
    response = client.get(reverse("public:report-download", args=[council.report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    other = client.get(reverse("public:report-download", args=[council.private_report.pk]))
    assert other.status_code == 404
    assert 'href="/public/"' in other.content.decode()  # the residents' own "not found"
    # Published to members is not enough: its PDF is the members' edition.
    members = client.get(reverse("public:report-download", args=[council.members_report.pk]))
    assert members.status_code == 404


def test_turning_the_pages_off_hides_them_at_once_cached_or_not(client, council):
    from organisation.council import forget_cached_settings, settings_for_editing

    turn_on_public_pages()
    assert client.get(reverse("public:home")).status_code == 200
    row = settings_for_editing()
    row.public_pages = False
    row.save()
    forget_cached_settings()
    for url in council.pages():
        assert client.get(url).status_code == 404, url


def test_a_second_reader_is_served_from_the_cache_without_a_query(
    client, council, django_assert_num_queries
):
    turn_on_public_pages()
    url = reverse("public:plan", args=[council.plan.pk])
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content


def test_changing_what_is_shown_is_not_served_from_the_cache(client, council):
    turn_on_public_pages()
    url = reverse("public:service", args=[council.licensing.pk])
    assert PROVISIONAL_FIGURE not in client.get(url).content.decode()
    turn_on_public_pages(provisional=True)
    assert PROVISIONAL_FIGURE in client.get(url).content.decode()


def test_too_many_pages_from_one_address_get_a_clear_429(client, council, settings):
    turn_on_public_pages()
    settings.PUBLIC_PAGES_PER_MINUTE = 3
    statuses = [client.get(url).status_code for url in council.pages()[:3]]
    assert statuses == [200, 200, 200]
    refused = client.get(council.pages()[3])
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many requests" in refused.content.decode()
    # A page already made is still served: it costs nothing.
    assert client.get(council.pages()[0]).status_code == 200


def test_members_still_read_internal_commentary_labelled(client, council):
    from django.contrib.auth.models import Group

    from organisation.access import MEMBERS

    member = factories.UserFactory(username="member")
    member.groups.add(Group.objects.get_or_create(name=MEMBERS)[0])
    client.force_login(member)
    url = reverse("portal:service", args=[council.licensing.pk])
    page = client.get(url, {"year": 2012, "as_at": "2012-06"}).content.decode()
    assert INTERNAL_FIGURE_WORD in page and "Internal" in page
    history = reverse("plans:item-history", args=[council.plan.pk, council.action.reference])
    page = client.get(history).content.decode()
    assert INTERNAL_PROGRESS_WORD in page and "Internal" in page


def test_the_figures_grid_marks_commentary_internal(client, council):
    from performance.services import figures_fingerprint

    officer = factories.UserFactory(username="officer")
    council.licensing.editors.add(officer)
    client.force_login(officer)
    actual = Actual.objects.get(indicator__code="LI01", period_end=datetime.date(2012, 4, 30))
    url = reverse("performance:figures-entry", args=[council.licensing.pk, "2012-04"])
    prefix = f"i{actual.indicator_id}"
    assert f'name="{prefix}-commentary_internal"' in client.get(url).text
    response = client.post(
        url,
        {
            "base": figures_fingerprint([actual.indicator], actual.period),
            f"{prefix}-value": "91",
            f"{prefix}-state": "verified",
            f"{prefix}-commentary": "Good start",
            f"{prefix}-commentary_internal": "on",
        },
    )
    assert response.status_code == 302
    actual.refresh_from_db()
    assert actual.commentary_internal
    # Only who reads the commentary changed: the figure's sign-off and history stand.
    assert FigureSignOff.objects.filter(period_end=actual.period_end).exists()
    assert not FigureChange.objects.filter(indicator=actual.indicator).exists()


def test_the_progress_form_marks_commentary_internal(client, council):
    from plans.models import ProgressUpdate

    officer = factories.UserFactory(username="officer")
    council.licensing.editors.add(officer)
    client.force_login(officer)
    url = reverse("plans:progress-item", args=[council.plan.pk, council.action.reference])
    point = council.year.monitoring_points.get()
    response = client.post(
        url,
        {
            "point": point.pk,
            "status": "at_risk",
            "percent_complete": "40",
            "commentary": "Supplier late again",
            "commentary_internal": "on",
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(commentary="Supplier late again")
    assert update.commentary_internal


def test_each_page_costs_the_same_queries_however_much_is_published(client, council, monkeypatch):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisation.council import council_settings

    turn_on_public_pages(provisional=True, names=True)
    # The pages' own queries: the rate limit's counter (a cache table) costs more on its first
    # count of a minute than on the next.
    monkeypatch.setattr("residents.pages.too_many", lambda request: False)

    def queries() -> list[int]:
        counts = []
        for url in council.pages():
            cache.clear()  # the page is made again, and the settings read again first
            council_settings()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for n in range(4):
        action = factories.ActionFactory(plan=council.plan, responsible_officer=OWNER_NAME)
        factories.MilestoneFactory(action=action)
        factories.ProgressUpdateFactory(item=action, point=council.year.monitoring_points.get())
        indicator = factories.IndicatorFactory(service=council.licensing, code=f"LI1{n}")
        indicator.priorities.add(council.priority)
        factories.TargetFactory(indicator=indicator, year=council.year)
        factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 8, 31))
        factories.ServicePlanFactory(year=council.year, published=True)
        _report(f"Monitoring report {n}", published=True, released=True)
    assert queries() == before


def test_the_settings_page_groups_the_public_page_choices(client):
    from django.contrib.auth.models import Group

    from organisation.access import ADMINISTRATORS

    admin = factories.UserFactory(username="admin")
    admin.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS)[0])
    client.force_login(admin)
    page = client.get(reverse("organisation:council-settings")).content.decode()
    legend = page.index("Public pages</legend>")
    for name in ("public_pages", "public_shows_provisional", "public_shows_names"):
        assert page.index(f'name="{name}"') > legend


def test_odd_years_never_break_a_page(client, council, settings):
    turn_on_public_pages()
    settings.PUBLIC_PAGES_PER_MINUTE = 100
    for year in ["²", "9" * 40, "-1", "٣", "2012/13", "\x00", "2011"]:
        for url in council.pages():
            assert client.get(url, {"year": year}).status_code in (200, 404), (url, year)


def test_a_sign_off_shows_at_once_not_when_the_kept_page_expires(client, council):
    """The kept page is made again after the write, not PUBLIC_PAGE_CACHE_SECONDS later."""
    from performance.periods import Period
    from performance.services import sign_off_figures

    turn_on_public_pages()
    url = reverse("public:service", args=[council.licensing.pk])
    assert PROVISIONAL_FIGURE not in client.get(url).content.decode()
    administrator = factories.UserFactory(username="admin", is_superuser=True)
    sign_off_figures(service=council.licensing, period=Period(2012, 8), by=administrator)
    assert PROVISIONAL_FIGURE in client.get(url).content.decode()
