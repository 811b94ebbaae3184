"""Pages issue the same number of queries however many rows the plan has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow_plan(plan, n):
    for _ in range(n):
        objective = factories.ObjectiveFactory(plan=plan)
        objective.priorities.add(factories.PriorityFactory())
        action = factories.ActionFactory(plan=plan, objective=objective)
        factories.MilestoneFactory(action=action)
        factories.ProjectFactory(plan=plan, priority=factories.PriorityFactory())
        factories.RiskFactory(plan=plan)
        factories.ConsultationFactory(plan=plan)
        factories.WorkStreamFactory(plan=plan)


@pytest.mark.parametrize(
    "page",
    [
        "plan-section:objectives",
        "plan-section:actions",
        "plan-section:projects",
        "plan-section:risks",
        "plan-section:consultations",
        "plan-section:introduction",
        "portal:plan-workspace",
        "portal:plan-detail",
        "plan-history",
        "action-edit",
    ],
)
def test_plan_pages_do_not_grow_with_the_plan(client, world, page):
    client.force_login(world.officer_a)
    plan = world.plan_a
    grow_plan(plan, 1)
    namespace, name = page.split(":", 1) if page.startswith("portal:") else ("plans", page)
    name, _, section = name.partition(":")

    def url():
        if name == "action-edit":
            return reverse("plans:action-edit", args=[plan.pk, plan.actions.first().pk])
        args = [plan.pk, section] if section else [plan.pk]
        return reverse(f"{namespace}:{name}", args=args)

    few = queries(client, url())
    grow_plan(plan, 4)
    assert queries(client, url()) == few


@pytest.mark.parametrize("persona", ["admin", "head", "officer_a", "member"])
def test_home_does_not_grow_with_plans(client, world, persona):
    client.force_login(world.persona(persona))
    few = queries(client, reverse("portal:home"))
    for _ in range(5):
        service = factories.ServiceFactory(head_of_service=world.service_a.head_of_service)
        service.editors.add(world.officer_a)
        factories.ServicePlanFactory(service=service, year=world.year, published=True)
    assert queries(client, reverse("portal:home")) == few


def test_planning_round_does_not_grow_with_services(client, world):
    client.force_login(world.admin)
    url = reverse("plans:planning-round") + "?year=2012"
    few = queries(client, url)
    for _ in range(5):
        factories.ServicePlanFactory(year=world.year)
        factories.ServiceFactory()
    assert queries(client, url) == few


def test_planning_round_with_counts_and_last_years_plans_does_not_grow(client, world):
    """The counts, the year before's published plans and the roll-forward's progress cost the
    same whatever the number of services."""
    client.force_login(world.admin)
    url = reverse("plans:planning-round") + "?year=2013"
    few = queries(client, url)
    for _ in range(5):
        plan = factories.ServicePlanFactory(year=world.year, published=True)
        factories.ServicePlanFactory(year=world.next_year, service=plan.service)
        factories.ServiceFactory()
    assert queries(client, url) == few


def test_years_page_does_not_grow_with_years(client, world):
    client.force_login(world.admin)
    url = reverse("plans:years")
    few = queries(client, url)
    for start_year in range(2014, 2019):
        factories.MonitoringPointFactory(year=factories.FinancialYearFactory(start_year=start_year))
    assert queries(client, url) == few
