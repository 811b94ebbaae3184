"""The writes of notifications, which every route calls (workflow receivers, the reminder job,
the chasing page's "remind now", the pages of the person told): telling people, reading,
preferences and following committees."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import OPTIONAL_KINDS, Notification, Preference
from organisation.models import Committee


@dataclass(frozen=True)
class Message:
    """What to tell: the same for everyone told it, but for the reason."""

    kind: str
    about: str
    stage: str
    subject: str
    body: str = ""
    url: str = ""


def notify(message: Message, recipients: dict) -> int:
    """Tell each recipient (user → why they are told) the message, once: a person already told
    this (about, stage) is not told again. Returns how many were told now. Email follows
    (delivery.send_pending, on commit)."""
    return notify_many([(message, user, reason) for user, reason in recipients.items()])


def notify_many(messages: list[tuple[Message, object, str]], *, send: bool = True) -> int:
    """notify() for many messages at once, in a fixed number of queries: the reminder job,
    which sends itself (send=False)."""
    if not messages:
        return 0
    now = timezone.now()
    rows = {
        (user.pk, message.about, message.stage): Notification(
            recipient=user,
            kind=message.kind,
            about=message.about,
            stage=message.stage,
            subject=message.subject[:300],
            body=message.body,
            url=message.url,
            reason=reason[:300],
            created_at=now,
        )
        for message, user, reason in messages
        if user is not None and user.is_active
    }
    # The unique (recipient, about, stage) makes telling idempotent, even when two runs race
    # (the count of those told now is then approximate; what is told is not).
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows.values(), ignore_conflicts=True)
    told = Notification.objects.count() - before
    _unread_changed(user_id for user_id, _, _ in rows)
    if told and send:
        from notifications import delivery

        transaction.on_commit(delivery.send_soon, robust=True)
    return told


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    """The header's count, on every page: kept in the shared cache until the person is told
    something or reads (the only two writes of it, notify_many and mark_read); otherwise one
    indexed query. PLAN_PAGE_CACHE_SECONDS bounds a change made behind the product's back."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, settings.PLAN_PAGE_CACHE_SECONDS)
    return count


def mark_read(user, ids=None) -> int:
    """Mark the user's notifications read: those ids, or all. Never another person's."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    _unread_changed([user.pk])
    return marked


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _unread_changed(user_ids: Iterable[int]) -> None:
    # Now, and again when the transaction commits: a page made between the two counts the rows
    # as they were and may keep that count; the second forgetting drops it.
    keys = [_unread_key(user_id) for user_id in set(user_ids)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def preference_of(user) -> Preference:
    """The user's preferences, with the defaults if they never set any (not saved)."""
    if not user.is_authenticated:
        return Preference()
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def set_preferences(user, *, immediate: bool, muted, committees) -> Preference:
    """Save how the user wants to be told. Only optional kinds can be muted."""
    unknown = set(muted) - OPTIONAL_KINDS
    if unknown:
        raise ValueError(f"These cannot be turned off: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        preference, _ = Preference.objects.get_or_create(user=user)
        preference.immediate = immediate
        preference.muted = sorted(muted)
        preference.save()
        preference.committees.set(committees)
    return preference


def mute(user, kind: str) -> Preference:
    """Stop emailing the user one optional kind (the unsubscribe link)."""
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"{kind} cannot be turned off.")
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(user=user)
        if kind not in preference.muted:
            preference.muted = sorted([*preference.muted, kind])
            preference.save(update_fields=["muted"])
    return preference


def follow(user, committee: Committee) -> None:
    preference, _ = Preference.objects.get_or_create(user=user)
    preference.committees.add(committee)


def unfollow(user, committee: Committee) -> None:
    preference = Preference.objects.filter(user=user).first()
    if preference is not None:
        preference.committees.remove(committee)


def follows(user, committee: Committee) -> bool:
    return (
        user.is_authenticated
        and Preference.committees.through.objects.filter(
            preference__user=user, committee=committee
        ).exists()
    )


def followers_of(committee_ids) -> QuerySet:
    """The active people following any of these committees."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, notification_preference__committees__in=list(committee_ids))
        .distinct()
    )


UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user, kind: str) -> str:
    """A signed token for the email's unsubscribe link: it mutes one optional kind for one
    person without signing in, and nothing else."""
    from django.core import signing

    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str):
    """(user, kind) from a token this product made, or None for anything else. Tokens do not
    expire: an old email's link must still work."""
    from django.contrib.auth import get_user_model
    from django.core import signing

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("user")).first()
    if user is None or data.get("kind") not in OPTIONAL_KINDS:
        return None
    return user, data["kind"]
