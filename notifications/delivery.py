"""Email: gathering notifications into emails and sending them, retrying what failed.

Each run (the reminder job, and a task queued whenever someone is told something) does two
steps. assemble() puts each notification not yet emailed into an email: reminders into the
person's one digest of the day (unless they asked for immediate mail; a reminder made after the
day's digest waits for tomorrow's), everything else into an email of its own. send_emails()
sends the emails not yet sent. An email that fails stays unsent with the error recorded and is
tried again by a later run; nothing is lost and no page ever waits on the mail server.
A person with no email address, or who muted an optional kind, is told in the product only.
"""

import datetime
import logging
from dataclasses import dataclass
from itertools import groupby

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from notifications.models import REMINDER_KINDS, Email, Kind, Notification, Preference
from notifications.services import unsubscribe_token
from organisation.council import council_settings
from security.site_links import site_url

logger = logging.getLogger(__name__)

# Tried this many times, an email is given up (it stays in the product and in the admin).
MAX_ATTEMPTS = 10
# A failed email is tried again after this; so is one a run claimed and never finished.
RETRY_AFTER = datetime.timedelta(minutes=10)
# Notifications older than this when first gathered are left in the product only (a person
# given an address today is not sent last month's news).
EMAIL_WINDOW = datetime.timedelta(days=3)
KIND_ORDER = list(Kind.values)
# Emails sent per run at most; the next run sends the rest.
BATCH = 2000


@dataclass(frozen=True)
class Sent:
    sent: int
    failed: int


def send_pending(today: datetime.date | None = None) -> Sent:
    """Assemble and send everything waiting: what every route ends with."""
    assemble(today or timezone.localdate())
    return send_emails()


@task()
def send_pending_task() -> dict:
    result = send_pending()
    return {"sent": result.sent, "failed": result.failed}


def send_soon() -> None:
    """Queue a send, so that a request never waits on the mail server (called on commit)."""
    from reports import worker

    send_pending_task.enqueue()
    worker.kick()


def assemble(today: datetime.date) -> int:
    """Put the notifications waiting for email into emails; returns how many emails were made.
    Four queries whatever the number of people and notifications."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email__isnull=True, created_at__gte=timezone.now() - EMAIL_WINDOW)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        if not waiting:
            return 0
        recipients = {n.recipient_id for n in waiting}
        preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=recipients)}
        digested_today = set(
            Email.objects.filter(
                is_digest=True, day=today, recipient_id__in=recipients
            ).values_list("recipient_id", flat=True)
        )
        emails, members = [], []
        for recipient_id, own in groupby(waiting, key=lambda n: n.recipient_id):
            preference = preferences.get(recipient_id) or Preference()
            own = [n for n in own if n.kind not in preference.muted]
            digest = [n for n in own if _waits_for_digest(n, preference)]
            for notification in own:
                if not _waits_for_digest(notification, preference):
                    emails.append(_email_for([notification], today, is_digest=False))
                    members.append([notification])
            if digest and recipient_id not in digested_today:
                emails.append(_email_for(digest, today, is_digest=True))
                members.append(digest)
        Email.objects.bulk_create(emails)
        told = []
        for email, notifications in zip(emails, members, strict=True):
            for notification in notifications:
                notification.email = email
                told.append(notification)
        Notification.objects.bulk_update(told, ["email"])
    return len(emails)


def _waits_for_digest(notification: Notification, preference: Preference) -> bool:
    """Reminders wait for the day's digest, unless the person wants them as they happen or
    someone sent this one by hand ("manual:" stages, from the chasing page)."""
    return (
        notification.kind in REMINDER_KINDS
        and not preference.immediate
        and not notification.stage.startswith("manual:")
    )


def _email_for(notifications: list[Notification], today, *, is_digest: bool) -> Email:
    recipient = notifications[0].recipient
    if is_digest:
        count = len(notifications)
        subject = (
            f"Your reminders for {today:%-d %B %Y}: "
            f"{count} thing{'s' if count != 1 else ''} due or late"
        )
    else:
        subject = notifications[0].subject
    return Email(
        recipient=recipient, to=recipient.email, subject=subject, is_digest=is_digest, day=today
    )


def send_emails() -> Sent:
    """Send the emails not yet sent, one connection for all. A failure is recorded on the email
    (attempts, the error) and logged; it is tried again after RETRY_AFTER. Never raises for
    a mail server that is down."""
    claimed = _claim()
    if not claimed:
        return Sent(0, 0)
    contents = _notifications_of(claimed)
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # the server is down or refuses us: every email waits
        logger.warning("Mail server unavailable, %d emails wait: %s", len(claimed), error)
        for email in claimed:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
        Email.objects.bulk_update(claimed, ["last_error"])
        return Sent(0, len(claimed))
    sent = failed = 0
    try:
        for email in claimed:
            try:
                connection.send_messages([_message(email, contents.get(email.pk, []))])
            except Exception as error:
                failed += 1
                email.last_error = f"{type(error).__name__}: {error}"[:2000]
                logger.warning("Email %s to %s not sent: %s", email.pk, email.to, error)
            else:
                sent += 1
                email.sent_at, email.last_error = timezone.now(), ""
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not lose what was recorded
            logger.warning("Mail connection did not close cleanly", exc_info=True)
        Email.objects.bulk_update(claimed, ["sent_at", "last_error"])
    return Sent(sent, failed)


def _claim() -> list[Email]:
    """Take the emails due a try, counting the attempt first, so that two runs at once never
    send the same email and a run that dies leaves its emails to a later one."""
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=now - RETRY_AFTER))
            .select_related("recipient")
            .order_by("created_at", "pk")[:BATCH]
        )
        for email in claimed:
            email.attempts += 1
            email.last_attempt_at = now
        Email.objects.bulk_update(claimed, ["attempts", "last_attempt_at"])
    return claimed


def _notifications_of(emails: list[Email]) -> dict[int, list[Notification]]:
    contents: dict[int, list[Notification]] = {}
    for notification in Notification.objects.filter(email__in=emails).order_by("created_at", "pk"):
        contents.setdefault(notification.email_id, []).append(notification)
    return contents


def _message(email: Email, notifications: list[Notification]) -> EmailMultiAlternatives:
    optional = sorted({n.kind for n in notifications if n.is_optional})
    unsubscribe = {
        kind: site_url(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(email.recipient, kind)])
        )
        for kind in optional
    }
    context = {
        "council_name": council_settings().name,
        "email": email,
        "recipient": email.recipient,
        # A digest lists its reminders kind by kind (figures, then progress, …), each in order.
        "items": [
            (n, site_url(n.url) if n.url else "")
            for n in sorted(notifications, key=lambda n: KIND_ORDER.index(n.kind))
        ],
        "preferences_url": site_url(reverse("notifications:preferences")),
        "notifications_url": site_url(reverse("notifications:list")),
        "unsubscribe": [(_kind_label(kind), url) for kind, url in unsubscribe.items()],
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if len(unsubscribe) == 1:
        # One-click unsubscribe (RFC 8058) for mail clients that offer it.
        headers["List-Unsubscribe"] = f"<{next(iter(unsubscribe.values()))}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string("notifications/email/message.txt", context),
        to=[email.to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string("notifications/email/message.html", context), "text/html"
    )
    return message


def _kind_label(kind: str) -> str:
    return dict(Notification._meta.get_field("kind").choices)[kind]
