"""Reads of personal tokens."""

from django.db.models import QuerySet

from api.models import PersonalToken


def tokens_of(user) -> QuerySet[PersonalToken]:
    """A person's own tokens, newest first: live, expired and revoked."""
    return PersonalToken.objects.filter(user=user)
