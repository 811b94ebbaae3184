"""Too many failed sign-ins lock the account (django-axes): the sign-in page says so, the right
password is refused while locked, and an administrator unlocks it with a command."""

import io
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def fail(client, username, times):
    return [sign_in(client, username, f"wrong-{n}") for n in range(times)]


def test_the_account_locks_at_the_limit_with_a_clear_message(client, world):
    first, second, third = fail(client, "member", 3)
    assert first.status_code == second.status_code == 200
    assert "did not match" in second.content.decode()
    assert third.status_code == 429
    page = third.content.decode()
    assert "This account is locked for 15 minutes" in page
    assert "ask the policy and performance team to unlock it" in page
    assert 'name="username"' in page  # still the sign-in page, not a bare error


def test_the_right_password_is_refused_while_locked(client, world):
    fail(client, "member", 3)
    response = sign_in(client, "member", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_other_accounts_are_not_locked(client, world):
    fail(client, "member", 3)
    response = sign_in(client, "officer_a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.officer_a.pk)


def test_the_admin_sign_in_is_covered_too(client, world):
    fail(client, "admin", 3)
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 429


def test_an_administrator_unlocks_the_account_with_a_command(client, world):
    fail(client, "member", 3)
    assert AccessAttempt.objects.filter(username="member").exists()
    out = io.StringIO()
    call_command("axes_reset_username", "member", stdout=out)
    assert "member" in out.getvalue() or "1" in out.getvalue()
    response = sign_in(client, "member", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.member.pk)


def test_a_successful_sign_in_starts_the_count_again(client, world):
    fail(client, "member", 2)
    assert sign_in(client, "member", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    fail(client, "member", 2)
    assert sign_in(client, "member", PASSWORD).status_code == 302


def test_the_lock_out_is_logged(client, world, caplog):
    caplog.set_level(logging.INFO, logger="serviceplans.security")
    fail(client, "member", 3)
    locked = [r for r in caplog.records if getattr(r, "event", "") == "sign_in_locked_out"]
    assert locked and locked[0].facts["username"] == "member"


def test_signing_in_from_code_without_a_request_still_works(client, world):
    """client.login (tests, scripts) has no visitor to lock out; the password still counts."""
    assert client.login(username="member", password=PASSWORD)
    assert not client.login(username="member", password="wrong")


def test_a_username_that_grows_when_normalised_is_refused_not_a_server_error(client, world):
    """'ﷺ' normalises to 18 characters: 50 of them reached axes as 900 (found by tests/fuzz)."""
    response = sign_in(client, "ﷺ" * 50, "whatever")
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert len(AccessAttempt.objects.get().username) == 150
