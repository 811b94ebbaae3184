"""An administrator on the years page makes next year current, sets the deadlines and opens
the round, then follows its progress on the round page (refreshed by a button) and selects
rows: both pages, with their messages, progress and errors, pass axe-core's WCAG 2.2 A and AA
rules."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_years_and_round_pages_pass_axe(
    live_server, live_world, settings, new_page, check_accessibility
):
    settings.REPORTS_WORKER = "process"  # the test runs the queue itself, below
    parking = factories.ServiceFactory(name="Parking")  # published last year, none this year
    factories.ServicePlanFactory(service=parking, year=live_world.last_year, published=True)
    page = new_page(live_world.admin)
    page.get_by_role("link", name="Years", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial years")
    check_accessibility(page)

    page.get_by_role("button", name="Make 2011/12 current").click()
    expect(page.get_by_role("status")).to_contain_text("2011/12 is now the current year")
    page.locator("#id_year").select_option("2012/13")
    page.get_by_label("Plans submitted by").fill("2012-02-28")
    page.get_by_label("Plans approved by").fill("2012-02-01")
    page.get_by_role("button", name="Save the deadlines").click()
    expect(page.locator("main")).to_contain_text("approval before they are submitted")
    check_accessibility(page)

    page.get_by_label("Plans approved by").fill("2012-03-15")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning round 2012/13")
    expect(page.locator("#round-progress")).to_contain_text("waiting to start")
    check_accessibility(page)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#round-progress")).to_contain_text("1 of 1 plan done: 1 rolled forward.")
    expect(page.locator("#round-counts")).to_contain_text("3 draft")
    page.get_by_label("Select Parking").check()
    check_accessibility(page)
