"""The plan editor's repeating sections, whose rows the form writes itself (plans.forms
render_field): objectives with their priority checkboxes, the action plan, and a refused save
with its errors at the fields all pass axe-core's WCAG 2.2 A and AA rules, and each field is
found by its label."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_repeating_sections_and_their_errors_pass_axe(
    live_server, live_world, new_page, check_accessibility
):
    plan = live_world.plan_a
    factories.PriorityFactory.create_batch(2)
    objective = factories.ObjectiveFactory(plan=plan, title="Cleaner streets")
    factories.ActionFactory(plan=plan, objective=objective, title="Sweep the high street")
    page = new_page(live_world.officer_a)

    page.goto(f"{live_server.url}/plans/{plan.pk}/sections/objectives/")
    row = page.get_by_role("group", name="Cleaner streets")
    expect(row.get_by_role("group", name="Priorities").get_by_role("checkbox")).to_have_count(2)
    check_accessibility(page)

    page.goto(f"{live_server.url}/plans/{plan.pk}/sections/actions/")
    row = page.get_by_role("group", name="Sweep the high street")
    expect(row.get_by_label("Objective")).to_have_value(str(objective.pk))
    check_accessibility(page)

    row.get_by_label("Title").fill("")
    row.get_by_label("Target date").fill("2013-03-31")
    page.get_by_role("button", name="Save action plan").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    title = page.get_by_role("group", name="Sweep the high street").get_by_label("Title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description("This field is required.")
    check_accessibility(page)
