"""A resident, not signed in, follows the footer of the public pages to the accessibility
statement; the statement passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules before the council
has given a contact or dates and after, and does not scroll sideways at 320px."""

import datetime

import pytest
from playwright.sync_api import expect

from organisation.services import update_council_settings
from tests.residents.helpers import turn_on_public_pages

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_reaches_the_statement_from_the_footer(
    live_server, browser, check_accessibility
):
    turn_on_public_pages()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.locator("main h1")).to_contain_text("Accessibility statement")
    expect(page.get_by_text("has not yet given a contact")).to_be_visible()
    check_accessibility(page)

    update_council_settings(
        values={
            "name": "Kentish Weald District Council",
            "contact_email": "access@weald.example",
            "contact_phone": "01732 227000",
            "contact_address": "Council Offices\nArgyle Road",
            "accessibility_prepared_on": datetime.date(2025, 3, 3),
            "accessibility_reviewed_on": datetime.date(2026, 2, 17),
            "accessibility_tested_on": datetime.date(2026, 2, 10),
        }
    )
    page.reload()
    expect(page.get_by_role("link", name="access@weald.example")).to_be_visible()
    expect(page.get_by_text("last reviewed on 17 February 2026")).to_be_visible()
    check_accessibility(page)

    narrow = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    narrow.goto(f"{live_server.url}/accessibility/")
    width = narrow.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the statement scrolls sideways at 320px: {width}px wide"
    narrow.context.close()
    context.close()
