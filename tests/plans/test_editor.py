"""The plan editor: saving sections, validation, no lost updates, read-only published plans."""

import re

import pytest
from django.urls import reverse

from plans.models import Milestone, Risk, ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db


def section_url(plan, slug):
    return reverse("plans:plan-section", args=[plan.pk, slug])


def base_of(response) -> str:
    return re.search(r'name="base" value="([0-9a-f]+)"', response.content.decode()).group(1)


def formset_data(prefix: str, rows: list[dict], initial: int) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def test_officer_saves_a_narrative_section(officer, world):
    url = section_url(world.plan_a, "introduction")
    base = base_of(officer.get(url))
    response = officer.post(url, {"base": base, "introduction": "We licence taxis."})
    assert response.status_code == 302
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == "We licence taxis."
    assert world.plan_a.history.first().history_user == world.officer_a


def test_second_save_of_the_same_section_gets_a_conflict_page_and_loses_nothing(client, world):
    url = section_url(world.plan_a, "introduction")
    client.force_login(world.officer_a)
    stale_base = base_of(client.get(url))
    # The head of service opens and saves the same section first.
    client.force_login(world.head)
    response = client.post(url, {"base": base_of(client.get(url)), "introduction": "Theirs."})
    assert response.status_code == 302
    # The officer's save, made from the page opened before, does not overwrite it.
    client.force_login(world.officer_a)
    response = client.post(url, {"base": stale_base, "introduction": "Mine, typed carefully."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this section" in page
    assert "Theirs." in page, "their version is shown"
    assert "Mine, typed carefully." in page, "what the officer typed is still in the form"
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == "Theirs."
    # Saving again from the conflict page keeps the officer's version, deliberately.
    response = client.post(
        url, {"base": base_of(response), "introduction": "Mine, typed carefully."}
    )
    assert response.status_code == 302
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == "Mine, typed carefully."


def test_saving_another_section_meanwhile_is_not_a_conflict(officer, world):
    intro_base = base_of(officer.get(section_url(world.plan_a, "introduction")))
    achievements = section_url(world.plan_a, "achievements")
    officer.post(
        achievements,
        {"base": base_of(officer.get(achievements)), "key_achievements": "New taxi policy."},
    )
    response = officer.post(
        section_url(world.plan_a, "introduction"),
        {"base": intro_base, "introduction": "Still fine."},
    )
    assert response.status_code == 302


def test_add_reorder_and_remove_rows_of_a_repeating_section(officer, world):
    first = factories.RiskFactory(plan=world.plan_a, description="First", position=0)
    second = factories.RiskFactory(plan=world.plan_a, description="Second", position=1)
    doomed = factories.RiskFactory(plan=world.plan_a, description="Doomed", position=2)
    url = section_url(world.plan_a, "risks")
    base = base_of(officer.get(url))
    risk = {"category": "operational", "likelihood": "2", "impact": "3"}
    rows = [
        {"id": first.pk, "description": "First", "ORDER": "2", **risk},
        {"id": second.pk, "description": "Second", "ORDER": "1", **risk},
        {"id": doomed.pk, "description": "Doomed", "ORDER": "3", "DELETE": "on", **risk},
        {"description": "Brand new", "ORDER": "4", **risk},
    ]
    data = {"base": base, **formset_data("risks", rows, initial=3)}
    assert officer.post(url, data).status_code == 302
    assert list(world.plan_a.risks.values_list("description", flat=True)) == [
        "Second",
        "First",
        "Brand new",
    ]


def test_bad_input_is_explained_at_the_field_and_in_a_summary_and_nothing_changes(officer, world):
    risk = factories.RiskFactory(plan=world.plan_a, description="Flooding", likelihood=2)
    url = section_url(world.plan_a, "risks")
    base = base_of(officer.get(url))
    rows = [
        {
            "id": risk.pk,
            "description": "Flooding",
            "category": "operational",
            "likelihood": "9",
            "impact": "3",
            "ORDER": "1",
        }
    ]
    response = officer.post(url, {"base": base, **formset_data("risks", rows, initial=1)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_risks-0-likelihood"' in page
    assert "Ensure this value is less than or equal to 5" in page
    assert page.count("Ensure this value is less than or equal to 5") >= 2, "summary and field"
    assert Risk.objects.get(pk=risk.pk).likelihood == 2


def test_stale_repeating_section_is_a_conflict(client, world):
    url = section_url(world.plan_a, "work-streams")
    client.force_login(world.officer_a)
    stale = base_of(client.get(url))
    factories.WorkStreamFactory(plan=world.plan_a, title="Added by a colleague")
    rows = [{"title": "Mine", "ORDER": "1"}]
    response = client.post(url, {"base": stale, **formset_data("work-streams", rows, 0)})
    assert response.status_code == 409
    assert "Added by a colleague" in response.content.decode()
    assert list(world.plan_a.work_streams.values_list("title", flat=True)) == [
        "Added by a colleague"
    ]


def test_action_page_adds_milestones(officer, world):
    action = factories.ActionFactory(plan=world.plan_a, title="Review taxi fares")
    url = reverse("plans:action-edit", args=[world.plan_a.pk, action.pk])
    base = base_of(officer.get(url))
    data = {
        "base": base,
        "title": "Review taxi fares",
        "objective": action.objective_id,
        "status": "on_track",
        **formset_data(
            "milestones",
            [{"title": "Consult the trade", "due_date": "2012-10-01", "ORDER": "1"}],
            initial=0,
        ),
    }
    assert officer.post(url, data).status_code == 302
    assert list(Milestone.objects.filter(action=action).values_list("title", flat=True)) == [
        "Consult the trade"
    ]


def test_published_plan_cannot_be_changed(officer, world):
    plan = world.published_a
    before = plan.introduction
    url = section_url(plan, "introduction")
    assert officer.get(url).status_code == 302
    response = officer.post(url, {"base": "x", "introduction": "Sneaky change"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.introduction == before


def test_a_plan_submitted_meanwhile_refuses_the_save(officer, world):
    url = section_url(world.plan_a, "introduction")
    base = base_of(officer.get(url))
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status="submitted")
    response = officer.post(url, {"base": base, "introduction": "Too late"}, follow=True)
    assert "This plan is submitted for approval: read only." in response.content.decode()
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction != "Too late"


def test_unknown_section_is_404(officer, world):
    assert officer.get(section_url(world.plan_a, "nonsense")).status_code == 404
