"""A session ends after SESSION_IDLE_MINUTES without a request; requests move its expiry on,
writing the session at most once a minute (security/sessions.py)."""

import datetime
import time

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from security.sessions import SEEN

PASSWORD = "correct horse battery staple"


def signed_in_session(client):
    response = client.post(reverse("login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 302
    return Session.objects.get(session_key=client.session.session_key)


def seen_ago(client, session, seconds):
    """Pretend the session was last refreshed `seconds` ago."""
    data = client.session
    data[SEEN] = int(time.time()) - seconds
    data.save()
    session.refresh_from_db()


def test_the_session_lasts_the_idle_time_and_ends_with_the_browser(client, world, settings):
    session = signed_in_session(client)
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert settings.SESSION_COOKIE_AGE == 60 * 60  # the default: an hour
    assert abs(session.expire_date - (timezone.now() + idle)) < datetime.timedelta(seconds=30)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes


def test_a_request_after_a_minute_starts_the_idle_clock_again(client, world):
    session = signed_in_session(client)
    seen_ago(client, session, 61)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("portal:home")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=59)


def test_requests_within_the_minute_do_not_write_the_session(client, world):
    session = signed_in_session(client)
    before = session.expire_date
    for _ in range(3):
        assert client.get(reverse("portal:home")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date == before


def test_an_idle_session_has_to_sign_in_again(client, world):
    session = signed_in_session(client)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_idle_time_is_configurable(client, world, settings):
    settings.SESSION_COOKIE_AGE = 5 * 60
    session = signed_in_session(client)
    assert session.expire_date < timezone.now() + datetime.timedelta(minutes=6)
