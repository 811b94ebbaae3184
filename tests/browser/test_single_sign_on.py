"""Signing in with Microsoft, in the browser, through a real OpenID Connect provider on
127.0.0.1 (tests/oidc_provider.py): the sign-in page's button, the provider's page, back
signed in with the role the person's group gives; refused people come back to the sign-in
page with a message. The sign-in page passes axe with single sign-on and without passwords."""

import pytest
from playwright.sync_api import expect

from organisation import access
from tests import factories
from tests.oidc_provider import HEADS_GROUP, OFFICERS_GROUP

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_microsoft(page, live_server, sub: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Microsoft").click()
    # The provider's own page: the person says who they are there.
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


@pytest.fixture
def on_live_server(single_sign_on, live_server, settings):
    settings.SITE_URL = live_server.url  # the redirect URI registered with the provider
    return single_sign_on


def test_a_head_of_service_signs_in_with_microsoft_and_lands_with_their_role(
    live_server, browser, on_live_server, check_accessibility
):
    jane = factories.UserFactory(
        username="jsmith", first_name="Jane", last_name="Smith", email="jane.smith@example.gov.uk"
    )
    factories.ServiceFactory(
        name="Licensing", head_of_service=factories.HeadOfServiceFactory(user=jane)
    )
    on_live_server.provider.set_user(
        "entra-jane", email="Jane.Smith@example.gov.uk", groups=[HEADS_GROUP]
    )
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    check_accessibility(page)

    sign_in_with_microsoft(page, live_server, "entra-jane")

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Sign out Jane Smith")).to_be_visible()
    assert set(jane.groups.values_list("name", flat=True)) == {access.HEADS_OF_SERVICE}
    page.context.close()


def test_someone_without_an_account_is_refused_with_a_message(
    live_server, browser, on_live_server, check_accessibility
):
    on_live_server.provider.set_user(
        "entra-new", email="new.person@example.gov.uk", groups=[OFFICERS_GROUP]
    )
    page = browser.new_context().new_page()

    sign_in_with_microsoft(page, live_server, "entra-new")

    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text("Microsoft did not sign you in")
    check_accessibility(page)
    page.context.close()


def test_with_password_sign_in_off_the_page_offers_only_microsoft(
    live_server, browser, on_live_server, settings, check_accessibility
):
    settings.PASSWORD_SIGN_IN = False
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_role("link", name="Sign in with Microsoft")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    check_accessibility(page)
    page.context.close()
