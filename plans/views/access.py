"""How views fetch plans: through what the user may see or do, so anything else is a 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from organisation.access import is_administrator
from plans.models import ServicePlan

PLAN_RELATED = ("service__head_of_service", "year", "endorsed_by")


def plan_for_editor(request: HttpRequest, pk: int) -> ServicePlan:
    plans = ServicePlan.objects.editable_by(request.user).select_related(*PLAN_RELATED)
    return get_object_or_404(plans, pk=pk)


def plan_for_staff(request: HttpRequest, pk: int) -> ServicePlan:
    """A plan the user edits or approves (any status)."""
    user = request.user
    plans = ServicePlan.objects.filter(
        Q(pk__in=ServicePlan.objects.editable_by(user).values("pk"))
        | Q(pk__in=ServicePlan.objects.approvable_by(user).values("pk"))
    ).select_related(*PLAN_RELATED)
    return get_object_or_404(plans, pk=pk)


def plan_for_reader(request: HttpRequest, pk: int) -> ServicePlan:
    """A published plan for anyone signed in; other versions through visible_to.

    The published case is settled by the plan's own row: the plan page is the most read page,
    and visible_to's role and assignment look-ups are only needed for the other versions."""
    plan = get_object_or_404(ServicePlan.objects.select_related(*PLAN_RELATED), pk=pk)
    published = plan.status == ServicePlan.Status.PUBLISHED
    if published and request.user.is_authenticated:
        return plan
    if not ServicePlan.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404("No such plan.")
    return plan


def require_administrator(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied
