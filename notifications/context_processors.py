from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.access import may_chase
from notifications.services import unread_count


def unread(request: HttpRequest) -> dict:
    """The header's count of unread notifications: one query, made only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}


def chasing(request: HttpRequest) -> dict:
    """Whether the header links to the chasing page: no query beyond the user's roles, which
    organisation.context_processors.council has already read for this request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_may_chase": may_chase(user)}
