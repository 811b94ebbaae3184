"""The security log: who signed in, who failed to, who was locked out, and every request the
access checks refused. One line per event on the `serviceplans.security` logger, which goes to
standard output (settings.LOGGING) as text or JSON.

A line names the event and its facts (`sign_in_failed username='x' ip='10.1.2.3'`); with
LOG_FORMAT=json the same facts are fields of the JSON object. Text a visitor typed (a username)
is quoted with repr(), so it cannot forge a line of its own with a line break.
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse

logger = logging.getLogger("serviceplans.security")


def client_ip(request: HttpRequest | None) -> str:
    """The visitor's address. Behind the reverse proxy (BEHIND_PROXY=true) it is the last
    address in X-Forwarded-For, the one our proxy added; earlier entries come from the
    visitor and could be anything, so they are never trusted."""
    if request is None:
        return ""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:45]  # the longest IPv6 address; anything longer is not one
    return request.META.get("REMOTE_ADDR", "")


def audit(event: str, *, level: int = logging.INFO, **facts) -> None:
    """Write one security event with its facts."""
    text = " ".join(f"{name}={value!r}" for name, value in facts.items())
    logger.log(level, f"{event} {text}".rstrip(), extra={"event": event, "facts": facts})


def _username(user) -> str:
    return user.get_username() if user is not None else ""


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    audit("sign_in", username=_username(user), ip=client_ip(request))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit("sign_out", username=_username(user), ip=client_ip(request))


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if "username" not in credentials:
        return  # single sign-on: organisation.oidc logs sso_refused with the reason
    # Django has already replaced the password in `credentials` with asterisks; only the
    # username is written.
    audit(
        "sign_in_failed",
        level=logging.WARNING,
        username=str(credentials.get("username", ""))[:150],
        ip=client_ip(request),
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit(
        "sign_in_locked_out",
        level=logging.WARNING,
        username=str(username or "")[:150],
        ip=client_ip(request),
        failure_limit=settings.AXES_FAILURE_LIMIT,
    )


class SecurityMiddleware:
    """Logs every request a view refused (PermissionDenied: 403, Http404: 404 — the access
    helpers answer 404 for what the user may not see), keeps pages shown to a signed-in user
    out of shared caches and the browser's disk cache, and gives PDFs a policy the browser's
    PDF viewer can work with."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("application/pdf"):
            # Chrome shows an inline PDF in its own viewer, which the pages' policy
            # (default-src and object-src 'none') blocks: "This page has been blocked by
            # Chrome" (crbug.com/271452). A PDF runs none of our scripts; it only must not be
            # framed. Set here, django-csp then leaves the header alone.
            response.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Unpublished plans and budget figures must not linger in a proxy or on the disk
            # of a shared computer after the officer signs out.
            response.setdefault("Cache-Control", "private, no-store")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            status = 403
        elif isinstance(exception, Http404):
            status = 404
        else:
            return None
        user = getattr(request, "user", None)
        audit(
            "access_refused",
            level=logging.WARNING,
            status=status,
            username=_username(user) if user is not None and user.is_authenticated else "",
            method=request.method,
            path=request.path[:300],
            ip=client_ip(request),
        )
        return None  # Django answers with its 403 or 404 page as usual
