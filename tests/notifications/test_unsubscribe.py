"""The email's unsubscribe link: no sign-in, the signed token names the person and the kind."""

import pytest
from django.core import signing
from django.urls import reverse

from notifications.models import Kind, Preference
from notifications.services import UNSUBSCRIBE_SALT, unsubscribe_token
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return factories.UserFactory()


@pytest.fixture
def link(user):
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(user, Kind.PLAN_PUBLISHED)])


def muted(user) -> list:
    preference = Preference.objects.filter(user=user).first()
    return preference.muted if preference else []


def test_get_says_what_will_stop_and_changes_nothing(client, user, link):
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Turn off emails: plan published" in page
    assert 'method="post"' in page
    assert muted(user) == []


def test_post_mutes_that_kind_only_and_confirms(client, user, link):
    response = client.post(link, follow=True)
    assert muted(user) == [Kind.PLAN_PUBLISHED]
    page = response.content.decode()
    assert "Emails turned off" in page
    assert reverse("notifications:preferences") in page


def test_the_form_needs_no_csrf_token(user, link):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(link)
    assert response.status_code == 302
    assert muted(user) == [Kind.PLAN_PUBLISHED]


def test_one_click_from_a_mail_client(user, link):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        link,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert muted(user) == [Kind.PLAN_PUBLISHED]
    client.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert muted(user) == [Kind.PLAN_PUBLISHED]  # twice is once


# Made when the test runs, not when it is collected: a signed token carries a timestamp, and
# every worker of the suite must collect the same test ids.
BAD_TOKENS = {
    "not-a-token": lambda: "not-a-token",
    "another-purpose": lambda: signing.dumps(
        {"user": 1, "kind": Kind.PLAN_PUBLISHED}, salt="another purpose"
    ),
    # signed properly, but for a kind that cannot be turned off
    "not-optional": lambda: signing.dumps(
        {"user": 1, "kind": Kind.FIGURES_DUE}, salt=UNSUBSCRIBE_SALT
    ),
}


@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_a_bad_token_is_not_found(client, user, bad):
    token = BAD_TOKENS[bad]()
    for method in (client.get, client.post):
        response = method(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 404
        assert "Link not recognised" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_tampered_token_is_not_found(client, user, link):
    token = unsubscribe_token(user, Kind.PLAN_PUBLISHED)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    response = client.post(reverse("notifications:unsubscribe", args=[tampered]))
    assert response.status_code == 404
    assert muted(user) == []
