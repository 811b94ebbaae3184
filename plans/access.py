"""Who may read, edit and approve plans, and read what depends on a plan being published."""

from django.db.models import Q

from organisation.access import is_administrator
from organisation.models import FinancialYear, Service
from plans.models import ServicePlan


def services_readable_by(user, year: FinancialYear):
    """Services whose performance for the year the user may read: those with a published
    plan for it, and the user's own. Targets of a plan still in draft stay unseen."""
    if is_administrator(user):
        return Service.objects.all()
    if not user.is_authenticated:
        return Service.objects.none()
    published = ServicePlan.objects.filter(year=year, status=ServicePlan.Status.PUBLISHED)
    own = Service.objects.editable_by(user) | Service.objects.approvable_by(user)
    return Service.objects.filter(
        Q(pk__in=published.values("service_id")) | Q(pk__in=own.values("pk"))
    )
