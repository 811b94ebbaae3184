from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from organisation.access import is_administrator
from organisation.council import council_settings


class CouncilNameMiddleware:
    """Until the council has a name, an administrator's visit to a page goes to the settings
    page, which asks for it: a new install prints no other council's name, and its first
    administrator names it before anything else. Others see a neutral "Service plans"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "GET"
            and not council_settings().name
            and is_administrator(request.user)
            and request.path != reverse("organisation:council-settings")
            and not request.path_info.startswith(self.EXEMPT)
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
