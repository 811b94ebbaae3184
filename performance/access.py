"""Who may enter and read performance figures."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from organisation.access import services_editable_by
from organisation.models import Service


def services_for_figures(request: HttpRequest) -> QuerySet[Service]:
    """The services whose figures the user enters: those they edit. Nobody else has a figures
    page (403)."""
    services = services_editable_by(request.user)
    if not services.exists():
        raise PermissionDenied
    return services
