"""Requests per token (or per person, through the browsable API's session), counted in the
shared database cache so every web worker counts the same requests."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.models import PersonalToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self):
        self.cache = caches["rate_limits"]
        super().__init__()

    def get_cache_key(self, request, view):
        if isinstance(request.auth, PersonalToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
