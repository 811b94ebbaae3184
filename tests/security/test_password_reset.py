"""Password reset by email, end to end through a real SMTP server: the email (plain text and
HTML, naming the council) carries a link built from SITE_URL whatever Host header the request
had; following it sets a new password that signs in. The page after asking is the same
whether or not the address has an account; requests are limited by network address and by
email address."""

import logging
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import UserFactory

SITE = "https://plans.example-council.gov.uk"
NEW_PASSWORD = "a brand new passphrase 42"
LINK = re.compile(r"https?://\S+/accounts/password/reset/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.COUNCIL_NAME = "Sevenoaks District Council"
    settings.DEFAULT_FROM_EMAIL = "serviceplans@sevenoaks.example"
    settings.PASSWORD_RESETS_PER_HOUR = 5


@pytest.fixture
def claire(db):
    return UserFactory(username="claire", first_name="Claire", email="claire@example.org")


def ask(client, email, **request):
    return client.post(reverse("password_reset"), {"email": email}, **request)


def reset_link(message) -> str:
    [link] = set(LINK.findall(message.get_body(("plain",)).get_content()))
    return link


def test_the_whole_journey_from_forgotten_to_signed_in(client, claire, smtp_mail):
    response = ask(client, "Claire@Example.org")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")

    [message] = smtp_mail.messages
    assert message.envelope_recipients == ["claire@example.org"]
    assert message["To"] == "claire@example.org"
    assert message["From"] == "serviceplans@sevenoaks.example"
    # Django folds the encoded subject onto a line of its own; mail programs drop the space.
    assert (
        message["Subject"].strip()
        == "Set a new password for service plans – Sevenoaks District Council"
    )
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = reset_link(message)
    assert link.startswith(f"{SITE}/accounts/password/reset/")
    assert "Hello Claire" in text and "Sevenoaks District Council" in text
    assert "Your username is claire" in text and "3 days" in text
    assert f'<a href="{link}"' in html and "Sevenoaks District Council" in html

    page = client.get(link.removeprefix(SITE), follow=True)
    assert "Set a new password" in page.text
    set_password_url = page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.url == reverse("password_reset_complete")
    assert "Your password has been set" in client.get(done.url).text

    assert SESSION_KEY not in client.session  # setting the password does not sign in
    signed_in = client.post(reverse("login"), {"username": "claire", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session[SESSION_KEY] == str(claire.pk)

    client.logout()
    old = client.post(
        reverse("login"), {"username": "claire", "password": "correct horse battery staple"}
    )
    assert old.status_code == 200 and SESSION_KEY not in client.session
    again = client.get(link.removeprefix(SITE))  # the link works once
    assert "This link cannot be used" in again.text


def test_a_wrong_password_of_the_new_password_is_shown_in_the_error_summary(
    client, claire, smtp_mail
):
    ask(client, "claire@example.org")
    page = client.get(reset_link(smtp_mail.messages[0]).removeprefix(SITE), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error: Set a new password" in response.text


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: None, id="no account"),
        pytest.param(
            lambda: UserFactory(email="claire@example.org", is_active=False), id="inactive"
        ),
        pytest.param(
            lambda: UserFactory(email="claire@example.org", password=None), id="unusable password"
        ),
    ],
)
def test_an_address_without_a_usable_account_gets_the_same_page_and_no_mail(
    client, db, smtp_mail, make_user
):
    UserFactory(username="someone", email="someone@example.org")
    known = ask(client, "someone@example.org")
    make_user()
    unknown = ask(client, "claire@example.org")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert [m.envelope_recipients for m in smtp_mail.messages] == [["someone@example.org"]]
    page = client.get(unknown.url)
    assert "If an account has the email address you entered" in page.text


def test_the_link_uses_site_url_whatever_the_host_header(client, claire, smtp_mail, settings):
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    ask(client, "claire@example.org", HTTP_HOST="attacker.example")
    [message] = smtp_mail.messages
    assert reset_link(message).startswith(f"{SITE}/accounts/password/reset/")
    assert "attacker.example" not in message.as_string()


def test_the_link_keeps_site_url_path_prefix_once(client, claire, smtp_mail, settings):
    """Behind a proxy that serves the product under /serviceplans, whether or not the web
    server passes the prefix on as SCRIPT_NAME."""
    settings.SITE_URL = "https://intranet.example.gov.uk/serviceplans"
    ask(client, "claire@example.org")
    ask(client, "claire@example.org", SCRIPT_NAME="/serviceplans")
    for message in smtp_mail.messages:
        assert reset_link(message).startswith(
            "https://intranet.example.gov.uk/serviceplans/accounts/password/reset/"
        )


def test_too_many_requests_for_one_email_address_are_refused(
    client, claire, smtp_mail, settings, caplog
):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for n in range(2):
        assert ask(client, "claire@example.org", REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    with caplog.at_level(logging.WARNING, logger="serviceplans.security"):
        refused = ask(client, "CLAIRE@example.org ", REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert "Too many requests to reset a password" in refused.text
    assert "No email has been sent" in refused.text
    assert "at most 2 times an hour" in refused.text
    assert len(smtp_mail.messages) == 2
    assert "password_reset_limited email='CLAIRE@example.org' ip='10.0.0.9'" in caplog.text


def test_too_many_requests_from_one_network_address_are_refused(client, db, smtp_mail, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    users = [UserFactory(email=f"person{n}@example.org") for n in range(3)]
    responses = [ask(client, user.email, REMOTE_ADDR="10.1.1.1") for user in users]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert len(smtp_mail.messages) == 2
    # Someone elsewhere is not affected.
    assert ask(client, users[2].email, REMOTE_ADDR="10.2.2.2").status_code == 302
    assert len(smtp_mail.messages) == 3


def test_behind_the_proxy_the_limit_is_per_visitor_not_per_proxy(client, db, smtp_mail, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 1
    settings.BEHIND_PROXY = True
    first = UserFactory(email="first@example.org")
    second = UserFactory(email="second@example.org")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert ask(client, first.email, HTTP_X_FORWARDED_FOR="10.0.0.1", **proxy).status_code == 302
    assert ask(client, second.email, HTTP_X_FORWARDED_FOR="10.0.0.2", **proxy).status_code == 302
    forged = ask(client, second.email, HTTP_X_FORWARDED_FOR="10.9.9.9, 10.0.0.1", **proxy)
    assert forged.status_code == 429  # the address the proxy added is the one counted
    assert len(smtp_mail.messages) == 2


def test_a_dead_mail_server_does_not_break_the_page(client, claire, smtp_mail, settings, caplog):
    settings.EMAIL_PORT = 1  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="django.contrib.auth"):
        response = ask(client, "claire@example.org")
    assert response.url == reverse("password_reset_done")
    assert "Failed to send password reset email" in caplog.text


def test_sign_in_page_links_to_the_reset(client, db):
    page = client.get(reverse("login"))
    assert f'<a href="{reverse("password_reset")}">Forgotten your password?</a>' in page.text


def test_an_empty_request_shows_the_error_summary_and_sends_nothing(client, db, smtp_mail):
    response = ask(client, "")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert smtp_mail.messages == []
