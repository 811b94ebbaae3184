"""Report pages: generate committee packs in the background and follow their progress, download
stored PDFs, preview a report's HTML, edit the covering report's narrative.

Each view's docstring says who may use it, and its first lines check it. Nothing here renders
a PDF in the request: packs go on the task queue, a published plan's PDF is served from storage.
A GET only reads: queueing a job, and starting the in-process worker, answer a POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from organisation.access import is_administrator, public_pages_on
from organisation.models import FinancialYear
from organisation.reporting_calendar import latest_point_as_at
from plans.access import plans_visible_to
from plans.models import ServicePlan
from plans.selectors import current_year
from reports import tasks, worker
from reports.access import (
    published_to_members,
    report_for,
    reports_visible_to,
    require_administrator,
)
from reports.base import RenderedReport, all_reports, get_report
from reports.docx import render_docx
from reports.forms import CoveringReportForm, last_month_in
from reports.models import CoveringReport, GeneratedReport
from reports.selectors import plan_pdf_counts, stored_plan_pdf, superseded_notes
from reports.service_plan import ServicePlanReport

# While a job is waiting or running, its page asks how far it has got this often (its script,
# static/js/report-progress.js; the page itself never reloads).
POLL_MILLISECONDS = 2000


def _nonce(request: HttpRequest) -> str:
    """The Content-Security-Policy nonce of this response, when a CSP middleware sets one."""
    # django-csp's nonce is lazy and reads as false until it is made: ask for its text, not
    # its truth.
    nonce = getattr(request, "csp_nonce", None)
    return "" if nonce is None else str(nonce)


def _report_class(slug: str):
    try:
        return get_report(slug)
    except KeyError:
        raise Http404("No such report.") from None


@login_required
def reports_home(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: the reports they may download; administrators also generate them.
    A report showing a plan version that has since been superseded is listed apart, as the
    record of what a committee saw, never as current."""
    administrator = is_administrator(request.user)
    generated = list(reports_visible_to(request.user)[:50])
    superseded_notes(generated)
    context = {
        "is_administrator": administrator,
        "report_classes": all_reports() if administrator else [],
        "generated": [row for row in generated if row.superseded_note is None],
        "superseded": [row for row in generated if row.superseded_note is not None],
        "covering_reports": (
            CoveringReport.objects.select_related("committee", "year") if administrator else []
        ),
    }
    return render(request, "reports/pages/home.html", context)


def _initial(report_class) -> dict:
    year = current_year()
    initial = {}
    if year is not None:
        initial = {"year": year.start_year, "as_at": last_month_in(year)}
    if year is not None and "point" in report_class.form_class.base_fields:
        # The monitoring report: the point members are due to hear about next.
        point = latest_point_as_at(year, timezone.localdate())
        initial["point"] = point.pk if point else None
    return initial


@login_required
def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators: choose a report's parameters and queue it; the page of the job follows."""
    require_administrator(request)
    report_class = _report_class(slug)
    form = report_class.form_class(request.POST or None, initial=_initial(report_class))
    if request.method == "POST" and form.is_valid():
        row = tasks.request_report(
            report_class=report_class, form_data=request.POST.dict(), by=request.user
        )
        messages.success(request, f"{row.title}: queued. This page shows its progress.")
        return redirect("reports:report-status", pk=row.pk)
    return render(request, "reports/pages/new.html", {"report_class": report_class, "form": form})


@login_required
def report_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators: the report's content as HTML in the browser, for checking before the PDF.
    Without parameters, the form to choose them."""
    require_administrator(request)
    report_class = _report_class(slug)
    form = report_class.form_class(request.GET or None, initial=_initial(report_class))
    if not request.GET or not form.is_valid():
        return render(
            request,
            "reports/pages/new.html",
            {"report_class": report_class, "form": form, "preview": True},
        )
    report = report_class(form.cleaned_data, request.GET.dict())
    return HttpResponse(report.html(preview=True, nonce=_nonce(request)))


@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators, and anyone signed in for a published report: progress, then the link;
    whether it is superseded; for administrators, why it cannot be published if it cannot.

    Queueing the job started the worker. A job still waiting when nothing runs the queue (the
    embedded worker thread, after a restart of the web process) gets a button: its POST starts
    the worker."""
    row = report_for(request, pk)
    if request.method == "POST":
        if row.status == GeneratedReport.Status.QUEUED:
            worker.kick()
        return redirect("reports:report-status", pk=row.pk)
    return render(request, "reports/pages/status.html", _status_context(request, row))


@never_cache
@require_GET
@login_required
def report_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """As report_status: how far the report has got, as JSON, for the script of its page. Once
    it is ready or has failed, the page's new live region and administrator's part, as HTML."""
    row = report_for(request, pk)
    context = _status_context(request, row)
    finished = not row.is_pending
    return JsonResponse(
        {
            "status": row.status,
            "pending": row.is_pending,
            "progress": row.progress,
            "text": context["status_text"],
            "result": (
                render_to_string("reports/pages/_status_result.html", context, request)
                if finished
                else None
            ),
            "details": (
                render_to_string("reports/pages/_status_details.html", context, request)
                if finished
                else None
            ),
        }
    )


def _status_context(request: HttpRequest, row: GeneratedReport) -> dict:
    superseded_notes([row])
    administrator = is_administrator(request.user)
    publishable = administrator and row.is_ready and row.published_at is None
    return {
        "row": row,
        "status_text": _status_text(row),
        "poll_milliseconds": POLL_MILLISECONDS,
        "is_administrator": administrator,
        "word": row.report in {cls.slug for cls in all_reports() if cls.word},
        "worker_idle": (
            row.status == GeneratedReport.Status.QUEUED
            and worker.runs_in_process()
            and not worker.is_running()
        ),
        # Why Publish is unavailable, rather than a button that fails.
        "publication_blockers": tasks.publication_blockers(row) if publishable else [],
        "releasable": administrator and _releasable(row),
        "public_pages_on": public_pages_on(),
    }


def _status_text(row: GeneratedReport) -> str:
    """What the live region says of a report on its way: "Being generated: Laying out page 3"."""
    if row.progress_message:
        return f"{row.get_status_display()}: {row.progress_message}."
    if row.status == GeneratedReport.Status.QUEUED:
        return "Waiting to start: waiting for the report worker."
    return f"{row.get_status_display()}."


def _releasable(row: GeneratedReport) -> bool:
    """Whether the Release button is offered (tasks.release_to_residents decides)."""
    return (
        row.is_ready
        and row.released_to_residents_at is None
        and GeneratedReport.objects.filter(published_to_members(), pk=row.pk).exists()
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """As report_status: the stored file, once it is ready; until then, the report's page,
    which says how far it is (or that it failed)."""
    row = report_for(request, pk)
    if not row.is_ready:
        return redirect("reports:report-status", pk=row.pk)
    return tasks.storage.file_response(row)


@login_required
def report_docx(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators: a report that comes as Word too, for the parameters of its form, made in
    the request (under a second for the demo's largest committee: bench/bench_docx.py). Without
    valid parameters, the form."""
    require_administrator(request)
    report_class = _report_class(slug)
    if not report_class.word:
        raise Http404("This report has no Word version.")
    form = report_class.form_class(request.GET or None, initial=_initial(report_class))
    if not request.GET or not form.is_valid():
        return render(
            request, "reports/pages/new.html", {"report_class": report_class, "form": form}
        )
    return _attachment(render_docx(report_class(form.cleaned_data, request.GET.dict())))


@login_required
def report_file_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """As report_download: a stored report's Word version, made now for its parameters. Not for
    a superseded report (its PDF is the record of what the committee saw; this would show the
    plans as they are now)."""
    row = report_for(request, pk)
    report_class = _report_class(row.report)
    if not report_class.word:
        raise Http404("This report has no Word version.")
    if not row.is_ready:
        return redirect("reports:report-status", pk=row.pk)
    superseded_notes([row])
    if row.superseded_note is not None:
        raise Http404("A superseded report has no Word version.")
    return _attachment(render_docx(report_class.from_form_data(row.parameters)))


def _administrators_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    """Administrators: take one step with a report (tasks.<step>), saying that it is `done`
    ("… is now available to members") or why it was refused, back on the report's page."""
    require_administrator(request)
    row = get_object_or_404(GeneratedReport, pk=pk)
    try:
        step(row=row, by=request.user)
    except tasks.ReportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{row.title} {done}.")
    return redirect("reports:report-status", pk=row.pk)


@require_POST
@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: make a ready report available to members."""
    return _administrators_step(request, pk, tasks.publish_report, "is now available to members")


@require_POST
@login_required
def report_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: make a report published to members available to residents, on the
    public pages, after checking its PDF (the page says what a members' PDF can hold)."""
    return _administrators_step(
        request, pk, tasks.release_to_residents, "is now available to residents"
    )


@require_POST
@login_required
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: take a report off the public pages; members still read it."""
    return _administrators_step(
        request, pk, tasks.withdraw_from_residents, "is no longer available to residents"
    )


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the plan. A published plan's PDF comes from storage (rendered once,
    when it was published); a plan that is not published has no PDF: its print preview.

    A PDF on its way: its progress. None (the plan was published before reports existed) or
    its render failed: a 404 page that says so, with a button whose POST renders it, once, in
    the background."""
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    if plan.status != ServicePlan.Status.PUBLISHED:
        messages.info(request, "Only a published plan has a PDF. This is its print preview.")
        return redirect("reports:plan-print", pk=plan.pk)
    row = stored_plan_pdf(plan)
    if request.method == "POST":
        row = tasks.schedule_plan_pdf(plan_id=plan.pk) or row
        if row is None:  # superseded meanwhile
            return redirect("reports:plan-pdf", pk=plan.pk)
        return redirect("reports:report-status", pk=row.pk)
    if row is not None and (row.is_ready or (row.is_pending and row.file)):
        # Being made again (the planning round's button): the file made before, meanwhile.
        return tasks.storage.file_response(row)
    if row is not None and row.is_pending:
        return redirect("reports:report-status", pk=row.pk)
    return render(
        request, "reports/pages/plan_pdf_missing.html", {"plan": plan, "row": row}, status=404
    )


@login_required
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the plan: the service plan report as HTML, to read or print from the
    browser (any version, drafts included, for those who may see them)."""
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    report = ServicePlanReport.from_form_data(
        {"plan": str(plan.pk)}, plans=ServicePlan.objects.filter(pk=plan.pk)
    )
    return HttpResponse(report.html(preview=True, nonce=_nonce(request)))


def _attachment(rendered: RenderedReport) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may read the plan, as its print view: the plan as a Word document, made in the
    request (a fraction of a second: bench/bench_reports.py). A member reads only published
    plans; a draft's is for its staff."""
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    report = ServicePlanReport.from_form_data(
        {"plan": str(plan.pk)}, plans=ServicePlan.objects.filter(pk=plan.pk)
    )
    return _attachment(render_docx(report))


@login_required
def covering_report_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Administrators: write the covering report's narrative; generate its PDF from here."""
    require_administrator(request)
    narrative = get_object_or_404(CoveringReport, pk=pk) if pk else None
    initial = {}
    if narrative is None and (year := current_year()) is not None:
        initial = {"year": year, "title": f"Service plans {year}"}
    form = CoveringReportForm(request.POST or None, instance=narrative, initial=initial)
    if request.method == "POST" and form.is_valid():
        narrative = form.save(commit=False)
        narrative.updated_by = request.user
        narrative.save()
        messages.success(request, "Covering report saved.")
        return redirect("reports:covering-report-edit", pk=narrative.pk)
    return render(
        request, "reports/pages/covering_edit.html", {"form": form, "narrative": narrative}
    )


def _published_year(start_year: int) -> FinancialYear:
    return get_object_or_404(FinancialYear, start_year=start_year)


@login_required
@require_GET
@never_cache
def round_plan_pdfs(request: HttpRequest, year: int) -> JsonResponse:
    """Administrators: how many of the year's published plans have their PDF ready, waiting or
    failed, as JSON, for the script of the planning round page (static/js/round-pdf-progress.js)."""
    require_administrator(request)
    counts = plan_pdf_counts(_published_year(year))
    return JsonResponse(
        {
            "published": counts.published,
            "done": counts.done,
            "queued": counts.queued,
            "running": counts.running,
            "failed": counts.failed,
            "pending": counts.waiting > 0,
            "text": counts.text,
        }
    )


@login_required
@require_POST
def round_plan_pdfs_render(request: HttpRequest, year: int) -> HttpResponse:
    """Administrators: render the year's published plans' PDFs again, in the background;
    those unchanged keep their file (tasks.schedule_year_plan_pdfs)."""
    require_administrator(request)
    financial_year = _published_year(year)
    queued = tasks.schedule_year_plan_pdfs(year=financial_year, by=request.user)
    messages.success(
        request,
        f"{queued} plan PDF{'s' if queued != 1 else ''} of {financial_year} queued to be made "
        "again; those whose content has not changed keep their file.",
    )
    return redirect(f"{reverse('plans:planning-round')}?year={year}#plan-pdfs")
