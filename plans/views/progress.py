"""Pages for progress on a published plan: every item at a monitoring point, one item's update
form with its history, the head of service's comment, an item's history for readers, and the
evidence files.

Each view's docstring says who may use it; its first line fetches the plan (or the update)
through what the user may see or do, so anything else is a 404. The rules are
plans.progress's: these views only pass on what was typed and show what was refused.
"""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organisation import reporting_calendar
from organisation.models import MonitoringPoint
from plans import progress
from plans.access import may_read_progress, plan_for_progress, plan_for_reader
from plans.forms import CommentForm, ProgressForm
from plans.models import ProgressUpdate, ServicePlan
from plans.progress import ProgressRefused
from security.documents import CONTENT_TYPES


@login_required
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The service's officers, its head of service and administrators, for a published plan:
    every action (with its milestones), project and risk as at a monitoring point."""
    plan = plan_for_progress(request, pk)
    points = list(plan.year.monitoring_points.all())
    point = _chosen_point(request, plan, points)
    items = progress.plan_progress(plan, point)
    context = {
        "plan": plan,
        "points": points,
        "point": point,
        "groups": progress.grouped(items),
        "today": timezone.localdate(),
    }
    return render(request, "plans/progress.html", context)


@login_required
def progress_item(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """The service's officers, its head of service and administrators, for a published plan:
    record an update on one item; its history below, with the head of service's comments."""
    plan = plan_for_progress(request, pk)
    item = _item_or_404(plan, reference)
    points = plan.year.monitoring_points.all()
    point = _chosen_point(request, plan, list(points))
    form = ProgressForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kind=item.kind,
        points=points,
        initial=_initial(item, point),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            progress.record_progress(plan=plan, reference=reference, by=request.user, **values)
        except ProgressRefused as refused:
            form.add_problems(refused.problems)
        else:
            messages.success(request, f"Progress on {reference} recorded.")
            return redirect(_progress_url(plan, values["point"]))
    return _item_page(request, plan, item, form)


@require_POST
@login_required
def progress_comment(request: HttpRequest, pk: int, reference: str, update_pk: int) -> HttpResponse:
    """The service's head of service and administrators: comment on an update. The service's
    officers may open the item but not comment (403); anyone else gets 404."""
    plan = plan_for_progress(request, pk)
    update = get_object_or_404(
        ProgressUpdate,
        pk=update_pk,
        service_id=plan.service_id,
        reference=reference,
        point__year_id=plan.year_id,
    )
    if not progress.may_comment(request.user, plan):
        raise PermissionDenied
    form = CommentForm(request.POST, prefix=f"comment-{update.pk}")
    if form.is_valid():
        try:
            progress.comment_on_update(
                update=update, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ProgressRefused as refused:
            form.add_error("comment", refused.problems["head_comment"])
        else:
            messages.success(request, f"Comment added to {reference} at {update.point.name}.")
            return redirect("plans:progress-item", pk=plan.pk, reference=reference)
    item = _item_or_404(plan, reference)
    return _item_page(request, plan, item, None, comment_forms={update.pk: form})


@login_required
def item_history(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """Anyone who may read the plan (everyone signed in, once it is published): an item's
    progress updates, newest first, with the head of service's comments."""
    plan = plan_for_reader(request, pk)
    item = _item_or_404(plan, reference)
    context = {
        "plan": plan,
        "item": item,
        "history": list(reversed(item.updates)),
        "may_record": progress.may_record_progress(request.user, plan),
    }
    return render(request, "plans/progress_history.html", context)


@login_required
def progress_evidence(request: HttpRequest, update_pk: int) -> FileResponse:
    """Anyone who may read the service's plan for the update's year (everyone signed in once it
    is published; its own staff before); 404 for anyone else. The file is always downloaded,
    never shown in the browser, under the name it was uploaded with."""
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("point").exclude(evidence_file=""), pk=update_pk
    )
    if not may_read_progress(
        request.user, service_id=update.service_id, year_id=update.point.year_id
    ):
        raise Http404("No such file.")
    content_type = CONTENT_TYPES.get(PurePath(update.evidence_file.name).suffix.lower())
    if content_type is None:  # never stored by record_progress; refuse rather than guess
        raise Http404("No such file.")
    try:
        file = update.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        file,
        as_attachment=True,
        filename=update.evidence_name or PurePath(update.evidence_file.name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Helpers ---------------------------------------------------------------------------------------


def _chosen_point(
    request: HttpRequest, plan: ServicePlan, points: list[MonitoringPoint]
) -> MonitoringPoint | None:
    """The point asked for (?point=7), else the one officers are working towards today."""
    wanted = request.GET.get("point", "")
    if not wanted:
        return reporting_calendar.current_point(plan.year, timezone.localdate())
    chosen = next((p for p in points if wanted.isdecimal() and p.pk == int(wanted)), None)
    if chosen is None:
        raise Http404("No such monitoring point for this plan's year.")
    return chosen


def _item_or_404(plan: ServicePlan, reference: str) -> progress.Item:
    item = progress.plan_progress(plan).get(reference)
    if item is None:
        raise Http404("No such item in this plan.")
    return item


def _initial(item: progress.Item, point: MonitoringPoint | None) -> dict:
    """The form starts from where the item stands: its status and %, or its risk scores.
    Commentary starts empty: each update says what is true at its point."""
    initial = {"point": point, "status": item.status, "percent_complete": item.percent_complete}
    if item.kind == ProgressUpdate.Kind.RISK:
        latest = item.latest or item.row
        initial.update(likelihood=latest.likelihood, impact=latest.impact)
    if item.latest and item.latest.completed_on:
        initial["completed_on"] = item.latest.completed_on
    return initial


def _progress_url(plan: ServicePlan, point: MonitoringPoint) -> str:
    return f"{reverse('plans:plan-progress', args=[plan.pk])}?point={point.pk}"


def _item_page(
    request: HttpRequest,
    plan: ServicePlan,
    item: progress.Item,
    form: ProgressForm | None,
    comment_forms: dict | None = None,
) -> HttpResponse:
    """The item's page: its form (None when a comment was refused), then its history, each
    update with a comment form for the head of service."""
    comment_forms = comment_forms or {}
    may_comment = progress.may_comment(request.user, plan)
    history = list(reversed(item.updates))
    if may_comment:
        for update in history:
            update.comment_form = comment_forms.get(update.pk) or CommentForm(
                prefix=f"comment-{update.pk}", initial={"comment": update.head_comment}
            )
    if form is None:
        form = ProgressForm(
            kind=item.kind,
            points=plan.year.monitoring_points.all(),
            initial=_initial(
                item, reporting_calendar.current_point(plan.year, timezone.localdate())
            ),
        )
    context = {
        "plan": plan,
        "item": item,
        "form": form,
        "history": history,
        "may_comment": may_comment,
        "comment_errors": [f for f in comment_forms.values() if f.errors],
        "has_points": plan.year.monitoring_points.exists(),
    }
    return render(request, "plans/progress_item.html", context)
