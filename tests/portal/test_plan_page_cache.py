"""The published plan's page body is made once for every reader and kept in the shared cache
(the real Redis here), and made again after every write that changes what it shows, whichever
route the write takes: a member never reads a stale figure, sign-off or progress update."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation import content_versions
from performance.periods import Period
from performance.services import (
    FigureEntry,
    figures_fingerprint,
    record_figures,
    sign_off_figures,
)
from plans import progress, workflow
from plans.models import ProgressUpdate
from tests import factories
from tests.performance.test_figures_entry import upload
from tests.residents.helpers import turn_on_public_pages

pytestmark = pytest.mark.django_db

AUGUST_2011 = Period(2011, 8)
# A member's plan page with the body from the cache: the session, the member, the plan, and
# their roles with the services they edit (whether they may record progress on it); the
# header's unread count is kept in the cache from sign-in.
KEPT_BODY_QUERIES = 4


@pytest.fixture
def plan_page(world):
    """Service A's published 2011/12 plan, with an indicator, its target and an August figure
    (provisional), an action, and the half-year monitoring point."""
    plan = world.published_a
    indicator = factories.IndicatorFactory(code="LPI LI01", service=world.service_a)
    factories.TargetFactory(indicator=indicator, year=world.last_year, value=Decimal("80"))
    actual = factories.ActualFactory(
        indicator=indicator, period_end=AUGUST_2011.end_date, value=Decimal("81.5")
    )
    world.indicator, world.actual = indicator, actual
    world.action = factories.ActionFactory(plan=plan, title="Renew taxi licences online")
    world.point = factories.MonitoringPointFactory(year=world.last_year)
    world.plan_url = reverse("portal:plan-detail", args=[plan.pk])
    return world


def read(client: Client, world) -> str:
    response = client.get(world.plan_url)
    assert response.status_code == 200
    return response.content.decode()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body_keys(redis) -> list[bytes]:
    return list(redis.scan_iter(match=f"{redis.prefix}:*plan-body*"))


def test_a_member_never_reads_a_stale_figure_sign_off_or_update(redis_cache, plan_page, tmp_path):
    world = plan_page
    member = signed_in(world.member)
    page = read(member, world)
    assert "81.5%" in page and "(provisional)" in page
    assert body_keys(redis_cache), "the body is kept in Redis"

    # The officer's grid (the page posts to the same service).
    period = AUGUST_2011
    entry = FigureEntry(world.indicator, Decimal("82.5"), "verified", "", None)
    record_figures(
        period=period,
        entries=[entry],
        base=figures_fingerprint([world.indicator], period),
        entered_by=world.officer_a,
    )
    assert "82.5%" in read(member, world)

    # The head of service signs the figures off.
    sign_off_figures(service=world.service_a, period=period, by=world.head)
    assert "(provisional)" not in read(member, world)

    # The import command: a new figure, and the sign-off withdrawn with it.
    path = tmp_path / "figures.csv"
    path.write_text(f"code,period_end,value,state,commentary\nLPI LI01,{period},83.5,,\n")
    call_command("import_actuals", str(path))
    page = read(member, world)
    assert "83.5%" in page and "(provisional)" in page

    # The officer's upload, through the web.
    officer = signed_in(world.officer_a)
    content = f"code,period_end,value,state,commentary\nLPI LI01,{period},84.5,verified,\n"
    assert upload(officer, content.encode()).status_code == 302
    assert "84.5%" in read(member, world)

    # An administrator's edit in the Django admin.
    administrator = signed_in(factories.UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:performance_actual_change", args=[world.actual.pk])
    posted = administrator.post(
        change,
        {
            "indicator": world.indicator.pk,
            "period_end": "2011-08-31",
            "value": "85.5",
            "state": "verified",
            "forecast_outturn": "",
            "commentary": "",
        },
    )
    assert posted.status_code == 302
    assert "85.5%" in read(member, world)

    # A progress update, then the head of service's comment on it.
    progress.record_progress(
        plan=world.published_a,
        reference=world.action.reference,
        point=world.point,
        by=world.officer_a,
        status="off_track",
        percent_complete=10,
        commentary="The supplier went bust.",
    )
    assert "The supplier went bust." in read(member, world)
    update = ProgressUpdate.objects.get()
    progress.comment_on_update(update=update, by=world.head, comment="Find another supplier.")
    assert "Find another supplier." in read(member, world)

    # Next year's plan published: this one links to it.
    assert "2012/13" not in read(member, world)
    workflow.submit_plan(plan=world.plan_a, by=world.officer_a)
    workflow.approve_plan(plan=world.plan_a, by=world.head)
    workflow.publish_plan(
        plan=world.plan_a,
        by=world.admin,
        committee=world.cabinet,
        meeting_date=datetime.date(2012, 3, 8),
    )
    assert "Other published years" in read(member, world)
    assert len(body_keys(redis_cache)) == 1, "each body made again replaced the one before"


def test_a_target_changed_in_the_admin_shows_at_once(redis_cache, plan_page):
    """The admin saves a target itself, not through a service: any write there makes the kept
    bodies again."""
    world = plan_page
    member = signed_in(world.member)
    page = read(member, world)
    assert "80.0%" in page and "70.0%" not in page
    target = world.indicator.targets.get()
    administrator = signed_in(factories.UserFactory(is_staff=True, is_superuser=True))
    posted = administrator.post(
        reverse("admin:performance_target_change", args=[target.pk]),
        {
            "indicator": world.indicator.pk,
            "year": world.last_year.pk,
            "value": "70",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1000",
        },
    )
    assert posted.status_code == 302
    assert "70.0%" in read(member, world)


def test_a_second_reader_is_served_the_body_from_the_cache(redis_cache, plan_page):
    world = plan_page
    first = signed_in(world.member)
    second_member = factories.UserFactory()
    second_member.groups.set(world.member.groups.all())
    second = signed_in(second_member)
    with CaptureQueriesContext(connection) as made:
        read(first, world)
    with CaptureQueriesContext(connection) as kept:
        page = read(second, world)
    assert len(kept) < len(made) / 2, "the second reader's page reads no figures"
    assert len(kept) == KEPT_BODY_QUERIES, [query["sql"] for query in kept]
    assert "81.5%" in page
    assert len(body_keys(redis_cache)) == 1, "one body for every reader"


def test_what_differs_by_reader_is_not_in_the_kept_body(redis_cache, plan_page):
    world = plan_page
    officer_page = read(signed_in(world.officer_a), world)
    assert "Record progress" in officer_page  # the officer updates their service's plan
    member_page = read(signed_in(world.member), world)
    assert "Record progress" not in member_page
    assert world.member.get_full_name() in member_page
    assert world.officer_a.get_full_name() not in member_page
    (key,) = body_keys(redis_cache)
    _stamp, kept = cache.get(key.decode().split(":", 2)[2])
    assert "81.5%" in kept
    for per_reader in ("csrfmiddlewaretoken", "Record progress", world.officer_a.get_full_name()):
        assert per_reader not in kept


def test_the_body_is_made_again_only_for_the_service_whose_figures_changed(redis_cache, plan_page):
    world = plan_page
    other = factories.ServicePlanFactory(
        service=world.service_b, year=world.last_year, published=True
    )
    member = signed_in(world.member)
    read(member, world)
    member.get(reverse("portal:plan-detail", args=[other.pk]))
    mine, theirs = (
        content_versions.service_version(world.service_a.pk),
        content_versions.service_version(world.service_b.pk),
    )
    content_versions.figures_changed([world.service_a.pk])
    assert content_versions.service_version(world.service_a.pk) != mine
    assert content_versions.service_version(world.service_b.pk) == theirs


def test_clearing_the_cache_leaves_other_installations_keys(redis_cache):
    neighbour = f"{redis_cache.prefix}-neighbour:1:plan-body:1"
    redis_cache.set(neighbour, b"theirs")
    try:
        cache.set("plan-body:1", "ours")
        cache.clear()
        assert cache.get("plan-body:1") is None
        assert redis_cache.get(neighbour) == b"theirs"
    finally:
        redis_cache.delete(neighbour)


def test_residents_pages_are_kept_in_the_same_shared_cache(redis_cache, plan_page, client):
    turn_on_public_pages()
    url = reverse("public:plan", args=[plan_page.published_a.pk])
    with CaptureQueriesContext(connection) as made:
        assert client.get(url).status_code == 200
    assert list(redis_cache.scan_iter(match=f"{redis_cache.prefix}:*public-page*"))
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).status_code == 200
    assert len(kept) < len(made)
