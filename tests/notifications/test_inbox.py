"""A person's notifications page, opening one, marking all read, and the header's count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Email, Notification
from notifications.selectors import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return factories.UserFactory(username="me")


def test_the_list_shows_only_ones_own_newest_first(client, me):
    factories.NotificationFactory(recipient=me, subject="Older news")
    factories.NotificationFactory(
        recipient=me, subject="Newer news", created_at=timezone.now() + datetime.timedelta(1)
    )
    factories.NotificationFactory(subject="Someone else's news")
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Someone else&#x27;s news" not in page and "Someone else's news" not in page
    assert page.index("Newer news") < page.index("Older news")
    assert "You follow Cabinet." in page  # why they were told
    assert "Endorsed by Cabinet." in page


def test_unread_is_said_in_words(client, me):
    factories.NotificationFactory(recipient=me, subject="Not yet read")
    factories.NotificationFactory(recipient=me, subject="Seen", read_at=timezone.now())
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    rows = page.split("<tr")[2:]
    assert "<strong>Unread</strong>" in next(r for r in rows if "Not yet read" in r)
    assert "Unread" not in next(r for r in rows if "Seen" in r)


def test_the_list_says_whether_each_was_emailed(client, me):
    factories.NotificationFactory(
        recipient=me,
        subject="Was sent",
        email=Email.objects.create(
            recipient=me,
            to=me.email,
            subject="x",
            day=datetime.date.today(),
            sent_at=timezone.now(),
        ),
    )
    factories.NotificationFactory(recipient=me, subject="Not sent yet")
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    rows = page.split("<tr")[2:]
    assert "Email sent" in next(r for r in rows if "Was sent" in r)
    assert "Email waiting to send" in next(r for r in rows if "Not sent yet" in r)

    nobody = factories.UserFactory(email="")
    factories.NotificationFactory(recipient=nobody)
    client.force_login(nobody)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "In the product only: no email address" in page


def test_the_list_is_paginated_and_costs_the_same_queries_for_a_full_page(client, me):
    client.force_login(me)
    factories.NotificationFactory.create_batch(3, recipient=me)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    factories.NotificationFactory.create_batch(PAGE_SIZE, recipient=me)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications:list")).content.decode()
    # session, user, preference, count, page, the header's groups (the unread count is kept in
    # the cache from sign-in)
    assert len(many) == len(few) == 6
    assert page.count(">Unread<") == PAGE_SIZE
    assert "Page 1 of 2" in page
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count(">Unread<") == 3


def test_opening_marks_read_and_goes_to_what_it_is_about(client, me):
    notification = factories.NotificationFactory(recipient=me, url="/plans/7/")
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/plans/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_not_found_and_stays_unread(client, me):
    theirs = factories.NotificationFactory()
    client.force_login(me)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/plans/", "javascript:alert(1)", ""]
)
def test_opening_never_sends_to_another_site(client, me, url):
    notification = factories.NotificationFactory(recipient=me, url=url)
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_marks_only_ones_own(client, me):
    factories.NotificationFactory.create_batch(2, recipient=me)
    theirs = factories.NotificationFactory()
    client.force_login(me)
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def header(page: str) -> str:
    start = page.index('id="nav-notifications"')
    return page[start : page.index("</a>", start)]


def test_the_header_counts_unread_and_changes_after_reading(client, me):
    first, _ = factories.NotificationFactory.create_batch(2, recipient=me)
    factories.NotificationFactory(recipient=me, read_at=timezone.now())
    factories.NotificationFactory()  # someone else's
    client.force_login(me)
    home = client.get(reverse("portal:home")).content.decode()
    assert '2<span class="visually-hidden"> unread</span>' in header(home)

    client.get(reverse("notifications:open", args=[first.pk]))
    home = client.get(reverse("portal:home")).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in header(home)

    client.post(reverse("notifications:mark-all-read"))
    home = client.get(reverse("portal:home")).content.decode()
    assert "unread" not in header(home)
    assert "Notifications" in header(home)


def test_the_kept_count_changes_when_one_is_told_something(client, me):
    """The count is kept in the cache between pages; telling the person drops it."""
    from notifications.services import Message, notify

    client.force_login(me)
    assert "unread" not in header(client.get(reverse("portal:home")).content.decode())
    notify(Message(kind="plan-published", about="plan:1", stage="x", subject="News"), {me: "you"})
    home = client.get(reverse("portal:home")).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in header(home)


def test_anonymous_visitors_have_no_header_link(client):
    page = client.get(reverse("login")).content.decode()
    assert "nav-notifications" not in page
