"""Reads for the report pages."""

from django.db.models import Q, QuerySet

from plans.models import GeneratedReport, ServicePlan, is_administrator


def reports_visible_to(user) -> QuerySet[GeneratedReport]:
    """Administrators see every generated report. Everyone else signed in sees the published
    ones (a member reads only published content: a superseded plan's PDF goes with its plan)
    and the ones they asked for themselves."""
    reports = GeneratedReport.objects.select_related("plan", "requested_by")
    if is_administrator(user):
        return reports
    if not user.is_authenticated:
        return reports.none()
    published = Q(published_at__isnull=False) & (
        Q(plan__isnull=True) | Q(plan__status=ServicePlan.Status.PUBLISHED)
    )
    return reports.filter(published | Q(requested_by=user))


def stored_plan_pdf(plan: ServicePlan) -> GeneratedReport | None:
    return GeneratedReport.objects.filter(plan=plan).first()
