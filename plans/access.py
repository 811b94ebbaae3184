"""Who may read, edit and approve plans, and what depends on a plan being published.

Views start by asking this module: they fetch a plan through what the user may see or do, so
anything else is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from organisation.access import is_administrator, services_approvable_by, services_editable_by
from organisation.models import FinancialYear, Service
from plans.models import ServicePlan

PLAN_RELATED = ("service__head_of_service", "year", "endorsed_by")
# What a reader's page shows around a published plan (its title, whether the reader edits the
# service): the plan page's body reads the rest itself, when it is made.
READER_RELATED = ("service__head_of_service", "year")


def plans_editable_by(user) -> QuerySet[ServicePlan]:
    """Every version of the plans of the services the user edits."""
    return ServicePlan.objects.filter(service__in=services_editable_by(user))


def plans_approvable_by(user) -> QuerySet[ServicePlan]:
    """Every version of the plans the user approves or returns."""
    return ServicePlan.objects.filter(service__in=services_approvable_by(user))


def plans_visible_to(user) -> QuerySet[ServicePlan]:
    """Published plans for everyone signed in; every version of their own for staff."""
    if is_administrator(user):
        return ServicePlan.objects.all()
    if not user.is_authenticated:
        return ServicePlan.objects.none()
    own = services_editable_by(user) | services_approvable_by(user)
    return ServicePlan.objects.filter(Q(status=ServicePlan.Status.PUBLISHED) | Q(service__in=own))


def plans_public() -> QuerySet[ServicePlan]:
    """The plans residents read (public pages, open data): published ones only, whatever the
    reader's roles — the same for everyone, so the same for a cache."""
    return ServicePlan.objects.filter(status=ServicePlan.Status.PUBLISHED)


def services_public(year: FinancialYear) -> QuerySet[Service]:
    """Services whose performance for the year residents read: those with a published plan
    for it (services_readable_by for a reader with no roles)."""
    published = plans_public().filter(year=year)
    return Service.objects.filter(pk__in=published.values("service_id"))


def may_edit(user, plan: ServicePlan) -> bool:
    return plans_editable_by(user).filter(pk=plan.pk).exists()


def may_approve(user, plan: ServicePlan) -> bool:
    return plans_approvable_by(user).filter(pk=plan.pk).exists()


def services_readable_by(user, year: FinancialYear) -> QuerySet[Service]:
    """Services whose performance for the year the user may read: those with a published
    plan for it, and the user's own. Targets of a plan still in draft stay unseen."""
    if is_administrator(user):
        return Service.objects.all()
    if not user.is_authenticated:
        return Service.objects.none()
    published = ServicePlan.objects.filter(year=year, status=ServicePlan.Status.PUBLISHED)
    own = services_editable_by(user) | services_approvable_by(user)
    return Service.objects.filter(
        Q(pk__in=published.values("service_id")) | Q(pk__in=own.values("pk"))
    )


# For views: the plan asked for, or a 404 --------------------------------------------------


def plan_for_editor(request: HttpRequest, pk: int) -> ServicePlan:
    plans = plans_editable_by(request.user).select_related(*PLAN_RELATED)
    return get_object_or_404(plans, pk=pk)


def plan_for_staff(request: HttpRequest, pk: int) -> ServicePlan:
    """A plan the user edits or approves (any status)."""
    user = request.user
    plans = ServicePlan.objects.filter(
        Q(pk__in=plans_editable_by(user).values("pk"))
        | Q(pk__in=plans_approvable_by(user).values("pk"))
    ).select_related(*PLAN_RELATED)
    return get_object_or_404(plans, pk=pk)


def plan_for_reader(request: HttpRequest, pk: int) -> ServicePlan:
    """A published plan for anyone signed in; other versions through visible_to.

    The published case is settled by the plan's own row: the plan page is the most read page,
    and visible_to's role and assignment look-ups are only needed for the other versions."""
    plan = get_object_or_404(ServicePlan.objects.select_related(*READER_RELATED), pk=pk)
    published = plan.status == ServicePlan.Status.PUBLISHED
    if published and request.user.is_authenticated:
        return plan
    if not plans_visible_to(request.user).filter(pk=pk).exists():
        raise Http404("No such plan.")
    return plan


def revision_of(pk: int) -> ServicePlan | None:
    """The version now published of a superseded plan: where its old address leads a reader
    who may not read the old version (links in committee papers must keep working). None when
    the plan is not superseded or nothing of its year is published now."""
    superseded = ServicePlan.objects.filter(pk=pk, status=ServicePlan.Status.SUPERSEDED)
    return (
        ServicePlan.objects.filter(
            status=ServicePlan.Status.PUBLISHED,
            service__in=superseded.values("service_id"),
            year__in=superseded.values("year_id"),
        )
        .select_related(*PLAN_RELATED)
        .first()
    )


def plan_for_progress(request: HttpRequest, pk: int) -> ServicePlan:
    """A published plan whose progress the user records: its service's officers, its head of
    service and administrators (plans.progress.may_record_progress). Anyone else, members
    included, and any plan not published: 404."""
    plans = plans_editable_by(request.user).filter(status=ServicePlan.Status.PUBLISHED)
    return get_object_or_404(plans.select_related(*PLAN_RELATED), pk=pk)


def may_read_progress(user, *, service_id: int, year_id: int) -> bool:
    """Progress (and its evidence) is read by whoever may read one of the service's plans for
    the year: anyone signed in once it is published, its own staff before."""
    return plans_visible_to(user).filter(service_id=service_id, year_id=year_id).exists()


def require_administrator(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied
