"""The plan's history: a revision or roll-forward is one "Copied" entry, not an "Added" per
copied part; what people change afterwards is recorded part by part."""

import datetime
import re

import pytest
from django.urls import reverse

from plans import selectors
from plans.models import Action, ServicePlan
from tests import factories
from tests.plans.test_workflow import full_plan

pytestmark = pytest.mark.django_db


def history_rows(client, plan) -> list[list[str]]:
    """The history table's rows as text: [when, who, what, change]."""
    page = client.get(reverse("plans:plan-history", args=[plan.pk])).content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", row)
        ]
        for row in rows
    ]


def edit_after_the_copy(plan: ServicePlan) -> None:
    objective = plan.objectives.get()
    objective.title = "Keep streets and parks clean"
    objective.save()
    plan.risks.get().delete()
    factories.ActionFactory(plan=plan, objective=None, title="A new action")


def test_a_revision_is_one_entry_and_later_edits_are_each_recorded(client, world):
    full_plan(world.published_a)
    client.force_login(world.officer_a)
    response = client.post(reverse("plans:plan-revise", args=[world.published_a.pk]))
    assert response.status_code == 302
    revision = ServicePlan.objects.get(rolled_from=world.published_a)
    rows = history_rows(client, revision)
    assert [row[2:] for row in rows] == [
        [
            "Plan",
            "Copied from Licensing 2011/12: 1 objective, 2 actions, 2 milestones, 1 project, "
            "1 risk, 1 consultation, 1 other work-stream.",
        ]
    ]
    assert rows[0][1] == world.officer_a.get_full_name()

    edit_after_the_copy(revision)
    changes = [row[2:] for row in history_rows(client, revision)]
    assert ["Action: A new action", "Added"] in changes
    assert [row for row in changes if row[0].startswith("Risk:")][0][1] == "Removed"
    objective = [row for row in changes if row[0].startswith("Objective:")]
    assert len(objective) == 1, "one entry for the edit, none for the copy"
    assert objective[0][1] == "Changed Title: Keep streets and parks clean"
    assert len(changes) == 4


def test_a_roll_forward_is_one_entry_and_says_what_stayed_behind(client, world):
    full_plan(world.published_a)  # 2011/12
    world.plan_a.delete()  # 2012/13 is where it rolls to
    client.force_login(world.officer_a)
    response = client.post(reverse("plans:plan-roll-forward", args=[world.published_a.pk]))
    assert response.status_code == 302
    rolled = ServicePlan.objects.get(year=world.year, service=world.service_a)
    finished = world.published_a.actions.get(status=Action.Status.COMPLETED)
    rows = history_rows(client, rolled)
    assert [row[2:] for row in rows] == [
        [
            "Plan",
            "Copied from Licensing 2011/12: 1 objective, 1 action, 1 milestone, 1 project, "
            f"1 risk. Not carried forward: {finished.reference} Finished action (completed).",
        ]
    ]
    edit_after_the_copy(rolled)
    assert len(history_rows(client, rolled)) == 4


def test_a_plan_started_blank_records_each_part_as_added(world):
    factories.ObjectiveFactory(plan=world.plan_a, title="Licence every taxi")
    kinds = [(entry.what, entry.kind) for entry in selectors.plan_history(world.plan_a)]
    assert sorted(kinds) == [("Objective: Licence every taxi", "added"), ("Plan", "added")]


def test_a_change_reads_as_people_write_it(client, world):
    action = factories.ActionFactory(plan=world.plan_a, objective=None, title="Review fees")
    action.status = Action.Status.AT_RISK
    action.target_date = datetime.date(2013, 4, 30)
    action.save()
    client.force_login(world.officer_a)
    (changed,) = [row for row in history_rows(client, world.plan_a) if row[3] != "Added"]
    assert changed[2:] == [
        "Action: Review fees",
        "Changed Status: Not started At risk Target date: 31 March 30 April 2013",
    ]
