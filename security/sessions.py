"""Sessions end after SESSION_COOKIE_AGE seconds without a request (settings: SESSION_IDLE_MINUTES).

Django's SESSION_SAVE_EVERY_REQUEST would give that by writing the session on every page view:
a database write per request, which costs throughput and, on the embedded SQLite database,
competes for its single write lock with the background report worker. Instead the session is
written when it was last refreshed more than SESSION_REFRESH_SECONDS ago, which moves its
expiry on: a user idle for SESSION_COOKIE_AGE seconds is signed out, give or take that minute.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SEEN = "security_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(SEEN, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN] = now  # modified: saved with a new expiry after the response
        return self.get_response(request)


@receiver(user_logged_in)
def _start_the_clock(sender, request, user, **kwargs) -> None:
    # Signing in saves the session anyway; the next minute of pages need not write it again.
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
