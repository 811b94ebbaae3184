from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from organisation import content_versions
from organisation.access import is_administrator
from organisation.council import council_settings, read_once_per_request


class CouncilNameMiddleware:
    """Until the council has a name, an administrator's visit to a page goes to the settings
    page, which asks for it: a new install prints no other council's name, and its first
    administrator names it before anything else. Others see a neutral "Service plans".

    The request is answered with the council's settings read from the cache once
    (organisation.council.read_once_per_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with read_once_per_request():
            if (
                request.method == "GET"
                and not request.path_info.startswith(self.EXEMPT)
                and not council_settings().name
                and is_administrator(request.user)
                and request.path != reverse("organisation:council-settings")
            ):
                return redirect("organisation:council-settings")
            return self.get_response(request)

    # Signing in and out, passwords, the Django admin, the health check and static files.
    EXEMPT = (
        "/accounts/",
        "/" + settings.ADMIN_URL,
        "/healthz",
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class AdminWritesMiddleware:
    """Whatever an administrator saves or deletes in the Django admin may change what readers
    are shown (a service's name, an indicator, a target, a monitoring point), and the admin
    saves rows itself rather than through the services. So each write there that succeeded (a
    POST answered with a redirect) draws a new council-wide content version: every page part
    kept for readers is made again (organisation.content_versions). Admin writes are rare."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.path_info.startswith(self.ADMIN)
            and response.status_code in (301, 302, 303)
        ):
            content_versions.council_content_changed()
        return response

    ADMIN = "/" + settings.ADMIN_URL
