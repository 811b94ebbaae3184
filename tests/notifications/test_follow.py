"""Following a committee from its page."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.services import follows
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee():
    return factories.CommitteeFactory(name="Cabinet")


def test_follow_and_unfollow_from_the_committee_page(client, committee):
    user = factories.UserFactory()
    client.force_login(user)
    page_url = reverse("portal:committee-detail", args=[committee.pk]) + "?year=2012"
    page = client.get(page_url).content.decode()
    assert "Follow this committee" in page
    assert reverse("notifications:follow", args=[committee.pk]) in page

    response = client.post(reverse("notifications:follow", args=[committee.pk]), {"next": page_url})
    assert response["Location"] == page_url
    assert follows(user, committee)
    page = client.get(page_url).content.decode()
    assert "You follow this committee" in page
    assert "Stop following" in page
    assert reverse("notifications:unfollow", args=[committee.pk]) in page

    client.post(reverse("notifications:unfollow", args=[committee.pk]), {"next": page_url})
    assert not follows(user, committee)
    assert "Follow this committee" in client.get(page_url).content.decode()


def test_following_is_post_only(client, committee):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("notifications:follow", args=[committee.pk])).status_code == 405
    assert client.get(reverse("notifications:unfollow", args=[committee.pk])).status_code == 405


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_following_goes_back_only_to_a_page_of_the_product(client, committee, next_url):
    client.force_login(factories.UserFactory())
    response = client.post(reverse("notifications:follow", args=[committee.pk]), {"next": next_url})
    assert response["Location"] == reverse("portal:committee-detail", args=[committee.pk])


def test_following_shows_on_the_preferences_page(client, committee):
    user = factories.UserFactory()
    client.force_login(user)
    client.post(reverse("notifications:follow", args=[committee.pk]))
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.initial["committees"] == [committee]


def render_button(user, committee) -> str:
    request = RequestFactory().get("/committees/1/")
    request.user = user
    template = Template("{% load notifications %}{% follow_button committee %}")
    return template.render(Context({"request": request, "committee": committee}))


def test_the_button_costs_one_query_and_none_for_anonymous(committee):
    from django.contrib.auth.models import AnonymousUser

    user = factories.UserFactory()
    with CaptureQueriesContext(connection) as captured:
        html = render_button(user, committee)
    assert len(captured) == 1
    assert "Follow this committee" in html
    with CaptureQueriesContext(connection) as captured:
        assert render_button(AnonymousUser(), committee).strip() == ""
    assert len(captured) == 0
