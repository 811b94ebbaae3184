"""The planning round: opening it for a year, rolling plans forward in the background, and
the counts at the top of the round page.

open_round() and roll_forward_selected() record a RollForwardJob and enqueue it on django-tasks'
database queue in the same transaction (the worker: a thread of the web process on SQLite, or
`manage.py db_worker`; reports.receivers starts the thread for any job queued). The worker runs
roll_forward_job: each plan is rolled forward by plans.workflow.roll_forward_plan, as the
administrator who asked (who may roll any plan forward), in its own transaction, so one that
fails is listed with its reason and does not undo the others.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from organisation import services as organisation_services
from organisation.access import is_administrator
from organisation.models import FinancialYear
from plans import workflow
from plans.models import RollForwardJob, ServicePlan
from plans.selectors import RoundRow

logger = logging.getLogger(__name__)
JobStatus = RollForwardJob.Status
NOT_STARTED = "not_started"
# The round page's counts, in the order a plan goes through them.
COUNTED = (
    (NOT_STARTED, "Not started"),
    (ServicePlan.Status.DRAFT, "Draft"),
    (ServicePlan.Status.SUBMITTED, "Submitted"),
    (ServicePlan.Status.RETURNED, "Returned"),
    (ServicePlan.Status.APPROVED, "Approved"),
    (ServicePlan.Status.PUBLISHED, "Published"),
)


class RoundRefused(Exception):
    """The user may not do this; the message says why."""


def year_being_planned(years: list[FinancialYear]) -> FinancialYear | None:
    """The year whose plans are being written: the one after the current year if it exists,
    else the current one (else the latest)."""
    current = next((year for year in years if year.is_current), None)
    if current is None:
        return years[-1] if years else None
    following = next((y for y in years if y.start_year == current.start_year + 1), None)
    return following or current


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(rows: list[RoundRow]) -> list[StatusCount]:
    """How many of the rows are at each step (the newest version of each plan decides)."""
    counted = Counter(row.plan.status if row.plan else NOT_STARTED for row in rows)
    return [StatusCount(status, label, counted[status]) for status, label in COUNTED]


def plans_to_roll_forward(year: FinancialYear, service_ids=None):
    """The published plans of the year before `year` whose service has no plan for `year`."""
    has_plan = ServicePlan.objects.filter(service=OuterRef("service"), year=year)
    plans = (
        ServicePlan.objects.filter(
            year__start_year=year.start_year - 1, status=ServicePlan.Status.PUBLISHED
        )
        .filter(~Exists(has_plan))
        .select_related("service", "year")
        .order_by("service__name")
    )
    if service_ids is not None:
        plans = plans.filter(service_id__in=list(service_ids))
    return plans


def open_round(
    *,
    year: FinancialYear,
    by,
    plans_due: datetime.date | None,
    approvals_due: datetime.date | None,
) -> RollForwardJob | None:
    """Open the round for a year: set its deadlines now (ValidationError if approval would come
    before submission, and nothing is queued) and roll forward, in the background, every
    published plan of the year before that has no plan for the year yet. A council's first year
    has no year before: the deadlines are set and nothing is queued (None); each service starts
    its plan blank (plans.workflow.start_plan)."""
    _require_administrator(by)
    with transaction.atomic():
        organisation_services.set_plan_deadlines(
            year=year, plans_due=plans_due, approvals_due=approvals_due
        )
        if not FinancialYear.objects.filter(start_year=year.start_year - 1).exists():
            return None
        return _queue(year=year, by=by, service_ids=[])


def roll_forward_selected(*, year: FinancialYear, service_ids: list[int], by) -> RollForwardJob:
    """The round page's bulk action: roll forward, in the background, the selected services'
    published plans of the year before (a service without one, or with a plan for the year
    already, is left alone)."""
    _require_administrator(by)
    if not service_ids:
        raise RoundRefused("Select the services whose plans to roll forward.")
    with transaction.atomic():
        return _queue(year=year, by=by, service_ids=sorted(set(service_ids)))


def _require_administrator(user) -> None:
    if not is_administrator(user):
        raise RoundRefused("Only the policy & performance team runs the planning round.")


def _queue(*, year: FinancialYear, by, service_ids: list[int]) -> RollForwardJob:
    if not FinancialYear.objects.filter(start_year=year.start_year - 1).exists():
        raise RoundRefused(f"There is no year before {year} to roll plans forward from.")
    job = RollForwardJob.objects.create(year=year, requested_by=by, service_ids=service_ids)
    roll_forward_job.enqueue(job.pk)
    return job


@task()
def roll_forward_job(job_id: int) -> dict:
    """Roll forward the job's plans, keeping its counts for the round page. Runs on the
    worker, never in a web request. Run twice (a worker restarted), a finished job does
    nothing, and a plan already rolled forward is no longer a candidate."""
    job = RollForwardJob.objects.select_related("year", "requested_by").get(pk=job_id)
    if job.is_finished:
        return {"rolled": job.rolled}
    try:
        plans = list(plans_to_roll_forward(job.year, job.service_ids or None))
        job.status, job.total, job.done, job.rolled, job.failures = JobStatus.RUNNING, 0, 0, 0, []
        job.total = len(plans)
        job.save(update_fields=["status", "total", "done", "rolled", "failures"])
        for plan in plans:
            try:
                with transaction.atomic():
                    workflow.roll_forward_plan(plan=plan, by=job.requested_by)
                job.rolled += 1
            except Exception as error:  # one plan's failure is listed, the others go on
                if not isinstance(error, workflow.TransitionRefused):
                    logger.exception("Rolling %s forward failed", plan)
                job.failures.append({"service": plan.service.name, "reason": _reason(error)})
            job.done += 1
            job.save(update_fields=["done", "rolled", "failures"])
        job.status = JobStatus.DONE
    except Exception as error:
        job.status, job.error = JobStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
        raise
    finally:
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
    return {"rolled": job.rolled, "failed": len(job.failures)}


def _reason(error: Exception) -> str:
    if isinstance(error, workflow.TransitionRefused):
        return str(error)
    messages = getattr(error, "messages", None)  # a ValidationError
    return "; ".join(messages) if messages else f"{type(error).__name__}: {error}"


def latest_job(year: FinancialYear) -> RollForwardJob | None:
    """The newest roll-forward to the year, for the round page's progress."""
    return RollForwardJob.objects.filter(year=year).select_related("requested_by").first()
