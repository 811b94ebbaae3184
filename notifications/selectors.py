"""The reads of a person's own pages: their notifications, a page at a time, each with what
became of its email, and the committees they may follow."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from notifications.delivery import EMAIL_WINDOW
from notifications.models import Notification, Preference
from notifications.services import notifications_of
from organisation.models import Committee

# Notifications on a page of the list.
PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxRow:
    notification: Notification
    emailed: str  # what became of its email, in words


def email_state(notification: Notification, *, address: str, preference: Preference) -> str:
    """Whether a notification was emailed, in words: sent, waiting, or in the product only
    (and why). Mirrors delivery.assemble's choices."""
    email = notification.email
    if email is not None:
        if email.sent_at:
            return f"Email sent {timezone.localtime(email.sent_at):%-d %b %Y %H:%M}"
        return "Email waiting to send"
    if not address:
        return "In the product only: no email address"
    if notification.kind in preference.muted:
        return "In the product only: you turned off these emails"
    if notification.created_at < timezone.now() - EMAIL_WINDOW:
        return "In the product only"
    return "Email waiting to send"


def inbox_page(user, number, preference: Preference) -> tuple[Page, list[InboxRow]]:
    """A page of the user's notifications, newest first: two queries (the count, the page)."""
    notifications = notifications_of(user).select_related("email")
    page = Paginator(notifications, PAGE_SIZE).get_page(number)
    rows = [
        InboxRow(n, email_state(n, address=user.email, preference=preference))
        for n in page.object_list
    ]
    return page, rows


def committees_to_follow() -> QuerySet[Committee]:
    return Committee.objects.order_by("position", "name")


def committees_sat_on(user) -> set[int]:
    """The ids of the committees the user sits on as a member."""
    return set(
        Committee.members.through.objects.filter(user=user).values_list("committee_id", flat=True)
    )
