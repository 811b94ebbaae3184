"""What the council waits for besides figures: progress updates, plans and approvals."""

import datetime

from notifications.models import Kind
from notifications.reminders import outstanding, recipients_for, stage_on
from organisation.models import FinancialYear
from plans.models import ServicePlan
from tests import factories

Status = ServicePlan.Status


def of_kind(kind, today):
    return [item for item in outstanding(today) if item.kind == kind]


def test_progress_updates_are_due_at_the_monitoring_point(world):
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(
        status=Status.PUBLISHED, endorsed_by=world.cabinet, endorsed_on=datetime.date(2012, 3, 8)
    )
    action = factories.ActionFactory(plan=world.plan_a)
    factories.ActionFactory(plan=world.plan_a)
    point = factories.MonitoringPointFactory(year=world.year)  # due 31 October 2012
    assert of_kind(Kind.PROGRESS_DUE, datetime.date(2012, 10, 23)) == []  # not yet due soon
    (item,) = of_kind(Kind.PROGRESS_DUE, datetime.date(2012, 10, 24))
    assert (item.what, item.detail, item.due) == (
        "Progress updates, half-year 2012/13",
        "2 items without an update",
        datetime.date(2012, 10, 31),
    )
    assert item.responsible == [world.officer_a]
    factories.ProgressUpdateFactory(item=action, point=point)
    (item,) = of_kind(Kind.PROGRESS_DUE, datetime.date(2012, 11, 1))
    assert item.detail == "1 item without an update"
    assert item.working_days_late(datetime.date(2012, 11, 5)) == 3


def set_deadlines(year, plans_due, approvals_due=None):
    FinancialYear.objects.filter(pk=year.pk).update(
        plans_due=plans_due, approvals_due=approvals_due
    )
    year.refresh_from_db()


def test_plans_not_submitted_by_the_round_deadline(world):
    set_deadlines(world.next_year, datetime.date(2013, 2, 28), datetime.date(2013, 3, 15))
    factories.ServicePlanFactory(
        service=world.service_b, year=world.next_year, status=Status.SUBMITTED
    )
    items = of_kind(Kind.PLAN_DUE, datetime.date(2013, 3, 1))
    assert [(item.service, item.detail) for item in items] == [(world.service_a, "not started")]
    (approval,) = of_kind(Kind.APPROVAL_DUE, datetime.date(2013, 3, 15))
    assert approval.service == world.service_b
    # Finance has no head of service: nobody to approve, so the administrators are told.
    assert set(recipients_for(approval, "due-today", [world.admin])) == {world.admin}


def test_a_revised_plan_is_not_chased_for_submission(world):
    set_deadlines(world.next_year, datetime.date(2013, 2, 28))
    for service in (world.service_a, world.service_b):
        factories.ServicePlanFactory(service=service, year=world.next_year, published=True)
        factories.ServicePlanFactory(service=service, year=world.next_year, version=2)
    assert of_kind(Kind.PLAN_DUE, datetime.date(2013, 3, 10)) == []


def test_nothing_is_chased_without_deadlines(world):
    assert of_kind(Kind.PLAN_DUE, datetime.date(2013, 3, 10)) == []
    assert stage_on(datetime.date(2013, 3, 10), datetime.date(2013, 3, 1)) is None
