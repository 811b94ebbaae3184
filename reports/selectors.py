"""Reads for the report pages."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from plans.models import PlanEvent, ServicePlan
from reports.models import GeneratedReport

# Which plan versions a rendered report shows (GeneratedReport.covers).
Covers = GeneratedReport.covers.through
NOT_PUBLISHED = [status for status in ServicePlan.Status if status != ServicePlan.Status.PUBLISHED]


def covers_a_plan(*statuses: str) -> Exists:
    """Whether a report shows a plan version in one of these statuses, as a subquery."""
    return Exists(
        Covers.objects.filter(generatedreport=OuterRef("pk"), serviceplan__status__in=statuses)
    )


def stored_plan_pdf(plan: ServicePlan) -> GeneratedReport | None:
    return GeneratedReport.objects.filter(plan=plan).first()


@dataclass(frozen=True)
class Revision:
    """A plan version a report shows, superseded by the version published now."""

    plan: ServicePlan
    current: ServicePlan | None
    republished_on: datetime.date | None

    def __str__(self) -> str:
        when = f" on {self.republished_on:%-d %B %Y}" if self.republished_on else ""
        return f"{self.plan.service} {self.plan.year} was revised and republished{when}"


@dataclass(frozen=True)
class SupersededNote:
    """Why a report is no longer current, and where the current content is: the newer report
    of the same kind, or else the current plans' pages."""

    revisions: list[Revision]
    newer: GeneratedReport | None

    def __str__(self) -> str:
        return "Superseded: " + "; ".join(str(revision) for revision in self.revisions) + "."

    @property
    def current_plans(self) -> list[ServicePlan]:
        return [revision.current for revision in self.revisions if revision.current]


def superseded_notes(rows: Iterable[GeneratedReport]) -> None:
    """Set `superseded_note` on each row: a SupersededNote if it shows a plan version that has
    been superseded, else None. Rows from reports_visible_to() carry `covers_superseded`; when
    none is, this reads nothing; otherwise three queries, however many rows."""
    rows = list(rows)
    for row in rows:
        row.superseded_note = None
    flagged = {row.pk: row for row in rows if getattr(row, "covers_superseded", True)}
    if not flagged:
        return
    # 1. The superseded versions each row shows.
    shown = list(
        Covers.objects.filter(
            generatedreport_id__in=flagged, serviceplan__status=ServicePlan.Status.SUPERSEDED
        )
        .select_related("serviceplan__service", "serviceplan__year")
        .order_by("serviceplan__service__name", "serviceplan__year__start_year")
    )
    if not shown:
        return
    # 2. The version of each of those plans published now, with when it was published.
    plans = [pair.serviceplan for pair in shown]
    current = {
        (plan.service_id, plan.year_id): plan
        for plan in ServicePlan.objects.published()
        .select_related("service", "year")
        .filter(
            service_id__in={plan.service_id for plan in plans},
            year_id__in={plan.year_id for plan in plans},
        )
        .annotate(
            published_event=Max("events__at", filter=Q(events__kind=PlanEvent.Kind.PUBLISHED))
        )
    }
    # 3. Published reports of the same kinds that show those current versions and nothing
    # unpublished, newest first: the candidates for "the newer report".
    newer = list(
        Covers.objects.filter(
            serviceplan_id__in=[plan.pk for plan in current.values()],
            generatedreport__report__in={row.report for row in flagged.values()},
            generatedreport__status=GeneratedReport.Status.DONE,
            generatedreport__published_at__isnull=False,
        )
        .filter(
            Q(generatedreport__plan__isnull=True)
            | Q(generatedreport__plan__status=ServicePlan.Status.PUBLISHED)
        )
        .exclude(
            Exists(
                Covers.objects.filter(
                    generatedreport=OuterRef("generatedreport"),
                    serviceplan__status__in=NOT_PUBLISHED,
                )
            )
        )
        .select_related("generatedreport")
        .order_by("-generatedreport__published_at", "-generatedreport_id")
    )
    revisions: dict[int, list[Revision]] = {}
    for pair in shown:
        plan = pair.serviceplan
        now = current.get((plan.service_id, plan.year_id))
        revisions.setdefault(pair.generatedreport_id, []).append(
            Revision(plan=plan, current=now, republished_on=_published_on(now))
        )
    for pk, row_revisions in revisions.items():
        row = flagged[pk]
        successors = {revision.current.pk for revision in row_revisions if revision.current}
        since = row.published_at or row.requested_at
        row.superseded_note = SupersededNote(
            revisions=row_revisions,
            newer=next(
                (
                    pair.generatedreport
                    for pair in newer
                    if pair.serviceplan_id in successors
                    and pair.generatedreport.report == row.report
                    and pair.generatedreport_id != row.pk
                    and pair.generatedreport.published_at > since
                ),
                None,
            ),
        )


def _published_on(plan: ServicePlan | None) -> datetime.date | None:
    if plan is None:
        return None
    if plan.published_event is not None:
        return timezone.localdate(plan.published_event)
    return plan.endorsed_on  # published before the workflow recorded events


def latest_monitoring_reports(user, committees) -> list[tuple[Any, GeneratedReport]]:
    """For each committee, the latest monitoring report published for it that the user may
    read: what a member sitting on it reads first. Two queries."""
    from reports.access import reports_visible_to  # access builds on this module

    committees = list(committees)
    if not committees:
        return []
    wanted = {str(committee.pk): committee for committee in committees}
    rows = reports_visible_to(user).filter(
        report="monitoring-report", published_at__isnull=False, status=GeneratedReport.Status.DONE
    )
    latest = {}
    for row in rows.order_by("-published_at", "-pk")[:200]:
        committee = wanted.get(str(row.parameters.get("committee", "")))
        if committee is not None and committee.pk not in latest:
            latest[committee.pk] = (committee, row)
    return [latest[c.pk] for c in committees if c.pk in latest]


@dataclass(frozen=True)
class PlanPdfCounts:
    """The stored PDFs of a year's published plans, for the planning round page."""

    published: int
    done: int
    queued: int
    running: int
    failed: int

    @property
    def waiting(self) -> int:
        return self.queued + self.running

    @property
    def not_asked(self) -> int:
        return self.published - self.done - self.waiting - self.failed

    @property
    def text(self) -> str:
        """One sentence, for the page and for screen readers."""
        parts = [f"{self.done} of {self.published} plan PDFs ready"]
        if self.waiting:
            parts.append(f"{self.running} being made, {self.queued} waiting")
        if self.failed:
            parts.append(f"{self.failed} failed")
        return ", ".join(parts) + "."


def plan_pdf_counts(year) -> PlanPdfCounts:
    """Two queries, whatever the number of plans."""
    Status = GeneratedReport.Status
    counts = GeneratedReport.objects.filter(
        plan__year=year, plan__status=ServicePlan.Status.PUBLISHED
    ).aggregate(
        **{
            name: Count("pk", filter=Q(status=status))
            for name, status in (
                ("done", Status.DONE),
                ("queued", Status.QUEUED),
                ("running", Status.RUNNING),
                ("failed", Status.FAILED),
            )
        }
    )
    published = ServicePlan.objects.published().filter(year=year).count()
    return PlanPdfCounts(published=published, **counts)
