"""After a save is refused, keyboard focus starts at the error summary (not at the top of the
page, 26 Tabs away from the first error), and from there the first error's link reaches its
field: on a page with its own summary (figures) and on one with the shared summary (an
action and its milestones)."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_focus_moves_to_the_error_summary_after_a_refused_save(live_server, live_world, new_page):
    world = live_world
    base = live_server.url
    indicator = factories.IndicatorFactory(code="LPI LI01", service=world.service_a)
    factories.TargetFactory(indicator=indicator, year=world.year, value=95)
    action = factories.ActionFactory(plan=world.plan_a, title="Review taxi fares")
    officer = new_page(world.officer_a)

    officer.goto(f"{base}/performance/figures/{world.service_a.pk}/2012-08/")
    officer.get_by_label("Actual (%)").fill("70")  # red, and no commentary
    officer.get_by_role("button", name="Save figures").click()
    summary = officer.locator("#error-summary")
    expect(summary).to_contain_text("There is a problem")
    # The page's deferred script moves focus once the document is parsed: waited for.
    expect(summary).to_be_focused()
    officer.keyboard.press("Tab")
    first_error = summary.get_by_role("link").first
    expect(first_error).to_be_focused()
    officer.keyboard.press("Enter")
    expect(officer.locator(first_error.get_attribute("href"))).to_be_focused()

    officer.goto(f"{base}/plans/{world.plan_a.pk}/actions/{action.pk}/")
    officer.locator("#id_title").fill("")
    officer.get_by_role("button", name="Save action").click()
    expect(officer.locator("#error-summary")).to_be_focused()
