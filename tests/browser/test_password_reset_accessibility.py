"""Someone who has forgotten their password gets a new one by email, in the browser: from the
sign-in page's link to signed in with the new password, every page (errors and the refused
request included) passing axe-core's WCAG 2.0/2.1/2.2 A and AA rules."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def no_rate_limit_counts(transactional_db):
    """The counts live in a database table that a transactional test's flush leaves alone:
    start and end each test with none, so that no test is refused for another's requests."""
    from django.core.cache import caches

    caches["rate_limits"].clear()
    yield
    caches["rate_limits"].clear()


def test_forgotten_password_journey_passes_axe(
    live_server, browser, check_accessibility, smtp_mail, settings
):
    settings.SITE_URL = live_server.url
    UserFactory(username="claire", email="claire@example.org")
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_accessibility(page)

    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page)

    page.get_by_label("Email").fill("claire@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)

    [message] = smtp_mail.messages
    link = re.search(r"http\S+/reset/\S+/", message.get_body(("plain",)).get_content())[0]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    check_accessibility(page)
    # By its id: the label "New password" is also the start of "New password confirmation".
    new_password = page.locator("#id_new_password1")
    new_password.fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill("something else")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page)
    new_password.fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been set")
    check_accessibility(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    check_accessibility(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_refused_reset_request_passes_axe(
    live_server, browser, check_accessibility, smtp_mail, settings
):
    settings.PASSWORD_RESETS_PER_HOUR = 1
    page = browser.new_context().new_page()
    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/password/reset/")
        page.get_by_label("Email").fill("nobody@example.org")
        page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("alert")).to_contain_text("Too many requests")
    check_accessibility(page)
    assert smtp_mail.messages == []
