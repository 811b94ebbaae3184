"""The plan's workflow: draft → submitted → approved (or returned) → published → superseded.

Each transition is one function that checks who may take it, locks the plan, checks its
status as it is in the database now, changes it and records a PlanEvent (who, when, why).
Revise and roll-forward copy a plan into a new draft.
"""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from organisation import content_versions
from organisation.access import is_administrator
from organisation.models import Committee, FinancialYear
from plans import progress
from plans.access import may_approve, may_edit
from plans.models import COPY_REASON, PlanEvent, ServicePlan
from plans.sections import NARRATIVE_FIELDS
from plans.signals import plan_moved, plan_published

Status = ServicePlan.Status


class TransitionRefused(Exception):
    """The step is not allowed for this user or this plan now; the message says why."""


def start_plan(*, service, year: FinancialYear, by) -> ServicePlan:
    """A service's first plan for a year, blank: for a service with no published plan the year
    before to roll forward (a council starting out, a new service). Its editors, its head of
    service and administrators may start it."""
    from organisation.access import services_editable_by

    with transaction.atomic():
        _require(
            services_editable_by(by).filter(pk=service.pk).exists(),
            "You cannot start this plan: the service is not one of yours.",
        )
        # Lock the service so that two people starting its plan at once make one plan.
        type(service).objects.select_for_update().get(pk=service.pk)
        existing = ServicePlan.objects.filter(service=service, year=year).first()
        _require(existing is None, f"{service} already has a plan for {year}.")
        plan = ServicePlan.objects.create(
            service=service, year=year, version=1, status=Status.DRAFT
        )
        PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.CREATED, by=by)
        return plan


def submit_plan(*, plan: ServicePlan, by) -> ServicePlan:
    with transaction.atomic():
        plan = _locked(plan)
        _require(may_edit(by, plan), "You cannot submit this plan: it is not one of yours.")
        _require_status(plan, Status.DRAFT, Status.RETURNED)
        return _move(plan, Status.SUBMITTED, PlanEvent.Kind.SUBMITTED, by)


def return_plan(*, plan: ServicePlan, by, comment: str) -> ServicePlan:
    with transaction.atomic():
        plan = _locked(plan)
        _require(may_approve(by, plan), "Only the head of service can return this plan.")
        _require_status(plan, Status.SUBMITTED)
        _require(comment.strip(), "Say what needs to change before returning the plan.")
        return _move(plan, Status.RETURNED, PlanEvent.Kind.RETURNED, by, comment.strip())


def approve_plan(*, plan: ServicePlan, by, comment: str = "") -> ServicePlan:
    with transaction.atomic():
        plan = _locked(plan)
        _require(may_approve(by, plan), "Only the head of service can approve this plan.")
        _require_status(plan, Status.SUBMITTED)
        return _move(plan, Status.APPROVED, PlanEvent.Kind.APPROVED, by, comment.strip())


def publish_plan(
    *, plan: ServicePlan, by, committee: Committee, meeting_date: datetime.date
) -> ServicePlan:
    """Publish an approved plan endorsed by `committee` on `meeting_date`.

    The version it revises, if any, is superseded in the same transaction, so members see
    exactly one published version at every moment.
    """
    with transaction.atomic():
        plan = _locked(plan)
        _require(is_administrator(by), "Only the policy & performance team publishes plans.")
        _require_status(plan, Status.APPROVED)
        # Endorsed first: a revision is named by the day it was endorsed ("revised on …"),
        # and the superseded version's event names it.
        plan.endorsed_by = committee
        plan.endorsed_on = meeting_date
        plan.save(update_fields=["endorsed_by", "endorsed_on"])
        for earlier in ServicePlan.objects.select_for_update().filter(
            service_id=plan.service_id, year_id=plan.year_id, status=Status.PUBLISHED
        ):
            _move(earlier, Status.SUPERSEDED, PlanEvent.Kind.SUPERSEDED, by, f"By {plan}.")
        try:
            plan_published.send(sender=ServicePlan, plan=plan)
        except ValidationError as refused:
            raise TransitionRefused(" ".join(refused.messages)) from refused
        return _move(plan, Status.PUBLISHED, PlanEvent.Kind.PUBLISHED, by)


def revise_plan(*, plan: ServicePlan, by) -> ServicePlan:
    """Start a new draft version of a published plan; the published one stays visible."""
    with transaction.atomic():
        plan = _locked(plan)
        _require(may_edit(by, plan), "You cannot revise this plan: it is not one of yours.")
        _require_status(plan, Status.PUBLISHED)
        working = ServicePlan.objects.filter(
            service_id=plan.service_id, year_id=plan.year_id, status__in=plan.WORKING_STATUSES
        ).first()
        _require(working is None, f"{working} is already being worked on.")
        latest = ServicePlan.objects.filter(
            service_id=plan.service_id, year_id=plan.year_id
        ).aggregate(Max("version"))["version__max"]
        revision, copied = _copy_plan(
            plan, year=plan.year, version=latest + 1, open_actions_only=False
        )
        PlanEvent.objects.create(plan=revision, kind=PlanEvent.Kind.REVISED, by=by, comment=copied)
        return revision


def roll_forward_plan(*, plan: ServicePlan, by) -> ServicePlan:
    """Create next year's draft from this plan: sections, objectives, open actions, projects
    and risks. Indicators belong to the service and carry on; their targets are set anew."""
    with transaction.atomic():
        plan = _locked(plan)
        _require(may_edit(by, plan), "You cannot roll this plan forward: it is not yours.")
        _require(
            plan.status == Status.PUBLISHED,
            "Only a published plan can be rolled forward: next year starts from what was agreed.",
        )
        next_year = FinancialYear.objects.filter(start_year=plan.year.start_year + 1).first()
        _require(
            next_year is not None,
            f"The financial year after {plan.year} has not been set up yet; "
            "ask the policy & performance team.",
        )
        existing = ServicePlan.objects.filter(service_id=plan.service_id, year=next_year)
        _require(not existing.exists(), f"{plan.service} already has a plan for {next_year}.")
        rolled, copied = _copy_plan(plan, year=next_year, version=1, open_actions_only=True)
        left = progress.not_carried_forward(rolled)
        comment = copied + (
            " Not carried forward: "
            + "; ".join(
                f"{item.reference} {item.title} ({item.status_label.lower()})" for item in left
            )
            + "."
            if left
            else ""
        )
        PlanEvent.objects.create(
            plan=rolled, kind=PlanEvent.Kind.ROLLED_FORWARD, by=by, comment=comment
        )
        return rolled


def _copy_plan(
    source: ServicePlan, *, year: FinancialYear, version: int, open_actions_only: bool
) -> tuple[ServicePlan, str]:
    """The copy, and what was copied in a sentence ("Copied from Licensing 2012/13: 12
    objectives, 40 actions, …"). The plan's history records the copy as that one event, not as
    one "Added" per part: each row is saved with COPY_REASON (plans.selectors.plan_history)."""
    narrative = {name: getattr(source, name) for name in NARRATIVE_FIELDS}
    target = ServicePlan(
        service_id=source.service_id,
        year=year,
        version=version,
        status=Status.DRAFT,
        rolled_from=source,
        **narrative,
    )
    copied = Counter()
    _save_copy(target, copied)
    new_objectives = {}
    for objective in source.objectives.prefetch_related("priorities"):
        old_pk = objective.pk
        priorities = list(objective.priorities.all())
        _as_new(objective)
        objective.plan = target
        _save_copy(objective, copied)
        objective.priorities.set(priorities)
        new_objectives[old_pk] = objective
    # Next year carries on what is still open: an item completed or cancelled (by its latest
    # progress update, or as the plan says) stays behind.
    closed = progress.closed_references(source) if open_actions_only else set()
    actions = source.actions.prefetch_related("priorities", "milestones")
    actions = [action for action in actions if action.reference not in closed]
    for action in actions:
        priorities = list(action.priorities.all())
        milestones = list(action.milestones.all())
        _as_new(action)
        action.plan = target
        action.objective = new_objectives.get(action.objective_id)
        _save_copy(action, copied)
        action.priorities.set(priorities)
        for milestone in milestones:
            if open_actions_only and (milestone.completed_on or milestone.reference in closed):
                continue
            _as_new(milestone)
            milestone.action = action
            _save_copy(milestone, copied)
    projects = [project for project in source.projects.all() if project.reference not in closed]
    parts = [projects, source.risks.all()]
    if not open_actions_only:  # consultations and work-streams belong to their year
        parts += [source.consultations.all(), source.work_streams.all()]
    for queryset in parts:
        for part in queryset:
            _as_new(part)
            part.plan = target
            _save_copy(part, copied)
    return target, f"Copied from {source}{_counted(copied)}."


def _save_copy(instance, copied: Counter) -> None:
    """Save a copied row, its history record marked as part of the copy."""
    instance._change_reason = COPY_REASON
    instance.save()
    del instance._change_reason  # a later save of this object is an edit, recorded as one
    copied[type(instance)] += 1


def _counted(copied: Counter) -> str:
    """ ": 12 objectives, 40 actions, 1 project" in the order copied; "" if only the text."""
    counts = [
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in copied.items()
        if model is not ServicePlan
    ]
    return ": " + ", ".join(counts) if counts else ""


def _as_new(instance) -> None:
    """Make a loaded row save as a new one; forget the old row's prefetched relations."""
    instance.pk = None
    instance._state.adding = True
    instance._prefetched_objects_cache = {}


def _locked(plan: ServicePlan) -> ServicePlan:
    return (
        ServicePlan.objects.select_for_update(of=("self",))
        .select_related("year", "service")
        .get(pk=plan.pk)
    )


def _move(plan: ServicePlan, status: str, kind: str, by, comment: str = "") -> ServicePlan:
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    event = PlanEvent.objects.create(plan=plan, kind=kind, by=by, comment=comment)
    # The service's other published years are linked from each of its plan pages.
    content_versions.service_content_changed([plan.service_id])
    plan_moved.send(sender=ServicePlan, plan=plan, event=event)
    return plan


def _require(condition, message: str) -> None:
    if not condition:
        raise TransitionRefused(message)


def _require_status(plan: ServicePlan, *allowed: str) -> None:
    if plan.status not in allowed:
        raise TransitionRefused(f"This plan is {plan.get_status_display().lower()}.")
