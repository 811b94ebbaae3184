from django.http import HttpRequest

from organisation.access import is_administrator
from organisation.council import council_settings


def council(request: HttpRequest) -> dict:
    """The council's name and contact for every page (no query: the settings are cached).
    `council_name` is "" until an administrator gives one: pages then say only "Service plans"."""
    user = getattr(request, "user", None)
    settings = council_settings()
    return {
        "council_name": settings.name,
        "council": settings,
        "user_is_administrator": bool(user and is_administrator(user)),
    }
