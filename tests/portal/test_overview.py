"""The performance overview: per head of service the counts of colours in words (and a bar
for a glance), the exceptions first with their commentary, current and forecast status side
by side, and actions off track; the same queries however many services and exceptions."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

AUGUST = "?year=2012&as_at=2012-08"


def indicator(service, year, *, august, july=None, forecast=None, commentary="", code=None):
    made = factories.IndicatorFactory(service=service, **({"code": code} if code else {}))
    factories.TargetFactory(indicator=made, year=year, value=Decimal(90))
    if july is not None:
        factories.ActualFactory(
            indicator=made, period_end=datetime.date(2012, 7, 31), value=Decimal(july)
        )
    if august is not None:
        factories.ActualFactory(
            indicator=made,
            value=Decimal(august),
            commentary=commentary,
            forecast_outturn=None if forecast is None else Decimal(forecast),
        )
    return made


def off_track_action(plan, title, *, then_on_track=False):
    action = factories.ActionFactory(plan=plan, title=title)
    point = factories.MonitoringPointFactory(
        year=plan.year, name="Quarter 1", as_at=datetime.date(2012, 6, 30)
    )
    factories.ProgressUpdateFactory(
        item=action, point=point, status="off_track", commentary=f"{title}: contractor withdrew"
    )
    if then_on_track:  # a later update of the same point: the latest one counts
        factories.ProgressUpdateFactory(item=action, point=point, status="on_track")
    return action


def portfolio(world, name):
    head = factories.HeadOfServiceFactory(name=name)
    service = factories.ServiceFactory(name=f"{name} service", head_of_service=head)
    plan = factories.ServicePlanFactory(service=service, year=world.year, published=True)
    return service, plan


@pytest.fixture
def council(world):
    service, plan = portfolio(world, "Community")
    indicator(
        service,
        world.year,
        august=70,
        july=80,
        commentary="Two posts vacant all summer",
        code="RED 1",
    )
    indicator(service, world.year, august=85, forecast=60, code="AMBER 1")
    indicator(service, world.year, august=95, commentary="Going well", code="GREEN 1")
    indicator(service, world.year, august=None, code="AWAITED 1")
    off_track_action(plan, "Open the new depot")
    off_track_action(plan, "Recover the backlog", then_on_track=True)
    return world


def attention(page: str, head: str) -> str:
    """The 'Needing attention' part of a head of service's section."""
    section = page[page.index(f">{head}</h2>") :]
    return section[section.index("Needing attention") : section.index("Service performance")]


def test_counts_in_words_now_and_forecast(client, council):
    client.force_login(council.member)
    page = client.get(reverse("portal:overview") + AUGUST).content.decode()
    assert "1 green, 1 amber, 1 red, 1 without a figure" in page
    assert "0 green, 0 amber, 1 red (1 of 4 indicators with a forecast)" in page


def test_the_bar_is_for_the_eye_only(client, council):
    client.force_login(council.member)
    page = client.get(reverse("portal:overview") + AUGUST).content.decode()
    assert '<div class="rag-bar" aria-hidden="true">' in page
    assert 'class="rag-bar-green share-25"' in page  # 1 of 4


def test_exceptions_first_with_commentary_forecast_and_direction(client, council):
    client.force_login(council.member)
    page = client.get(reverse("portal:overview") + AUGUST).content.decode()
    exceptions = attention(page, "Community")
    assert "RED 1" in exceptions and "Two posts vacant all summer" in exceptions
    assert "Worse" in exceptions, "down from 80 in July, in words"
    assert "AMBER 1" in exceptions, "amber now, forecast to end the year red"
    assert "GREEN 1" not in exceptions and "Going well" not in exceptions
    assert "AWAITED 1" not in exceptions
    assert page.index("Needing attention") < page.index("Service performance summary")


def test_actions_whose_latest_update_is_off_track(client, council):
    client.force_login(council.member)
    exceptions = attention(
        client.get(reverse("portal:overview") + AUGUST).content.decode(), "Community"
    )
    assert "Open the new depot" in exceptions
    assert "Open the new depot: contractor withdrew" in exceptions
    assert "Recover the backlog" not in exceptions, "back on track since"


def test_before_the_update_no_action_is_off_track(client, council):
    client.force_login(council.member)
    may = client.get(reverse("portal:overview") + "?year=2012&as_at=2012-05").content.decode()
    assert "Open the new depot" not in may


def test_a_head_without_exceptions_says_so(client, world):
    service, _ = portfolio(world, "Quiet")
    indicator(service, world.year, august=95)
    client.force_login(world.member)
    page = client.get(reverse("portal:overview") + AUGUST).content.decode()
    assert "No indicator is red or forecast to end the year red." in page


def test_lists_the_first_exceptions_and_counts_the_rest(client, world, monkeypatch):
    from portal.views import performance

    monkeypatch.setattr(performance, "EXCEPTIONS_SHOWN", 2)
    service, _ = portfolio(world, "Busy")
    for number in range(3):
        indicator(service, world.year, august=50, code=f"RED {number}")
    client.force_login(world.member)
    page = client.get(reverse("portal:overview") + AUGUST).content.decode()
    assert "the first 2 of 3" in page and "And 1 more" in page
    assert "RED 2" not in attention(page, "Busy")


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_services_or_exceptions(client, council):
    """Counts from plain values; commentary and detail for the exceptions listed only."""
    client.force_login(council.member)
    url = reverse("portal:overview") + AUGUST
    few = queries(client, url)
    for number in range(4):
        service, plan = portfolio(council, f"Head {number}")
        for _ in range(3):
            indicator(service, council.year, august=60, july=70, commentary="Short")
            indicator(service, council.year, august=85, forecast=50)
        off_track_action(plan, f"Late action {number}")
    # Session, user, years, readable services, counts (six), exceptions
    # (four), plans' actions off track (two), the readable services' ids by head (the keys of
    # the sections kept in the cache). The first head's section is kept from the first read;
    # the new heads' sections are made in the same queries.
    assert queries(client, url) == few == 17


def test_each_section_is_made_once_for_every_reader(client, council):
    """Another member reads the sections the first one's request made: no counting again."""
    url = reverse("portal:overview") + AUGUST
    client.force_login(council.member)
    first = client.get(url).content.decode()
    another = factories.UserFactory(username="another_member")
    another.groups.set(council.member.groups.all())
    client.force_login(another)
    # Session, user, roles, years, the readable services' ids by head.
    assert queries(client, url) == 5
    assert client.get(url).content.decode().count("<section") == first.count("<section") == 1


def test_a_figure_makes_only_its_head_of_services_section_again(client, council, redis_cache):
    """In the real Redis: after a figure is saved through the figures grid's service, the next
    reader sees it, and the other heads' sections are read from the cache as they were."""
    from performance.models import Indicator
    from performance.periods import Period
    from performance.services import FigureEntry, figures_fingerprint, record_figures

    quiet, _ = portfolio(council, "Quiet")
    indicator(quiet, council.year, august=95, code="QUIET 1")
    url = reverse("portal:overview") + AUGUST
    client.force_login(council.member)
    page = client.get(url).content.decode()
    assert "RED 1" in attention(page, "Community")
    sections = set(redis_cache.scan_iter(match=f"{redis_cache.prefix}:*overview-section*"))
    assert len(sections) == 2

    red = Indicator.objects.get(code="RED 1")
    august = Period(2012, 8)
    record_figures(
        period=august,
        entries=[FigureEntry(red, Decimal(95), "verified", "Back on target", None)],
        base=figures_fingerprint([red], august),
        entered_by=council.officer_a,
    )
    page = client.get(url).content.decode()
    assert "RED 1" not in attention(page, "Community") and ">Quiet</h2>" in page
    now = set(redis_cache.scan_iter(match=f"{redis_cache.prefix}:*overview-section*"))
    assert len(now - sections) == 1, "Community's section made again, Quiet's kept"
