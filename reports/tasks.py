"""The background jobs: rendering a report into storage, on django-tasks' database queue.

request_report() and schedule_plan_pdf() record a GeneratedReport and enqueue a job in the same
transaction, so there is never a job without its row or a row nobody will pick up; the worker
(worker.py: a thread here, or `manage.py db_worker`) runs generate_report, which keeps the row's
progress up to date for the page that shows it, and records which plan versions the file shows.

publish_report() is the one way a generated report reaches members: it refuses a report that
includes content members may not read (publication_blockers says what). release_to_residents()
is the one way one reaches residents, a deliberate second step for a report published to
members (its PDF is the members' edition); withdraw_from_residents() takes it back.
schedule_plan_pdf() publishes only the stored PDF of a plan that is published, checked under
the plan's lock; residents get it only once it is released too.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from organisation.access import is_administrator
from plans.models import ServicePlan
from reports import storage, worker
from reports.access import note_releases_changed, published_to_members
from reports.base import (
    Report,
    ReportParametersInvalid,
    content_fingerprint,
    fingerprint,
    get_report,
    plan_not_published,
)
from reports.models import GeneratedReport
from reports.signals import report_published
from security.audit import audit

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
    # The content an administrator checked when releasing the report to residents.
    checked = (row.content_fingerprint, row.fingerprint) if row.released_to_residents_at else None
    started = timezone.now()
    GeneratedReport.objects.filter(pk=row.pk).update(
        status=Status.RUNNING, started_at=started, progress=1, error="", progress_message="Starting"
    )
    try:
        report = get_report(row.report).from_form_data(row.parameters)
        # What members may not read, before and after the figures are read: a plan published
        # or submitted while the render runs is recorded either way.
        unpublished = report.unpublished_content()
        progress = _progress_saver(row.pk)
        progress(2, "Gathering the figures")
        data = report.data(progress)
        html = report.html(data)
        row.fingerprint = fingerprint(html)
        row.content_fingerprint = content_fingerprint(html)
        if earlier := _rendered_before(row):
            storage.reuse(row, earlier, report.pdf_filename())
            rendered = None
        else:
            rendered = report.render_data(data, progress, html=html)
            storage.store(row, rendered)
        unpublished += report.unpublished_content()
        row.status, row.progress = Status.DONE, 100
        row.progress_message = (
            f"Ready: {row.page_count} pages"
            if rendered
            else f"Ready: {row.page_count} pages, unchanged since they were last made"
        )
        row.started_at = started
        row.finished_at = timezone.now()
        row.unpublished_at_render = list(dict.fromkeys(unpublished))
        with transaction.atomic():
            # Only what the render made: a change an administrator made to the row meanwhile
            # (publishing it, withdrawing it from residents) is not written over.
            row.save(update_fields=RENDER_FIELDS)
            row.covers.set(report.plans_covered())
            if checked and _shows_something_new(row, *checked):
                _withdraw_changed_release(row)
    except Exception as error:
        GeneratedReport.objects.filter(pk=row.pk).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
            progress_message="Failed",
        )
        raise
    return {"pages": row.page_count, "bytes": row.size, "rendered": rendered is not None}


RENDER_FIELDS = [
    "fingerprint",
    "content_fingerprint",
    "file",
    "size",
    "page_count",
    "status",
    "progress",
    "progress_message",
    "started_at",
    "finished_at",
    "unpublished_at_render",
]


def _shows_something_new(row: GeneratedReport, checked_content: str, checked: str) -> bool:
    """Whether a released report made again shows other content than the administrator
    checked. The same HTML and stylesheet laid out by a newer engine (an upgrade of WeasyPrint,
    or of the tagging: reports.pdf.RENDERER_VERSION) shows the same; a row rendered before its
    content was fingerprinted on its own is judged by its whole fingerprint."""
    if checked_content:
        return row.content_fingerprint != checked_content
    return row.fingerprint != checked


def _withdraw_changed_release(row: GeneratedReport) -> None:
    """A report released to residents was made again and now shows something else: residents
    were given the PDF an administrator checked (it is the members' edition, which may show
    commentary marked internal), so the new one leaves the public pages until an administrator
    checks it and releases it again."""
    withdrawn = GeneratedReport.objects.filter(
        pk=row.pk, released_to_residents_at__isnull=False
    ).update(released_to_residents_at=None, released_by=None)
    if withdrawn:
        audit(
            "report_release_withdrawn",
            username="",
            report=row.pk,
            title=row.title,
            reason="made again with different content: to be checked and released again",
        )
        transaction.on_commit(note_releases_changed)


def _rendered_before(row: GeneratedReport) -> GeneratedReport | None:
    """A ready report whose file this one can be: the row itself (asked to render again, with
    nothing changed since) or another of the same report with the same fingerprint."""
    same = GeneratedReport.objects.filter(report=row.report, fingerprint=row.fingerprint).exclude(
        file=""
    )
    # The row's stored fingerprint is its file's (both are saved when a render finishes).
    itself = same.filter(pk=row.pk).first()
    others = same.filter(status=Status.DONE).exclude(pk=row.pk)
    return itself or others.order_by("-finished_at", "-pk").first()


def _progress_saver(report_id: int):
    """progress(per_cent, message) that writes to the row at most twice a second: the page that
    shows it asks every two seconds."""
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


def request_report(*, report_class: type[Report], form_data: dict, by) -> GeneratedReport:
    """Queue a report: administrators only. The form data is checked now, so a job never fails
    for a typo; ReportParametersInvalid says what is wrong. It reaches members only through
    publish_report, once it is ready and checked."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team generates reports.")
    report = report_class.from_form_data(form_data)
    with transaction.atomic():
        row = GeneratedReport.objects.create(
            report=report_class.slug,
            title=report.document_title(),
            parameters=report.form_data,
            requested_by=by,
        )
        _enqueue(row)
    return row


def schedule_plan_pdf(*, plan_id: int, again: bool = False) -> GeneratedReport | None:
    """Render a published plan's PDF once, into storage, for members to download. Called when
    the plan is published (plans.workflow.publish_plan, on commit), or when someone asks for the
    PDF of a plan published before reports existed. Does nothing for a plan that is not
    published, or whose PDF is on its way, or made (unless `again`: the planning round's
    "Make the plan PDFs again", after figures were reported; the worker then lays the pages
    out again only if what they show has changed, and members keep the file meanwhile)."""
    with transaction.atomic():
        plan = (
            ServicePlan.objects.select_for_update(of=("self",))
            .select_related("service", "year")
            .filter(pk=plan_id, status=ServicePlan.Status.PUBLISHED)
            .first()
        )
        if plan is None:
            return None
        from reports.service_plan import ServicePlanReport

        row, created = GeneratedReport.objects.get_or_create(
            plan=plan,
            defaults={
                "report": ServicePlanReport.slug,
                "title": f"{plan.service} service plan {plan.year}",
                "parameters": {"plan": str(plan.pk)},
                "published_at": timezone.now(),
            },
        )
        if not created and (row.is_pending or (row.status == Status.DONE and not again)):
            return row
        if not created:  # a failed render is tried again; a made one, if asked
            row.status, row.progress, row.error = Status.QUEUED, 0, ""
            row.save(update_fields=["status", "progress", "error"])
        _enqueue(row)
    return row


def schedule_year_plan_pdfs(*, year, by) -> int:
    """The planning round's "Make the plan PDFs again": every published plan of the year
    queued to render again (after figures were reported or the council's details changed).
    Administrators only. Those whose content has not changed keep their file without being
    laid out again; several workers share the rest (docs/deployment.md). Returns how many
    were queued."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team renders the plans' PDFs.")
    plans = ServicePlan.objects.published().filter(year=year).order_by("pk")
    queued = 0
    for plan_id in plans.values_list("pk", flat=True):
        row = schedule_plan_pdf(plan_id=plan_id, again=True)
        queued += row is not None and row.is_pending
    return queued


def publication_blockers(row: GeneratedReport, *, lock: bool = False) -> list[str]:
    """Why members may not have this report, one sentence each; none: they may. A report that
    includes unpublished content (a plan not published, or the figures of a service whose plan
    for the year is not) is for reviewers only:

    - what it included when it was rendered (a plan's text may change before it is published);
    - a plan version it shows that is no longer published (superseded since);
    - what the report made now from the same parameters would include.

    `lock` locks the covered plans until the end of the transaction, so none is superseded
    between this check and publishing."""
    reasons = [
        f"When the report was generated: {sentence}" for sentence in row.unpublished_at_render
    ]
    covered = row.covers.select_related("service", "year").order_by("service__name", "pk")
    if lock:
        covered = covered.select_for_update(of=("self",))
    reasons += [
        plan_not_published(plan) for plan in covered if plan.status != ServicePlan.Status.PUBLISHED
    ]
    try:
        report = get_report(row.report).from_form_data(row.parameters)
    except (KeyError, ReportParametersInvalid) as problem:
        reasons.append(f"Its parameters no longer make a report ({problem}).")
    else:
        reasons += report.unpublished_content()
    return list(dict.fromkeys(reasons))


def publish_report(*, row: GeneratedReport, by) -> GeneratedReport:
    """Make a ready report available to members (an agenda pack, once checked): the only way a
    generated report reaches them. Refused for a report that includes content members may
    not read; the message names it."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team publishes reports.")
    with transaction.atomic():
        row = GeneratedReport.objects.select_for_update().get(pk=row.pk)
        if row.status != Status.DONE:
            raise ReportRefused("Only a report that is ready can be published.")
        if row.published_at is None:
            if reasons := publication_blockers(row, lock=True):
                raise ReportRefused(
                    f"{row.title} cannot be published to members: it includes content that is "
                    f"not published. {' '.join(reasons)} Generate the report again once all "
                    "of it is published."
                )
            row.published_at = timezone.now()
            row.save(update_fields=["published_at"])
            report_published.send(sender=GeneratedReport, report=row)
    return row


def release_to_residents(*, row: GeneratedReport, by) -> GeneratedReport:
    """Make a report published to members available on the public pages for residents, as it
    is: the members' PDF, with whatever commentary marked internal, figures not yet signed off
    and officers' names it shows (the administrator checks it first). Refused for a report
    that is not ready or not published to members; releasing it again changes nothing."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team releases reports to residents.")
    with transaction.atomic():
        row = GeneratedReport.objects.select_for_update(of=("self",)).get(pk=row.pk)
        if row.status != Status.DONE or not row.file:
            raise ReportRefused("Only a report that is ready can be released to residents.")
        if not GeneratedReport.objects.filter(published_to_members(), pk=row.pk).exists():
            raise ReportRefused(
                f"{row.title} cannot be released to residents: it is not published to members. "
                "Publish it for members first."
            )
        if row.released_to_residents_at is None:
            row.released_to_residents_at = timezone.now()
            row.released_by = by
            row.save(update_fields=["released_to_residents_at", "released_by"])
            audit(
                "report_released_to_residents",
                username=by.get_username(),
                report=row.pk,
                title=row.title,
            )
            transaction.on_commit(note_releases_changed)
    return row


def withdraw_from_residents(*, row: GeneratedReport, by) -> GeneratedReport:
    """Take a report off the public pages: residents can no longer list or download it (members
    still read it). Withdrawing one that is not released changes nothing."""
    if not is_administrator(by):
        raise ReportRefused("Only the policy & performance team withdraws reports from residents.")
    with transaction.atomic():
        row = GeneratedReport.objects.select_for_update(of=("self",)).get(pk=row.pk)
        if row.released_to_residents_at is not None:
            row.released_to_residents_at, row.released_by = None, None
            row.save(update_fields=["released_to_residents_at", "released_by"])
            audit(
                "report_withdrawn_from_residents",
                username=by.get_username(),
                report=row.pk,
                title=row.title,
            )
            transaction.on_commit(note_releases_changed)
    return row


def _enqueue(row: GeneratedReport) -> None:
    result = generate_report.enqueue(row.pk)
    GeneratedReport.objects.filter(pk=row.pk).update(task_id=str(result.id))
    row.task_id = str(result.id)
    transaction.on_commit(worker.kick)
