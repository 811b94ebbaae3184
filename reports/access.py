"""Who may generate, publish, read and download reports, members and residents."""

import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from organisation.access import is_administrator
from plans.models import ServicePlan
from reports.models import GeneratedReport
from reports.selectors import covers_a_plan


def reports_visible_to(user) -> QuerySet[GeneratedReport]:
    """Administrators see every generated report. Everyone else signed in sees the published
    ones (a member reads only published content: a superseded plan's PDF goes with its plan;
    a pack showing a plan still being worked on is never theirs) and the ones they asked for
    themselves. Each row says whether it shows a superseded plan (`covers_superseded`), in the
    same query: superseded_notes() explains those."""
    reports = GeneratedReport.objects.select_related(
        "plan", "requested_by", "released_by"
    ).annotate(covers_superseded=covers_a_plan(ServicePlan.Status.SUPERSEDED))
    if is_administrator(user):
        return reports
    if not user.is_authenticated:
        return reports.none()
    return reports.filter(published_to_members() | Q(requested_by=user))


def published_to_members() -> Q:
    """The reports members read: published to them, and showing no plan that is not (a
    stored plan PDF goes with its plan; a pack showing a plan being worked on is never
    theirs)."""
    return (
        Q(published_at__isnull=False)
        & (Q(plan__isnull=True) | Q(plan__status=ServicePlan.Status.PUBLISHED))
        & ~covers_a_plan(*ServicePlan.WORKING_STATUSES)
    )


def reports_public() -> QuerySet[GeneratedReport]:
    """The reports residents read and download on the public pages: those an administrator
    released to residents (tasks.release_to_residents) that are still published to members
    and ready to download, whatever the reader (so the same for a cache). A report published
    to members only is not theirs: its PDF is the members' edition, which may show commentary
    marked internal, figures not yet signed off and officers' names. Each row says whether it
    shows a superseded plan, as reports_visible_to's."""
    return (
        GeneratedReport.objects.select_related("plan__service", "plan__year")
        .annotate(covers_superseded=covers_a_plan(ServicePlan.Status.SUPERSEDED))
        .filter(
            published_to_members(),
            released_to_residents_at__isnull=False,
            status=GeneratedReport.Status.DONE,
        )
        .exclude(file="")
    )


RELEASES_VERSION_KEY = "reports-released-to-residents:version"


def releases_version() -> int:
    """Changes whenever a report is released to residents or withdrawn (note_releases_changed):
    the public pages' cache key holds it, so the list and the links change at once rather
    than when the cached page expires. With the shared cache (Redis, CACHE_URL) that is every
    web process at once; where each process keeps its own cache, another one shows the change
    once its copy expires. The file itself is refused at once everywhere, as downloads are
    never cached."""
    return cache.get(RELEASES_VERSION_KEY, 0)


def note_releases_changed() -> None:
    # A new value each time (not a counter that an evicted key would start again at 0).
    cache.set(RELEASES_VERSION_KEY, time.time_ns(), timeout=None)


def report_for(request: HttpRequest, pk: int) -> GeneratedReport:
    """A report the user may see, or a 404."""
    return get_object_or_404(reports_visible_to(request.user), pk=pk)


def require_administrator(request: HttpRequest) -> None:
    """Generating and publishing reports is the policy & performance team's."""
    if not is_administrator(request.user):
        raise PermissionDenied
