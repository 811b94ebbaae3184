"""The background jobs: rendering a report into storage, on django-tasks' database queue.

request_report() and schedule_plan_pdf() record a GeneratedReport and enqueue a job in the same
transaction, so there is never a job without its row or a row nobody will pick up; the worker
(worker.py: a thread here, or `manage.py db_worker`) runs generate_report, which keeps the row's
progress up to date for the page that shows it.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from plans.models import GeneratedReport, ServicePlan, is_administrator
from plans.reports import storage, worker
from plans.reports.base import Report, get_report

logger = logging.getLogger(__name__)
Status = GeneratedReport.Status


class ReportRefused(Exception):
    """The user may not do this; the message says why."""


@task()
def generate_report(report_id: int) -> dict:
    """Render a requested report into storage. Runs on the worker, never in a web request."""
    row = GeneratedReport.objects.get(pk=report_id)
    if row.status == Status.DONE:
        return {"pages": row.page_count}  # run twice (a worker restarted): nothing to do
    started = timezone.now()
    GeneratedReport.objects.filter(pk=row.pk).update(
        status=Status.RUNNING, started_at=started, progress=1, error=""
    )
    try:
        report = get_report(row.report).from_form_data(row.parameters)
        rendered = report.render(progress=_progress_saver(row.pk))
        storage.store(row, rendered)
        row.status, row.progress = Status.DONE, 100
        row.progress_message = f"Ready: {rendered.page_count} pages"
        row.started_at = started
        row.finished_at = timezone.now()
        row.save()
    except Exception as error:
        GeneratedReport.objects.filter(pk=row.pk).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
            progress_message="Failed",
        )
        raise
    return {"pages": rendered.page_count, "bytes": len(rendered.content)}


def _progress_saver(report_id: int):
    """progress(per_cent, message) that writes to the row at most twice a second: the page that
    shows it refreshes every two seconds."""
    last = [0.0]

    def save(per_cent: int, message: str) -> None:
        now = time.monotonic()
        if per_cent < 100 and now - last[0] < 0.5:
            return
        last[0] = now
        GeneratedReport.objects.filter(pk=report_id).update(
            progress=max(0, min(per_cent, 99)), progress_message=message[:200]
        )

    return save


def request_report(
    *, report_class: type[Report], form_data: dict, by, published: bool = False
) -> GeneratedReport:
    """Queue a report: administrators only. The form data is checked now, so a job never fails
    for a typo; ReportParametersInvalid says what is wrong."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team generates reports.")
    report = report_class.from_form_data(form_data)
    with transaction.atomic():
        row = GeneratedReport.objects.create(
            report=report_class.slug,
            title=report.document_title(),
            parameters=report.form_data,
            requested_by=by,
            published_at=timezone.now() if published else None,
        )
        _enqueue(row)
    return row


def schedule_plan_pdf(*, plan_id: int) -> GeneratedReport | None:
    """Render a published plan's PDF once, into storage, for members to download. Called when
    the plan is published (plans.workflow.publish_plan, on commit), or when someone asks for the
    PDF of a plan published before reports existed. Does nothing for a plan that is not
    published, or whose PDF is made or on its way."""
    with transaction.atomic():
        plan = (
            ServicePlan.objects.select_for_update(of=("self",))
            .select_related("service", "year")
            .filter(pk=plan_id, status=ServicePlan.Status.PUBLISHED)
            .first()
        )
        if plan is None:
            return None
        from plans.reports.service_plan import ServicePlanReport

        row, created = GeneratedReport.objects.get_or_create(
            plan=plan,
            defaults={
                "report": ServicePlanReport.slug,
                "title": f"{plan.service} service plan {plan.year}",
                "parameters": {"plan": str(plan.pk)},
                "published_at": timezone.now(),
            },
        )
        if not created and row.status != Status.FAILED:
            return row
        if not created:  # a failed render is tried again
            row.status, row.progress, row.error = Status.QUEUED, 0, ""
            row.save(update_fields=["status", "progress", "error"])
        _enqueue(row)
    return row


def publish_report(*, row: GeneratedReport, by) -> GeneratedReport:
    """Make a ready report available to members (an agenda pack, once checked)."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team publishes reports.")
    with transaction.atomic():
        row = GeneratedReport.objects.select_for_update().get(pk=row.pk)
        if row.status != Status.DONE:
            raise ReportRefused("Only a report that is ready can be published.")
        if row.published_at is None:
            row.published_at = timezone.now()
            row.save(update_fields=["published_at"])
    return row


def _enqueue(row: GeneratedReport) -> None:
    result = generate_report.enqueue(row.pk)
    GeneratedReport.objects.filter(pk=row.pk).update(task_id=str(result.id))
    row.task_id = str(result.id)
    transaction.on_commit(worker.kick)
