"""Too many failed sign-ins lock the account (django-axes): the sign-in page says so, the right
password is refused while locked, and an administrator unlocks it with a command.

The lock is on the username at the address the failures came from, so nobody can lock someone
else out from elsewhere; an address failing across many usernames is locked as a whole at a
higher limit (settings.LOGIN_ADDRESS_FAILURE_LIMIT)."""

import io
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, times, address="127.0.0.1"):
    return [sign_in(client, username, f"wrong-{n}", address) for n in range(times)]


def test_the_account_locks_at_the_limit_with_a_clear_message(client, world):
    first, second, third = fail(client, "member", 3)
    assert first.status_code == second.status_code == 200
    assert "did not match" in second.content.decode()
    assert third.status_code == 429
    page = third.content.decode()
    assert "Signing in is locked here for 15 minutes" in page
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


def test_failures_from_one_address_do_not_lock_the_account_at_another(client, world):
    """Anyone could otherwise lock an administrator out by typing wrong passwords for them."""
    assert fail(client, "admin", 3, address="203.0.113.66")[-1].status_code == 429
    assert sign_in(client, "admin", PASSWORD, address="203.0.113.66").status_code == 429
    response = sign_in(client, "admin", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.admin.pk)


def test_an_address_failing_across_many_usernames_is_locked_out(client, world):
    guesses = [sign_in(client, f"user{n}", "wrong", address="203.0.113.66") for n in range(5)]
    assert [response.status_code for response in guesses] == [200, 200, 200, 200, 429]
    # Every account, even with the right password, from that address ...
    assert sign_in(client, "member", PASSWORD, address="203.0.113.66").status_code == 429
    assert SESSION_KEY not in client.session
    # ... but not from another one.
    assert sign_in(client, "member", PASSWORD, address="198.51.100.7").status_code == 302


def test_below_the_address_limit_other_accounts_at_the_address_still_sign_in(client, world):
    for username in ("user0", "user1", "user2", "user3"):
        sign_in(client, username, "wrong", address="203.0.113.66")
    assert sign_in(client, "member", PASSWORD, address="203.0.113.66").status_code == 302


def test_signing_in_to_another_account_does_not_clear_the_failures(client, world):
    """A successful sign-in resets that account's failures only: someone with an account of
    their own cannot sign in between guesses to start the count for `admin` again."""
    fail(client, "admin", 2, address="203.0.113.66")
    assert sign_in(client, "member", PASSWORD, address="203.0.113.66").status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="203.0.113.66")
    assert fail(client, "admin", 1, address="203.0.113.66")[0].status_code == 429


def test_an_administrator_unlocks_an_address_with_a_command(client, world):
    for n in range(5):
        sign_in(client, f"user{n}", "wrong", address="203.0.113.66")
    assert sign_in(client, "member", PASSWORD, address="203.0.113.66").status_code == 429
    call_command("axes_reset_ip", "203.0.113.66", stdout=io.StringIO())
    assert sign_in(client, "member", PASSWORD, address="203.0.113.66").status_code == 302


def test_axes_checks_pass_without_being_silenced(settings):
    assert "axes.W006" not in settings.SILENCED_SYSTEM_CHECKS
    assert not [message for message in run_checks() if message.id.startswith("axes.")]


def test_behind_the_proxy_the_lock_is_on_the_address_the_proxy_added(client, world, settings):
    """Every request comes from the proxy's address; the visitor's is the last X-Forwarded-For
    entry. Entries the visitor sent themselves (before it) do not dodge the lock."""
    settings.BEHIND_PROXY = True
    for n in range(3):
        response = client.post(
            reverse("login"),
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.66",
        )
    assert response.status_code == 429
    response = client.post(
        reverse("login"),
        {"username": "admin", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302
