"""Personal tokens: made on the tokens page and shown once, kept only as a hash, revoked by
their owner; a token reads as its person, and an expired or revoked token, or one whose
person is deactivated, reads nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import PersonalToken
from api.services import create_token, revoke_token
from api.throttling import PerTokenThrottle
from tests.api.conftest import MARKER


def _read(client, token, name="api:plan-list", **params):
    return client.get(reverse(name), params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_is_made_on_the_page_shown_once_and_kept_hashed(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("tokens:list"), {"name": "Power BI", "days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = re.search(r'value="(spt_[^"]+)"', response.content.decode()).group(1)
    row = PersonalToken.objects.get(user=world.officer_a)
    assert row.name == "Power BI"
    assert token.startswith(f"spt_{row.prefix}_")
    # No column holds the secret in clear.
    secret = token.split("_", 2)[2]  # after spt_ and the prefix
    assert len(secret) >= 40
    stored = PersonalToken.objects.filter(pk=row.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert row.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    # Shown once: the list names it but never shows it again.
    page = client.get(reverse("tokens:list")).content.decode()
    assert "Power BI" in page and f"spt_{row.prefix}" in page and token not in page


@pytest.mark.parametrize("days", ["0", "367", "soon"])
def test_a_token_lasts_one_day_to_a_year(client, world, days):
    client.force_login(world.member)
    response = client.post(reverse("tokens:list"), {"name": "Excel", "days": days})
    assert "There is a problem" in response.content.decode()
    assert not PersonalToken.objects.exists()


def test_a_token_reads_what_its_person_reads(client, api_world):
    world = api_world.world
    _, officer_b = create_token(user=world.officer_b, name="script", days=5)
    _, officer_a = create_token(user=world.officer_a, name="script", days=5)
    response = _read(client, officer_b, year=2012)
    assert response.status_code == 200
    assert {p["service_code"] for p in response.json()["results"]} == {"FIN"}
    assert MARKER not in response.content.decode()
    assert MARKER in _read(client, officer_a, year=2012).content.decode()
    row = PersonalToken.objects.get(user=world.officer_b)
    assert row.last_used_at is not None


def test_the_list_shows_only_ones_own_tokens(client, world):
    create_token(user=world.officer_b, name="Officer B's dashboard", days=5)
    client.force_login(world.officer_a)
    assert "Officer B&#x27;s dashboard" not in client.get(reverse("tokens:list")).content.decode()


def _refused(response):
    return response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(client, world):
    row, token = create_token(user=world.member, name="Excel", days=5)
    client.force_login(world.member)
    response = client.post(reverse("tokens:revoke", args=[row.pk]))
    assert response.status_code == 302
    client.logout()
    assert _refused(_read(client, token))


def test_nobody_revokes_anothers_token(client, world):
    row, token = create_token(user=world.member, name="Excel", days=5)
    client.force_login(world.officer_a)
    assert client.post(reverse("tokens:revoke", args=[row.pk])).status_code == 404
    client.logout()
    assert _read(client, token).status_code == 200


def test_an_expired_token_is_refused(client, world, time_machine):
    _, token = create_token(user=world.member, name="Excel", days=1)
    assert _read(client, token).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1, minutes=1))
    assert _refused(_read(client, token))


def test_a_deactivated_persons_token_is_refused(client, world):
    _, token = create_token(user=world.member, name="Excel", days=5)
    world.member.is_active = False
    world.member.save()
    assert _refused(_read(client, token))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer spt_nothing_here", "Bearer a b", "Bearer spt_"],
)
def test_a_made_up_token_is_refused(client, world, header):
    create_token(user=world.member, name="Excel", days=5)
    response = client.get(reverse("api:plan-list"), HTTP_AUTHORIZATION=header)
    assert _refused(response)


def test_a_token_with_the_right_prefix_and_a_wrong_secret_is_refused(client, world):
    _, token = create_token(user=world.member, name="Excel", days=5)
    assert _refused(_read(client, token[:-4] + "AAAA"))


def test_revoking_twice_keeps_the_first_time(world):
    row, _ = create_token(user=world.member, name="Excel", days=5)
    first = revoke_token(user=world.member, pk=row.pk).revoked_at
    assert revoke_token(user=world.member, pk=row.pk).revoked_at == first


def test_requests_are_counted_per_token(client, world, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "2/minute"})
    _, first = create_token(user=world.member, name="Excel", days=5)
    _, second = create_token(user=world.member, name="Power BI", days=5)
    assert [_read(client, first).status_code for _ in range(3)] == [200, 200, 429]
    assert _read(client, second).status_code == 200


@pytest.mark.parametrize("rate", ["lots", "0/hour", "10/week"])
def test_a_bad_api_rate_stops_start_up(rate):
    from tests.test_settings import load_settings

    result = load_settings(API_RATE=rate)
    assert result.returncode != 0 and "API_RATE" in result.stderr


def test_a_good_api_rate_is_taken():
    from tests.test_settings import load_settings

    assert load_settings(API_RATE="60/minute").returncode == 0


def test_the_admin_lists_tokens_without_their_secret(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    row, token = create_token(user=world.member, name="Excel", days=5)
    client.force_login(world.admin)
    listing = client.get(reverse("admin:api_personaltoken_changelist")).content.decode()
    assert row.prefix in listing
    change = client.get(reverse("admin:api_personaltoken_change", args=[row.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    assert row.secret_hash not in page and token not in page
    assert client.get(reverse("admin:api_personaltoken_add")).status_code == 403
