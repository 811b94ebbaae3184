"""What the home page asks of each person in year: officers the progress updates they owe,
heads of service the figures to sign off, members the latest monitoring report of their
committees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import FinancialYear
from plans import progress
from reports.models import GeneratedReport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(world):
    """Service A's published plan for the current year (2012/13), with three items, at the
    half-year point officers are working to."""
    plan = world.plan_a
    plan.status, plan.endorsed_by, plan.endorsed_on = (
        "published",
        world.cabinet,
        world.year.start_date,
    )
    plan.save()
    action = factories.ActionFactory(plan=plan)
    factories.ProjectFactory(plan=plan)
    factories.RiskFactory(plan=plan)
    year_end = factories.MonitoringPointFactory(
        year=world.year,
        name="Year-end",
        as_at=datetime.date(2013, 3, 31),
        due_date=datetime.date(2099, 4, 30),  # still to come, whenever the tests run
    )
    return plan, action, year_end


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("portal:home")).content.decode()


def test_an_officer_sees_the_updates_due_and_they_go_once_recorded(client, world, this_year):
    plan, action, point = this_year
    page = home(client, world.officer_a)
    assert "Progress to record for Year-end 2012/13" in page
    assert "Licensing: 3 items without an update" in page
    assert f"{reverse('plans:plan-progress', args=[plan.pk])}?point={point.pk}" in page
    progress.record_progress(
        plan=plan, reference=action.reference, point=point, by=world.officer_a, status="on_track"
    )
    assert "Licensing: 2 items without an update" in home(client, world.officer_a)
    assert "Progress to record" not in home(client, world.officer_b)  # Finance: a draft


def test_the_officers_list_costs_the_same_queries_for_one_plan_or_many(
    client, world, this_year, django_assert_max_num_queries
):
    client.force_login(world.officer_a)
    client.get(reverse("portal:home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:home"))
    plan, _, _ = this_year
    for _ in range(5):
        action = factories.ActionFactory(plan=plan)
        factories.MilestoneFactory(action=action)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portal:home"))
    assert len(many) == len(few)


def test_a_head_of_service_sees_figures_waiting_for_sign_off(client, world):
    indicator = factories.IndicatorFactory(service=world.service_a, frequency="monthly")
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 7, 31))
    page = home(client, world.head)
    assert "Figures waiting for your sign-off" in page
    assert "Licensing: 1 figure for July 2012" in page
    assert reverse("performance:sign-off", args=[world.service_a.pk, "2012-07"]) in page
    assert "Figures waiting for your sign-off" not in home(client, world.officer_a)


def monitoring_report(committee, *, published=True) -> GeneratedReport:
    return GeneratedReport.objects.create(
        report="monitoring-report",
        title=f"Monitoring report: Half-year 2012/13 – {committee}",
        parameters={"committee": str(committee.pk), "point": "1"},
        status=GeneratedReport.Status.DONE,
        file="reports/monitoring-report/test.pdf",
        page_count=14,
        published_at=timezone.now() if published else None,
    )


def test_a_member_sees_the_latest_monitoring_report_of_their_committees(client, world):
    mine = factories.CommitteeFactory(name="Environment Select Committee")
    other = factories.CommitteeFactory(name="Services Select Committee")
    mine.members.add(world.member)
    older = monitoring_report(mine)
    latest = monitoring_report(mine)
    draft = monitoring_report(mine, published=False)
    theirs = monitoring_report(other)
    page = home(client, world.member)
    assert "Latest monitoring reports for your committees" in page
    assert reverse("reports:report-download", args=[latest.pk]) in page
    for unseen in (older, draft, theirs):
        assert reverse("reports:report-download", args=[unseen.pk]) not in page
    other.members.add(world.member)
    assert reverse("reports:report-download", args=[theirs.pk]) in home(client, world.member)


def test_a_new_year_made_in_the_admin_gets_the_usual_monitoring_points(client, world, settings):
    settings.MONITORING_CADENCE = "quarterly"
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    inline = "monitoring_points"
    response = client.post(
        reverse("admin:organisation_financialyear_add"),
        {
            "start_year": 2015,
            f"{inline}-TOTAL_FORMS": 0,
            f"{inline}-INITIAL_FORMS": 0,
            f"{inline}-MIN_NUM_FORMS": 0,
            f"{inline}-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = FinancialYear.objects.get(start_year=2015)
    assert list(year.monitoring_points.values_list("name", flat=True)) == [
        "Quarter 1",
        "Half-year",
        "Quarter 3",
        "Year-end",
    ]
