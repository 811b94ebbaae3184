"""Pages for writing, approving and publishing service plans.

Each view's docstring says who may use it; its first line fetches the plan through what the
user may see or do, so anything else is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from organisation import reporting_calendar
from organisation.models import FinancialYear, Service
from plans import rounds, selectors, workflow
from plans.access import (
    PLAN_RELATED,
    plan_for_editor,
    plan_for_staff,
    require_administrator,
)
from plans.editing import EditConflict, save_action, save_narrative, save_parts
from plans.filters import PlanningRoundFilter
from plans.forms import (
    ActionForm,
    MilestoneFormSet,
    PublishForm,
    narrative_form,
    part_formset,
)
from plans.models import Action, ServicePlan
from plans.sections import (
    SECTIONS,
    SECTIONS_BY_SLUG,
    action_content,
    fingerprint,
    section_content,
)
from plans.workflow import TransitionRefused


@login_required
def plan_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Editors of the service (officers assigned to it, its head of service, administrators)."""
    plan = plan_for_editor(request, pk)
    section = SECTIONS_BY_SLUG.get(section)
    if section is None:
        raise Http404("No such section.")
    if not plan.is_editable:
        messages.info(request, f"This plan is {plan.get_status_display().lower()}: read only.")
        return redirect("portal:plan-workspace", pk=plan.pk)
    base = request.POST.get("base", "")
    form = _section_form(request, plan, section)
    if request.method == "POST" and form.is_valid():
        try:
            if section.is_repeating:
                save_parts(plan=plan, section=section, formset=form, base=base)
            else:
                save_narrative(plan=plan, section=section, form=form, base=base)
        except EditConflict:
            return _conflict(request, plan, section, form)
        except TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect("portal:plan-workspace", pk=plan.pk)
        messages.success(request, f"{section.title} saved.")
        return redirect("plans:plan-section", pk=plan.pk, section=section.slug)
    if request.method != "POST":
        base = fingerprint(section_content(plan, section))
    return render(
        request,
        "plans/section_edit.html",
        {"plan": plan, "section": section, "form": form, "base": base, "sections": SECTIONS},
    )


def _section_form(request: HttpRequest, plan: ServicePlan, section):
    data = request.POST if request.method == "POST" else None
    if not section.is_repeating:
        return narrative_form(section)(data, instance=plan)
    queryset = section.model.objects.filter(plan=plan).order_by("position", "id")
    if section.many_to_many:
        queryset = queryset.prefetch_related(*section.many_to_many)
    return part_formset(section)(
        data,
        queryset=queryset,
        prefix=section.slug,
        form_kwargs={"plan": plan, "choice_cache": {}},
    )


def _conflict(request: HttpRequest, plan: ServicePlan, section, form) -> HttpResponse:
    """Both versions side by side; the officer's typing stays in the form to save again."""
    fresh = ServicePlan.objects.select_related(*PLAN_RELATED).get(pk=plan.pk)
    context = {
        "plan": fresh,
        "section": section,
        "form": form,
        "base": fingerprint(section_content(fresh, section)),
        "theirs": section.model.objects.filter(plan=fresh) if section.is_repeating else None,
        "their_fields": [
            (ServicePlan._meta.get_field(name).verbose_name.capitalize(), getattr(fresh, name))
            for name in section.fields
        ],
        "last_change": selectors.last_change(fresh, section),
        "sections": SECTIONS,
    }
    return render(request, "plans/conflict.html", context, status=409)


@login_required
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Editors of the service: one action with its milestones."""
    plan = plan_for_editor(request, pk)
    action = get_object_or_404(
        Action.objects.prefetch_related("milestones"), plan=plan, pk=action_pk
    )
    if not plan.is_editable:
        return redirect("portal:plan-workspace", pk=plan.pk)
    data = request.POST if request.method == "POST" else None
    form = ActionForm(data, instance=action, plan=plan, choice_cache={})
    milestones = MilestoneFormSet(data, instance=action, prefix="milestones")
    # What the page was opened on. A POST without it is a conflict, like a stale one: it
    # cannot show it would not overwrite a colleague's save.
    if request.method == "POST":
        base = request.POST.get("base", "")
    else:
        base = fingerprint(action_content(action))
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        try:
            save_action(action=action, form=form, milestones=milestones, base=base)
        except EditConflict:
            context = {
                "plan": plan,
                "action": Action.objects.get(pk=action.pk),
                "form": form,
                "milestones": milestones,
                "base": fingerprint(action_content(Action.objects.get(pk=action.pk))),
                "conflict": True,
            }
            return render(request, "plans/action_edit.html", context, status=409)
        except TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect("portal:plan-workspace", pk=plan.pk)
        messages.success(request, "Action saved.")
        return redirect("plans:action-edit", pk=plan.pk, action_pk=action.pk)
    context = {"plan": plan, "action": action, "form": form, "milestones": milestones, "base": base}
    return render(request, "plans/action_edit.html", context)


def take_step(request: HttpRequest, plan: ServicePlan, step, success: str, **kwargs):
    """Take a workflow step for the user; a refusal is shown as a message on the workspace."""
    try:
        result = step(plan=plan, by=request.user, **kwargs)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect("portal:plan-workspace", pk=plan.pk)
    messages.success(request, success)
    return redirect("portal:plan-workspace", pk=result.pk)


@require_POST
@login_required
def plan_start(request: HttpRequest) -> HttpResponse:
    """Editors and heads of service of the service posted, and administrators: start its blank
    plan for the year posted, when it has none."""
    service = get_object_or_404(Service, pk=_posted_number(request, "service"))
    year = get_object_or_404(FinancialYear, pk=_posted_number(request, "year"))
    try:
        plan = workflow.start_plan(service=service, year=year, by=request.user)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect("portal:home")
    messages.success(request, f"{plan} started: write its sections, then submit it.")
    return redirect("portal:plan-workspace", pk=plan.pk)


def _posted_number(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdecimal():
        raise Http404(f"No {name} given.")
    return int(value)


@require_POST
@login_required
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors of the service, for a draft or returned plan."""
    plan = plan_for_editor(request, pk)
    return take_step(request, plan, workflow.submit_plan, "Plan submitted for approval.")


@login_required
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: publish an approved plan, recording the endorsing committee."""
    require_administrator(request)
    plan = get_object_or_404(ServicePlan.objects.select_related(*PLAN_RELATED), pk=pk)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return take_step(
            request,
            plan,
            workflow.publish_plan,
            "Plan published. Members can now read it.",
            committee=form.cleaned_data["committee"],
            meeting_date=form.cleaned_data["meeting_date"],
        )
    return render(request, "plans/publish.html", {"plan": plan, "form": form})


@require_POST
@login_required
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors of the service: start a new draft version of a published plan."""
    plan = plan_for_editor(request, pk)
    return take_step(
        request, plan, workflow.revise_plan, "New draft version started; the published one stays."
    )


@require_POST
@login_required
def plan_roll_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors of the service: create next year's draft from this plan."""
    plan = plan_for_editor(request, pk)
    return take_step(
        request, plan, workflow.roll_forward_plan, "Next year's plan created from this one."
    )


@login_required
def plan_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors and approvers of the service: what changed against the plan it came from."""
    plan = plan_for_staff(request, pk)
    other_pk = request.GET.get("against")
    if other_pk:
        if not other_pk.isdecimal():
            raise Http404
        before = plan_for_staff(request, int(other_pk))
    else:
        before = plan.rolled_from
    context = {
        "plan": plan,
        "before": before,
        "changes": selectors.plan_changes(before, plan) if before else None,
    }
    return render(request, "plans/changes.html", context)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors and approvers of the service: who changed what and when."""
    plan = plan_for_staff(request, pk)
    return render(
        request,
        "plans/history.html",
        {
            "plan": plan,
            "entries": selectors.plan_history(plan),
            "events": selectors.plan_events(plan),
        },
    )


@login_required
def planning_round(request: HttpRequest) -> HttpResponse:
    """Administrators: every service's plan status for a year (by default the year whose plans
    are being written), counts by status, the progress of the latest roll-forward, and the
    bulk actions on the selected rows."""
    require_administrator(request)
    years = list(FinancialYear.objects.all())
    year = _chosen_year(request, years)
    services = Service.objects.all()
    round_filter = PlanningRoundFilter(request.GET or None, queryset=services, year=year)
    rows = selectors.planning_round(round_filter.qs, year) if year else []
    to_roll_forward = sum(row.may_roll_forward for row in rows)
    context = {
        "years": years,
        "year": year,
        "filter": round_filter,
        "rows": rows,
        "counts": rounds.status_counts(rows),
        "deadlines": reporting_calendar.plan_deadlines(year) if year else None,
        "job": rounds.latest_job(year) if year else None,
        "to_roll_forward": to_roll_forward,
        "filter_query": request.GET.urlencode(),
    }
    return render(request, "plans/planning_round.html", context)


def _chosen_year(request: HttpRequest, years: list[FinancialYear]) -> FinancialYear | None:
    wanted = request.GET.get("year", "")
    if wanted.isdecimal():
        return next((y for y in years if y.start_year == int(wanted)), None) or _not_found()
    return rounds.year_being_planned(years)


def _not_found():
    raise Http404("No such financial year.")


@login_required
@require_POST
def round_roll_forward(request: HttpRequest) -> HttpResponse:
    """Administrators: roll forward, in the background, the selected services' published plans
    of the year before (those with a plan for the year already are left alone)."""
    require_administrator(request)
    year = get_object_or_404(FinancialYear, start_year=_number(request.POST.get("year")))
    service_ids = [int(pk) for pk in request.POST.getlist("service") if pk.isdecimal()]
    back = f"{reverse('plans:planning-round')}?{request.POST.get('filters', '')}"
    try:
        rounds.roll_forward_selected(year=year, service_ids=service_ids, by=request.user)
    except rounds.RoundRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    count = len(set(service_ids))
    messages.success(
        request,
        f"Rolling forward to {year} the plans of the {count} selected service"
        f"{'s' if count != 1 else ''} that have a published plan the year before and none for "
        f"{year} yet, in the background: progress below.",
    )
    return redirect(back + "#round-progress")


def _number(text: str | None) -> int:
    if not text or not text.isdecimal():
        raise Http404("No such financial year.")
    return int(text)
