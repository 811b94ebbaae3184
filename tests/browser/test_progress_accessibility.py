"""The progress page, an item's update form (also with its error summary shown, which takes
focus), the plan page with progress and an item's history pass axe-core's WCAG 2.2 A and AA
rules."""

import pytest
from playwright.sync_api import expect

from tests.plans.progress_helpers import published_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_progress_pages_pass_axe(live_server, live_world, new_page, check_accessibility):
    published = published_plan(live_world)
    reference = published.action.reference
    page = new_page(live_world.officer_a)
    page.goto(f"{live_server.url}/plans/{published.plan.pk}/progress/")
    check_accessibility(page)

    page.get_by_role("link", name=f"Update {reference}", exact=True).click()
    check_accessibility(page)
    page.get_by_label("Status").select_option("at_risk")
    page.get_by_role("button", name=f"Record progress on {reference}").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.locator("#error-summary")).to_be_focused()
    check_accessibility(page)

    page.get_by_label("Commentary").fill("The supplier is late.")
    page.get_by_role("button", name=f"Record progress on {reference}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Progress on {reference} recorded")
    check_accessibility(page)

    # A member reads the progress on the plan page and the item's history.
    member = new_page(live_world.member)
    member.goto(f"{live_server.url}/plans/{published.plan.pk}/")
    expect(member.locator("main")).to_contain_text("The supplier is late.")
    check_accessibility(member)
    member.get_by_role("link", name=f"History of {reference}", exact=True).click()
    expect(member.locator("main")).to_contain_text("At risk")
    check_accessibility(member)
