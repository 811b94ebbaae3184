"""A plan's own pages that show its indicators and resources beside it: the workspace its
editors work from and the page its approver reviews it on.

Each view's docstring says who may use it; its first line fetches the plan through what the
user may see or do, so anything else is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from budgets.selectors import service_resources
from organisation.access import is_administrator
from performance.selectors import draft_indicator_changes, draft_indicator_rows, targets_set
from plans import progress, selectors, workflow
from plans.access import PLAN_RELATED, may_approve, may_edit, plan_for_staff, plans_approvable_by
from plans.forms import ReturnForm
from plans.models import ServicePlan
from plans.sections import SECTIONS, empty_sections, with_completeness
from plans.views.editing import take_step


@login_required
def plan_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors and approvers of the service: the plan's sections, status and next steps."""
    plan = plan_for_staff(request, pk)
    plan = with_completeness(ServicePlan.objects.filter(pk=plan.pk))
    plan = plan.select_related(*PLAN_RELATED).get()
    user = request.user
    proposed = draft_indicator_rows(service=plan.service, year=plan.year, version=plan.version)
    context = {
        "plan": plan,
        "sections": [(section, section.is_empty(plan)) for section in SECTIONS],
        "events": selectors.plan_events(plan),
        "can_edit": may_edit(user, plan),
        "can_approve": may_approve(user, plan),
        "can_record_progress": progress.may_record_progress(user, plan),
        "is_administrator": is_administrator(user),
        "other_versions": ServicePlan.objects.filter(
            service_id=plan.service_id, year_id=plan.year_id
        ).exclude(pk=plan.pk),
        "next_year_plan": ServicePlan.objects.filter(
            service_id=plan.service_id, year__start_year=plan.year.start_year + 1
        ).first(),
        "resources": service_resources(service=plan.service, year=plan.year),
        "indicators": targets_set(proposed),
        "indicator_changes": draft_indicator_changes(proposed, year=plan.year),
    }
    return render(request, "plans/workspace.html", context)


@login_required
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The service's head of service and administrators: approve or return a submitted plan."""
    plan = get_object_or_404(plans_approvable_by(request.user).select_related(*PLAN_RELATED), pk=pk)
    return_form = ReturnForm(request.POST if request.POST.get("decision") == "return" else None)
    if request.method == "POST":
        if request.POST.get("decision") == "approve":
            return take_step(request, plan, workflow.approve_plan, "Plan approved.")
        if return_form.is_valid():
            return take_step(
                request,
                plan,
                workflow.return_plan,
                "Plan returned to the officer.",
                comment=return_form.cleaned_data["comment"],
            )
    context = {
        "plan": plan,
        "return_form": return_form,
        "compared_with": plan.rolled_from,
        "changes": selectors.plan_changes(plan.rolled_from, plan) if plan.rolled_from else None,
        "empty": empty_sections(plan),
        "late_targets": selectors.targets_after_the_year(plan),
        "indicator_changes": draft_indicator_changes(
            draft_indicator_rows(service=plan.service, year=plan.year, version=plan.version),
            year=plan.year,
        ),
    }
    return render(request, "plans/review.html", context)
