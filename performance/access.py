"""Who may enter, read and sign off performance figures."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from organisation.access import is_administrator, services_approvable_by, services_editable_by
from organisation.council import council_settings
from organisation.models import Service
from performance.models import Actual, FigureSignOff


def services_for_figures(request: HttpRequest) -> QuerySet[Service]:
    """The services whose figures the user enters: those they edit. Nobody else has a figures
    page (403). The same people read a figure's history."""
    services = services_editable_by(request.user)
    if not services.exists():
        raise PermissionDenied
    return services


def may_read_history(user, service: Service) -> bool:
    """Whether the user reads the history of a service's figures: whoever enters them."""
    return services_editable_by(user).filter(pk=service.pk).exists()


def may_sign_off(user, service: Service) -> bool:
    """The service's head of service signs off its figures; an administrator may stand in.
    Officers who enter the figures never sign off their own."""
    if not user.is_authenticated:
        return False
    if is_administrator(user):
        return True
    return service.head_of_service.user_id == user.pk


def services_signed_off_by(user) -> QuerySet[Service]:
    """The services whose figures the user may sign off (may_sign_off, as a query)."""
    return services_approvable_by(user)


def service_for_sign_off(request: HttpRequest, pk: int) -> Service:
    """For the sign-off page: a service whose figures the user signs off. Its own officers are
    told they may not (403); another service's officer finds nothing there (404), as on every
    page of a service not theirs; members have no figures pages (403)."""
    services = services_for_figures(request)
    service = get_object_or_404(services.select_related("head_of_service"), pk=pk)
    if not may_sign_off(request.user, service):
        raise PermissionDenied
    return service


# Residents (public pages and open data) ------------------------------------------------------


def public_actuals(actuals: QuerySet[Actual]) -> QuerySet[Actual]:
    """The figures residents read: signed-off ones, or every one when the council's settings
    show figures not yet signed off. Take the services from plans.access.services_public."""
    if council_settings().public_shows_provisional:
        return actuals
    signed_off = FigureSignOff.objects.filter(
        service_id=OuterRef("indicator__service_id"), period_end=OuterRef("period_end")
    )
    return actuals.filter(Exists(signed_off))


def public_commentary(commentary: str, *, internal: bool) -> str:
    """Commentary as residents read it: none when its author marked it internal."""
    return "" if internal else commentary
