"""Writes: making, using and revoking personal tokens. Each change is in the security log."""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import PersonalToken
from security.audit import audit

# "spt_" (service plans token) lets secret scanners and people recognise one in a file.
TOKEN_START = "spt_"
MAX_DAYS = 366
# Writing last_used_at on every request would make each read a write; once a minute is enough
# to tell an owner whether a token is still in use.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, user, name: str, days: int) -> tuple[PersonalToken, str]:
    """A new token for `user`, valid for `days` days. Returns the row and the token itself,
    which is never stored and cannot be shown again."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts from 1 to {MAX_DAYS} days.")
    prefix = secrets.token_hex(4)
    while PersonalToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    row = PersonalToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_digest(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit("api_token_created", username=user.get_username(), prefix=prefix, days=days)
    return row, token


@transaction.atomic
def revoke_token(*, user, pk: int) -> PersonalToken:
    """Revoke one of the user's own tokens (another's: DoesNotExist)."""
    row = PersonalToken.objects.select_for_update().get(user=user, pk=pk)
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit("api_token_revoked", username=user.get_username(), prefix=row.prefix)
    return row


def token_in_use(token: str) -> PersonalToken | None:
    """The live token a request presents, with its user, or None: unknown, wrong secret,
    expired, revoked, or its person deactivated. Notes when it was last used."""
    if not token.startswith(TOKEN_START):
        return None
    prefix = token[len(TOKEN_START) :].split("_", 1)[0]
    now = timezone.now()
    row = (
        PersonalToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(token)):
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        PersonalToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
