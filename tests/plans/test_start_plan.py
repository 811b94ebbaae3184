"""A service with nothing to roll forward starts its first plan blank."""

import pytest
from django.urls import reverse

from plans import workflow
from plans.models import PlanEvent, ServicePlan
from tests import factories

START = "/plans/start/"


def test_url():
    assert reverse("plans:plan-start") == START


def test_an_editor_starts_a_blank_plan_from_home(client, world):
    client.force_login(world.officer_a)
    home = client.get(reverse("portal:home")).content.decode()
    # Licensing has a 2012/13 draft, which rolls forward to 2013/14 once published.
    assert "Start the Licensing plan" not in home
    new_service = factories.ServiceFactory(name="Street Naming")
    new_service.editors.add(world.officer_a)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Start the Street Naming plan for 2012/13" in home
    response = client.post(START, {"service": new_service.pk, "year": world.year.pk})
    plan = ServicePlan.objects.get(service=new_service, year=world.year)
    assert response.url == reverse("portal:plan-workspace", args=[plan.pk])
    assert (plan.status, plan.version) == (ServicePlan.Status.DRAFT, 1)
    assert plan.events.get().kind == PlanEvent.Kind.CREATED
    again = client.post(START, {"service": new_service.pk, "year": world.year.pk}, follow=True)
    assert "Street Naming already has a plan for 2012/13." in again.content.decode()
    assert ServicePlan.objects.filter(service=new_service).count() == 1


def test_another_services_plan_cannot_be_started(client, world):
    client.force_login(world.officer_b)
    client.post(START, {"service": world.service_a.pk, "year": world.next_year.pk})
    assert not ServicePlan.objects.filter(service=world.service_a, year=world.next_year).exists()
    with pytest.raises(workflow.TransitionRefused, match="not one of yours"):
        workflow.start_plan(service=world.service_a, year=world.next_year, by=world.officer_b)


def test_bad_input_is_not_found(client, world):
    client.force_login(world.admin)
    assert client.post(START, {"service": "x", "year": world.year.pk}).status_code == 404
    assert client.post(START, {}).status_code == 404
