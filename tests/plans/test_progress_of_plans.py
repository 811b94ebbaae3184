"""progress_of_plans reads many plans' progress at once and agrees with plan_progress, plan by
plan, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.progress import plan_progress, progress_of_plans
from tests import factories

pytestmark = pytest.mark.django_db


def plan_with_progress(name: str, year, points):
    """A published plan with an action (and its milestone), a project and a risk, updated at
    each point, plus an update of an item the plan no longer has."""
    service = factories.ServiceFactory(name=name)
    plan = factories.ServicePlanFactory(service=service, year=year, published=True)
    action = factories.ActionFactory(plan=plan, target_date=datetime.date(2012, 8, 31))
    milestone = factories.MilestoneFactory(action=action)
    project = factories.ProjectFactory(plan=plan)
    risk = factories.RiskFactory(plan=plan)
    for number, point in enumerate(points):
        for reference, kind in (
            (action.reference, "action"),
            (milestone.reference, "milestone"),
            (project.reference, "project"),
            (f"{service.code}-A99", "action"),  # taken out of the plan since
        ):
            factories.RawProgressUpdateFactory(
                service=service,
                point=point,
                reference=reference,
                kind=kind,
                status="at_risk",
                commentary=f"{point.name} commentary",
                percent_complete=20 + number,
            )
        factories.RawProgressUpdateFactory(
            service=service,
            point=point,
            reference=risk.reference,
            kind="risk",
            status="",
            percent_complete=None,
            likelihood=2 + number,
            impact=4,
        )
    return plan


def summary(items) -> list[tuple]:
    """What a reader of progress sees of each item, in order."""
    return [
        (
            reference,
            item.kind,
            item.status,
            item.percent_complete,
            item.commentary,
            item.overdue,
            item.as_at,
            item.score,
            item.previous_score,
            item.movement,
            [update.pk for update in item.updates],
        )
        for reference, item in items.items()
    ]


@pytest.fixture
def council():
    year = factories.FinancialYearFactory(start_year=2012)
    last_year = factories.FinancialYearFactory(start_year=2011)
    q1 = factories.FixedMonitoringPointFactory(
        year=year, name="Quarter 1", as_at=datetime.date(2012, 6, 30), due_date="2012-07-31"
    )
    half = factories.FixedMonitoringPointFactory(year=year)
    old = factories.FixedMonitoringPointFactory(
        year=last_year, name="Year-end", as_at=datetime.date(2012, 3, 31), due_date="2012-04-30"
    )
    plans = [plan_with_progress(f"Service {n}", year, [q1, half]) for n in range(3)]
    plans.append(plan_with_progress("Last year's", last_year, [old]))
    plans.append(factories.ServicePlanFactory(year=year, published=True))  # nothing in it
    return plans, (q1, half, None)


@pytest.mark.parametrize("point_index", [0, 1, 2], ids=["quarter 1", "half-year", "no point"])
def test_many_plans_read_at_once_agree_with_each_plan_read_alone(council, point_index):
    plans, points = council
    point = points[point_index]
    together = progress_of_plans(plans, point)
    assert list(together) == [plan.pk for plan in plans]
    for plan in plans:
        assert summary(together[plan.pk]) == summary(plan_progress(plan, point))


def test_five_queries_whatever_the_number_of_plans(council):
    plans, (q1, half, _) = council
    with CaptureQueriesContext(connection) as one:
        progress_of_plans(plans[:1], half)
    with CaptureQueriesContext(connection) as all_of_them:
        progress_of_plans(plans, half)
    assert len(one) == len(all_of_them) == 5


def test_no_plans_no_queries():
    with CaptureQueriesContext(connection) as queries:
        assert progress_of_plans([], None) == {}
    assert len(queries) == 0
