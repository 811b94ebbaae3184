"""Who may chase which services: the chasing page's one rule, used by each of its views."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from organisation.access import (
    HEADS_OF_SERVICE,
    is_administrator,
    role_names,
    services_approvable_by,
)
from organisation.models import Service


def may_chase(user) -> bool:
    """Administrators, and heads of service. No query beyond the user's roles, which are read
    once per request: the header asks on every page."""
    return is_administrator(user) or HEADS_OF_SERVICE in role_names(user)


def services_chased_by(user) -> QuerySet[Service]:
    """The services whose late work the user sees and chases: every one for an administrator,
    the portfolio they lead for a head of service. Anyone else may not chase (403)."""
    if not may_chase(user):
        raise PermissionDenied
    return services_approvable_by(user)
