"""Saving what officers type in the plan editor, without ever overwriting someone else's work.

Every editor form carries a fingerprint of the section as it was when the page was opened.
Saving locks the plan, recomputes the fingerprint from the database and refuses with
EditConflict when they differ (somebody else saved the section in between) or when the form
sent none. The view then shows both versions and keeps everything the officer typed.
"""

from django.db import transaction
from django.forms import BaseFormSet, ModelForm
from django.utils import timezone

from plans.models import Action, ServicePlan
from plans.sections import Section, action_content, fingerprint, section_content
from plans.workflow import TransitionRefused


class EditConflict(Exception):
    """The section changed since the editor opened it."""


def save_narrative(*, plan: ServicePlan, section: Section, form: ModelForm, base: str) -> None:
    with transaction.atomic():
        locked = _lock_editable(plan)
        _check_unchanged(section_content(locked, section), base)
        for name in section.fields:
            setattr(locked, name, form.cleaned_data[name])
        locked.save(update_fields=[*section.fields, "updated_at"])


def save_parts(*, plan: ServicePlan, section: Section, formset: BaseFormSet, base: str) -> None:
    """Save a repeating section: new, changed, reordered and removed rows."""
    with transaction.atomic():
        locked = _lock_editable(plan)
        _check_unchanged(section_content(locked, section), base)
        for form in formset.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        for position, form in enumerate(_kept_forms(formset)):
            _save_row(form, plan=locked, position=position)
        _touch(locked)


def save_action(*, action: Action, form: ModelForm, milestones: BaseFormSet, base: str) -> None:
    with transaction.atomic():
        locked = _lock_editable(action.plan)
        current = Action.objects.prefetch_related("milestones").get(pk=action.pk)
        _check_unchanged(action_content(current), base)
        if form.has_changed():
            form.save()
        for milestone_form in milestones.deleted_forms:
            if milestone_form.instance.pk:
                milestone_form.instance.delete()
        for position, milestone_form in enumerate(_kept_forms(milestones)):
            milestone_form.instance.action = action
            _save_row(milestone_form, plan=None, position=position)
        _touch(locked)


def _kept_forms(formset: BaseFormSet) -> list:
    """Rows to keep, in the order the officer gave (blank new rows are skipped)."""
    forms = formset.ordered_forms if formset.can_order else formset.forms
    deleted = set(map(id, formset.deleted_forms)) if formset.can_delete else set()
    return [
        form
        for form in forms
        if id(form) not in deleted and (form.instance.pk or form.has_changed())
    ]


def _save_row(form: ModelForm, *, plan: ServicePlan | None, position: int) -> None:
    instance = form.instance
    unchanged = instance.pk and not form.has_changed() and instance.position == position
    if unchanged:  # saving would add a history entry for nothing
        return
    instance = form.save(commit=False)
    if plan is not None:
        instance.plan = plan
    instance.position = position
    instance.save()
    form.save_m2m()


def _lock_editable(plan: ServicePlan) -> ServicePlan:
    locked = ServicePlan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_editable:
        raise TransitionRefused(
            f"This plan is {locked.get_status_display().lower()} and can no longer be changed."
        )
    return locked


def _check_unchanged(current_content: list, base: str) -> None:
    """A missing or empty fingerprint is a conflict too: nothing shows the save is not stale."""
    if not base or fingerprint(current_content) != base:
        raise EditConflict


def _touch(plan: ServicePlan) -> None:
    ServicePlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
