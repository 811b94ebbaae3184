"""A head of service chases late figures: the chasing page, a reminder sent, the same reminder
refused the same day with "Send again anyway" offered, and the due-soon filter all pass
axe-core's WCAG 2.2 A and AA rules."""

import datetime

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from organisation.reporting_calendar import month_end
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2012, 10, 22)


@pytest.fixture
def chasing_day(live_world, settings, monkeypatch):
    """Licensing's September 2012 figures are late on Monday 22 October 2012, "today" for the
    pages (the live server runs in this process). Sessions keep the real clock."""
    from django.utils import timezone

    from performance.models import FigureSignOff

    settings.FIGURES_DUE_WORKING_DAYS = 10
    settings.BANK_HOLIDAYS = "england-and-wales"
    settings.REPORTS_WORKER = "process"  # no mail thread outliving the test
    indicator = factories.IndicatorFactory(
        service=live_world.service_a, code="LI01", first_year=2012
    )
    factories.TargetFactory(indicator=indicator, year=live_world.year)
    for month in range(4, 9):
        end = month_end(2012, month)
        factories.ActualFactory(indicator=indicator, period_end=end)
        FigureSignOff.objects.create(
            service=live_world.service_a, period_end=end, by=live_world.head
        )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MONDAY)
    return live_world


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
