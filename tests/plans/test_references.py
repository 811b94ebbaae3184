"""Stable references: given once, never reused within a service, kept across years."""

import datetime

import pytest

from organisation.models import MonitoringPoint
from organisation.references import kind_of, service_code
from plans import progress, workflow
from plans.models import PlanEvent, ProgressUpdate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, taken, code",
    [
        ("Licensing", set(), "LIC"),
        ("Direct Services", set(), "DS"),
        ("Democratic Services", {"DS"}, "DS2"),
        ("Democratic Services", {"DS", "DS2"}, "DS3"),
        ("Revenues & Benefits", set(), "RB"),
        ("Audit, Risk & Anti Fraud", set(), "ARAF"),
        ("Regeneration & Youth (excl. Economic Development)", set(), "RY"),
        ("IT", set(), "IT"),
        ("Policy and Performance of the Council", set(), "PPC"),
        ("", set(), "SVC"),
    ],
)
def test_service_codes_are_made_from_the_name(name, taken, code):
    assert service_code(name, taken) == code


@pytest.mark.parametrize(
    "reference, kind",
    [
        ("LIC-A03", "action"),
        ("lic-a03", "action"),
        ("LIC-A03.1", "milestone"),
        ("DS2-A12.10", "milestone"),
        ("LIC-P01", "project"),
        ("LIC-R02", "risk"),
        ("LIC-R02.1", "item"),
        ("LIC-X01", "item"),
        ("LIC", "item"),
        ("", "item"),
    ],
)
def test_a_reference_says_what_it_names_for_messages(reference, kind):
    assert kind_of(reference) == kind


def test_a_new_service_gets_a_code_and_keeps_one_it_was_given():
    assert factories.ServiceFactory(name="Licensing").code == "LIC"
    assert factories.ServiceFactory(name="Library", code="BOOK").code == "BOOK"
    assert factories.ServiceFactory(name="Lichfield Lane").code == "LL"
    assert factories.ServiceFactory(name="Lido").code == "LID"


def test_items_are_numbered_after_their_service_and_kind(world):
    plan = world.plan_a
    actions = [factories.ActionFactory(plan=plan) for _ in range(3)]
    assert [a.reference for a in actions] == ["LIC-A01", "LIC-A02", "LIC-A03"]
    assert factories.ProjectFactory(plan=plan).reference == "LIC-P01"
    assert factories.RiskFactory(plan=plan).reference == "LIC-R01"
    milestones = [factories.MilestoneFactory(action=actions[1]) for _ in range(2)]
    assert [m.reference for m in milestones] == ["LIC-A02.1", "LIC-A02.2"]
    assert factories.ActionFactory(plan=world.plan_b).reference == "FIN-A01"


def test_a_number_is_never_given_twice_in_a_service_even_after_a_deletion(world):
    last_years = factories.ActionFactory(plan=world.published_a)
    first = factories.ActionFactory(plan=world.plan_a)
    second = factories.ActionFactory(plan=world.plan_a)
    assert (last_years.reference, first.reference, second.reference) == (
        "LIC-A01",
        "LIC-A02",
        "LIC-A03",
    )
    second.delete()
    first.delete()
    # LIC-A01 is still last year's: the next action must not take it.
    assert factories.ActionFactory(plan=world.plan_a).reference == "LIC-A02"


def full_published_plan(world):
    plan = world.published_a  # 2011/12
    world.plan_a.delete()  # so that it can roll into 2012/13
    objective = factories.ObjectiveFactory(plan=plan, is_key=True)
    done = factories.ActionFactory(plan=plan, objective=objective, title="Done by its update")
    cancelled = factories.ActionFactory(plan=plan, objective=objective, title="Cancelled")
    carried = factories.ActionFactory(plan=plan, objective=objective, title="Still open")
    factories.MilestoneFactory(action=carried, title="Due")
    project = factories.ProjectFactory(plan=plan, title="Finished project")
    risk = factories.RiskFactory(plan=plan)
    return plan, done, cancelled, carried, project, risk


def test_roll_forward_keeps_references_and_lists_what_it_left_behind(world):
    plan, done, cancelled, carried, project, risk = full_published_plan(world)
    point = MonitoringPoint.objects.create(
        year=plan.year,
        name="Year-end",
        as_at=datetime.date(2012, 3, 31),
        due_date=datetime.date(2012, 4, 30),
    )
    for item, status in ((done, "completed"), (cancelled, "cancelled"), (project, "completed")):
        progress.record_progress(
            plan=plan,
            reference=item.reference,
            point=point,
            by=world.officer_a,
            status=status,
            commentary="Stopped: the partner withdrew." if status == "cancelled" else "",
        )

    rolled = workflow.roll_forward_plan(plan=plan, by=world.officer_a)

    assert list(rolled.actions.values_list("reference", flat=True)) == [carried.reference]
    assert list(rolled.actions.get().milestones.values_list("reference", flat=True)) == [
        f"{carried.reference}.1"
    ]
    assert list(rolled.risks.values_list("reference", flat=True)) == [risk.reference]
    assert not rolled.projects.exists()
    left = {item.reference: item.status_label for item in progress.not_carried_forward(rolled)}
    assert left == {
        done.reference: "Completed",
        cancelled.reference: "Cancelled",
        project.reference: "Completed",
    }
    event = PlanEvent.objects.get(plan=rolled, kind=PlanEvent.Kind.ROLLED_FORWARD)
    assert f"{done.reference} Done by its update (completed)" in event.comment
    assert f"{cancelled.reference} Cancelled (cancelled)" in event.comment
    # A new action in next year's plan takes the next number, not a dropped one.
    assert factories.ActionFactory(plan=rolled).reference == "LIC-A04"


def test_a_revision_keeps_references_and_the_years_progress(world):
    plan = world.published_a
    action = factories.ActionFactory(plan=plan)
    point = MonitoringPoint.objects.create(
        year=plan.year,
        name="Half-year",
        as_at=datetime.date(2011, 9, 30),
        due_date=datetime.date(2011, 10, 31),
    )
    progress.record_progress(
        plan=plan, reference=action.reference, point=point, by=world.officer_a, status="on_track"
    )
    revision = workflow.revise_plan(plan=plan, by=world.officer_a)
    assert list(revision.actions.values_list("reference", flat=True)) == [action.reference]
    items = progress.plan_progress(revision)
    assert items[action.reference].status == ProgressUpdate.Status.ON_TRACK
    assert progress.not_carried_forward(revision) == []  # a revision is the same year
