"""A head of service chases late figures: the chasing page, a reminder sent, the same reminder
refused the same day with "Send again anyway" offered, and the due-soon filter all pass
axe-core's WCAG 2.2 A and AA rules."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_chasing_passes_axe(live_server, chasing_day, new_page, check_accessibility):
    page = new_page(chasing_day.head)
    page.get_by_role("link", name="Chasing", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chasing")
    expect(page.locator("main")).to_contain_text("September 2012 figures")
    check_accessibility(page)

    remind = "Send a reminder now about Licensing, September 2012 figures"
    page.get_by_role("button", name=remind).click()
    expect(page.get_by_role("status")).to_contain_text("Reminder sent to")
    assert Notification.objects.filter(recipient=chasing_day.officer_a).count() == 1
    check_accessibility(page)

    page.get_by_role("button", name=remind).click()
    expect(page.get_by_role("status")).to_contain_text("already had a reminder today")
    again = page.get_by_role(
        "button", name="Send again anyway about Licensing, September 2012 figures"
    )
    expect(again).to_be_visible()
    check_accessibility(page)
    again.click()
    expect(page.get_by_role("status")).to_contain_text("Reminder sent to")
    assert Notification.objects.filter(recipient=chasing_day.officer_a).count() == 2

    page.get_by_label("Show", exact=True).select_option("soon")
    page.get_by_label("What", exact=True).select_option("sign-off-due")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#nothing-late")).to_have_text(
        "Nothing is late or due soon with these filters."
    )
    check_accessibility(page)
