"""Pages of the security app. Each view's docstring says who may use it."""

import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Anyone, signed in or not (the reverse proxy and monitoring call it): "ok" while the web
    process answers. It reads no database and no session, so it also measures the ceiling of
    the stack in the load test (bench/loadtest.py)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes calls this instead of the sign-in page's answer once an account has had
    too many failed sign-ins (settings.AXES_LOCKOUT_CALLABLE): the sign-in page again, with a
    message saying what happened and what to do, and status 429."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        "form": AuthenticationForm(request),
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
        "locked_out": True,
        "lockout_minutes": minutes,
    }
    return render(request, "registration/login.html", context, status=429)
