"""Reads of the organisation for its pages."""

from django.db.models import Prefetch, QuerySet

from organisation.access import ROLE_GROUPS
from organisation.models import Committee, HeadOfService, Service
from organisation.users import User


def people(*, role: str = "", active: str = "") -> QuerySet:
    """Everyone, by name, with what the users page shows of them joined in: their role groups,
    the services they edit, the portfolios they lead and the committees they sit on.
    `role`: a role group, "none" (no role) or "" (any); `active`: "yes", "no" or ""."""
    found = User.objects.order_by("last_name", "first_name", "username").prefetch_related(
        "groups",
        Prefetch("edited_services", queryset=Service.objects.order_by("name").only("pk", "name")),
        Prefetch(
            "headships", queryset=HeadOfService.objects.order_by("name").only("pk", "name", "user")
        ),
        Prefetch("committees", queryset=Committee.objects.only("pk", "name", "position")),
    )
    if role == "none":
        found = found.exclude(groups__name__in=ROLE_GROUPS)
    elif role in ROLE_GROUPS:
        found = found.filter(groups__name=role)
    if active in ("yes", "no"):
        found = found.filter(is_active=active == "yes")
    return found
