"""A person reads their notifications, opens one, chooses how they are told and follows a
committee; someone unsubscribes from an email's link without signing in. Every page passes
axe-core's WCAG 2.2 A and AA rules, at desktop and phone widths for the list."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Kind, Preference
from notifications.services import unsubscribe_token
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_list_and_preferences_pass_axe(live_server, live_world, new_page, check_accessibility):
    member = live_world.member
    live_world.cabinet.members.add(member)
    factories.NotificationFactory.create_batch(2, recipient=member, url="/committees/")
    factories.NotificationFactory(recipient=member, subject="Old news", read_at=timezone.now())
    page = new_page(member)
    header = page.locator("#nav-notifications")
    expect(header).to_contain_text("2 unread")

    header.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your notifications")
    expect(page.locator("#notifications")).to_contain_text("Unread")
    check_accessibility(page)
    page.set_viewport_size({"width": 390, "height": 844})
    check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("#notifications").get_by_role("link", name="Service plan").first.click()
    page.wait_for_url(f"{live_server.url}/committees/")
    expect(header).to_contain_text("1 unread")
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_contain_text("Marked 1 notification as read")
    expect(header).not_to_contain_text("unread")
    check_accessibility(page)

    page.get_by_role("link", name="Choose how you are told").click()
    expect(page.get_by_label("Cabinet (you sit on it)")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("In an email each, as they happen").check()
    page.get_by_label("Plan published").uncheck()
    page.get_by_label("Cabinet (you sit on it)").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status")).to_contain_text("preferences are saved")
    expect(page.get_by_label("Plan published")).not_to_be_checked()
    check_accessibility(page)
    preference = Preference.objects.get(user=member)
    assert preference.immediate and preference.muted == [Kind.PLAN_PUBLISHED]


def test_following_a_committee_from_its_page(live_server, live_world, new_page):
    page = new_page(live_world.member)
    page.goto(f"{live_server.url}/committees/{live_world.cabinet.pk}/")
    page.get_by_role("button", name="Follow this committee").click()
    expect(page.get_by_role("status")).to_contain_text("You follow Cabinet")
    expect(page.locator("#follow-committee")).to_contain_text("You follow this committee")
    page.get_by_role("button", name="Stop following Cabinet").click()
    expect(page.get_by_role("button", name="Follow this committee")).to_be_visible()


def test_unsubscribing_without_signing_in_passes_axe(
    live_server, live_world, new_page, check_accessibility
):
    token = unsubscribe_token(live_world.member, Kind.REPORT_PUBLISHED)
    page = new_page(None)
    page.goto(f"{live_server.url}/notifications/unsubscribe/{token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("report published")
    check_accessibility(page)
    page.get_by_role("button", name="Turn off these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails turned off")
    check_accessibility(page)
    assert Preference.objects.get(user=live_world.member).muted == [Kind.REPORT_PUBLISHED]

    response = page.goto(f"{live_server.url}/notifications/unsubscribe/{token[:-3]}xyz/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Link not recognised")
    check_accessibility(page)
