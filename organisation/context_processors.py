from django.conf import settings
from django.http import HttpRequest

from organisation.access import is_administrator


def council(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "user_is_administrator": bool(user and is_administrator(user)),
    }
