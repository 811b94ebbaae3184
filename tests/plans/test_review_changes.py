"""What the approver checks on the review page: an added or removed part shows every field
(dates, owner, status, priorities, an action's milestones with their dates), not its title only;
a changed part shows each field that changed, its milestones included."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import workflow
from plans.models import Action, Risk
from tests import factories

pytestmark = pytest.mark.django_db


def review_page(client, plan) -> str:
    response = client.get(reverse("portal:plan-review", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def part_details(page: str) -> dict[str, dict[str, str]]:
    """Each added or removed part shown, by its heading: {label: value} of its definition list."""
    details = {}
    for block in page.split('<div class="part-detail')[1:]:
        heading = re.search(r"<h5[^>]*>(.*?)</h5>", block, re.S).group(1)
        pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block, re.S)
        details[text(heading)] = {text(label): text(value) for label, value in pairs}
    return details


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def revision(world):
    """Service A's published plan with one action and one project, revised: the officer adds
    an action with everything filled in, removes the project and moves a milestone."""
    published = world.published_a
    objective = factories.ObjectiveFactory(plan=published, title="Safer night-time economy")
    kept = factories.ActionFactory(plan=published, objective=objective, title="Kept action")
    factories.MilestoneFactory(action=kept, title="Consult", due_date=datetime.date(2011, 9, 1))
    factories.ProjectFactory(
        plan=published,
        title="New licensing system",
        accountable_manager="Licensing Manager",
        deliverables="Online applications for every licence.",
        target_date=datetime.date(2012, 3, 1),
        is_capital=True,
        priority=factories.PriorityFactory(title="Value for money"),
    )
    revision = workflow.revise_plan(plan=published, by=world.officer_a)
    revision.projects.get().delete()
    moved = revision.actions.get().milestones.get()
    moved.due_date = datetime.date(2011, 10, 1)
    moved.save()
    added = factories.ActionFactory(
        plan=revision,
        objective=revision.objectives.get(),
        title="Launch online taxi renewals",
        responsible_officer="Licensing Team Leader",
        success_measure="Half of renewals made online",
        target_date=datetime.date(2012, 1, 31),
        status=Action.Status.ON_TRACK,
        risk="The supplier is late.",
        resource_implications="Within budget.",
        customer_impact="Drivers renew without a visit.",
    )
    added.priorities.add(factories.PriorityFactory(title="Safe communities"))
    factories.MilestoneFactory(
        action=added,
        title="Pilot with ten drivers",
        due_date=datetime.date(2011, 6, 30),
        completed_on=datetime.date(2011, 6, 28),
    )
    factories.MilestoneFactory(action=added, title="Open to all", due_date=None, position=1)
    factories.RiskFactory(
        plan=revision,
        description="Card payments fail",
        category=Risk.Category.OPERATIONAL,
        likelihood=2,
        impact=4,
        owner="Licensing Manager",
        mitigation="A telephone line as a fallback.",
    )
    workflow.submit_plan(plan=revision, by=world.officer_a)
    return revision


def test_an_added_action_shows_every_field_and_its_milestones_with_dates(client, world, revision):
    client.force_login(world.head)
    details = part_details(review_page(client, revision))
    action = revision.actions.get(title="Launch online taxi renewals")
    assert details[f"{action.reference} Launch online taxi renewals"] == {
        "Objective": "Safer night-time economy",
        "Responsible officer": "Licensing Team Leader",
        "Target date": "31 January 2012",
        "Status": "On track",
        "Success measure": "Half of renewals made online",
        "Priorities": details_of_priority(action),
        "Risk": "The supplier is late.",
        "Resource implications": "Within budget.",
        "Customer impact": "Drivers renew without a visit.",
        "Milestones": (
            f"{action.reference}.1 Pilot with ten drivers: due 30 June 2011, completed 28 June "
            f"2011 {action.reference}.2 Open to all: due no date given"
        ),
    }


def details_of_priority(action) -> str:
    return str(action.priorities.get())


def test_a_removed_project_and_an_added_risk_show_every_field(client, world, revision):
    client.force_login(world.head)
    page = review_page(client, revision)
    details = part_details(page)
    project = world.published_a.projects.get()
    assert details[f"{project.reference} New licensing system"] == {
        "Accountable manager": "Licensing Manager",
        "Deliverables or outcomes": "Online applications for every licence.",
        "Target date of delivery": "1 March 2012",
        "High risk": "No",
        "High profile": "Yes",
        "High impact": "No",
        "Capital project": "Yes",
        "Priority": str(project.priority),
    }
    risk = revision.risks.get()
    assert details[f"{risk.reference} Card payments fail"] == {
        "Category": "Operational",
        "Likelihood": "2",
        "Impact": "4",
        "Owner": "Licensing Manager",
        "Mitigation": "A telephone line as a fallback.",
        "Score": "8 (Medium)",
    }
    # Each part is under the section's "Added" or "Removed" heading.
    projects = page[page.index('id="change-projects"') :]
    assert re.search(r"<h4[^>]*>Removed</h4>\s*<div class=\"part-detail", projects)


def test_a_moved_milestone_is_a_change_of_its_action(client, world, revision):
    client.force_login(world.head)
    page = review_page(client, revision)
    kept = revision.actions.get(title="Kept action")
    assert (
        f"Milestones: <del>{kept.reference}.1 Consult, due 1 September 2011</del> → "
        f"<ins>{kept.reference}.1 Consult, due 1 October 2011</ins>" in page
    )


def test_the_review_page_costs_the_same_queries_for_more_added_parts(client, world, revision):
    client.force_login(world.head)
    with CaptureQueriesContext(connection) as few:
        review_page(client, revision)
    for number in range(4):
        action = factories.ActionFactory(plan=revision, title=f"Another {number}")
        action.priorities.add(factories.PriorityFactory())
        factories.MilestoneFactory(action=action)
        factories.ProjectFactory(plan=revision, priority=factories.PriorityFactory())
        factories.RiskFactory(plan=revision)
    with CaptureQueriesContext(connection) as more:
        page = review_page(client, revision)
    assert "Another 3" in page
    assert len(more) == len(few)
