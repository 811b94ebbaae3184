"""Pages of the security app. Each view's docstring says who may use it."""

import logging
import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from security.audit import audit, client_ip


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
        **sign_in_options(),
    }
    return render(request, "registration/login.html", context, status=429)


def sign_in_options() -> dict[str, object]:
    """What the sign-in page offers: the password form (unless PASSWORD_SIGN_IN is off) and
    the single sign-on button (when OIDC_ENABLED is on)."""
    return {
        "password_sign_in": settings.PASSWORD_SIGN_IN,
        "single_sign_on": settings.OIDC_ENABLED,
        "single_sign_on_provider": settings.OIDC_PROVIDER_NAME,
    }


class SignInView(auth_views.LoginView):
    """Anyone: the sign-in page. With PASSWORD_SIGN_IN off it shows only the single sign-on
    button and refuses a posted password form (403) without checking the password."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sign_in_options()}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.PASSWORD_SIGN_IN:
            return super().post(request, *args, **kwargs)
        audit(
            "password_sign_in_refused",
            level=logging.WARNING,
            username=str(request.POST.get("username", ""))[:150],
            ip=client_ip(request),
        )
        context = self.get_context_data(password_refused=True)
        return self.render_to_response(context, status=403)
