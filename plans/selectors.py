"""Reads for the plan screens: my plans, the planning round, changes between versions, history."""

import datetime
import difflib
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from organisation.access import services_approvable_by, services_editable_by
from organisation.models import FinancialYear, Service
from organisation.years import end_date
from plans.access import plans_approvable_by
from plans.models import (
    COPY_REASON,
    Action,
    Consultation,
    Milestone,
    Objective,
    PlanEvent,
    Project,
    Risk,
    ServicePlan,
    WorkStream,
)
from plans.sections import SECTIONS, Section, with_completeness

PART_MODELS = (Objective, Action, Project, Risk, Consultation, WorkStream)


def current_year() -> FinancialYear | None:
    return FinancialYear.objects.filter(is_current=True).first()


def latest_plans(plans: QuerySet) -> list[ServicePlan]:
    """The newest version of each service's plan for each year among `plans`."""
    latest: dict[tuple[int, int], ServicePlan] = {}
    for plan in plans.order_by("service_id", "year_id", "version"):
        latest[(plan.service_id, plan.year_id)] = plan
    return sorted(latest.values(), key=lambda p: (p.year.start_year, p.service.name))


def my_plans(user, years: list[FinancialYear]) -> list[ServicePlan]:
    """The newest version of each plan the user edits or approves, with section completeness."""
    own = services_editable_by(user) | services_approvable_by(user)
    plans = ServicePlan.objects.filter(service__in=own, year__in=years).select_related(
        "service__head_of_service", "year"
    )
    return latest_plans(with_completeness(plans))


def plans_to_start(user, years: list[FinancialYear]) -> list[tuple[Service, FinancialYear]]:
    """The services the user edits (or leads) with no plan at all for one of the years and none
    the year before (which, once published, rolls forward): a plan to start blank. One query a
    year."""
    to_start = []
    for year in years:
        rolls_forward = ServicePlan.objects.filter(
            service=OuterRef("pk"), year__start_year=year.start_year - 1
        )
        services = (
            services_editable_by(user)
            .exclude(plans__year=year)
            .exclude(Exists(rolls_forward))
            .order_by("name")
        )
        to_start += [(service, year) for service in services]
    return to_start


def plans_awaiting_approval(user) -> QuerySet:
    return (
        plans_approvable_by(user)
        .filter(status=ServicePlan.Status.SUBMITTED)
        .select_related("service", "year")
    )


@dataclass
class RoundRow:
    service: Service
    plan: ServicePlan | None
    # Its published plan of the year before (what rolling forward starts from), if any.
    published_before: ServicePlan | None = None

    @property
    def may_roll_forward(self) -> bool:
        return self.plan is None and self.published_before is not None


def planning_round(services: QuerySet, year: FinancialYear) -> list[RoundRow]:
    """Each service with the newest version of its plan for the year (None: not started) and
    its published plan of the year before. Three queries, whatever the number of services."""
    year_plans = ServicePlan.objects.filter(year=year).order_by("version")
    published_before = ServicePlan.objects.filter(
        year__start_year=year.start_year - 1, status=ServicePlan.Status.PUBLISHED
    )
    services = services.select_related("head_of_service").prefetch_related(
        Prefetch("plans", queryset=year_plans, to_attr="year_plans"),
        Prefetch("plans", queryset=published_before, to_attr="published_before"),
    )
    return [
        RoundRow(
            service,
            (service.year_plans or [None])[-1],
            (service.published_before or [None])[-1],
        )
        for service in services
    ]


# --- Changes between two versions of a plan -------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def marked(self) -> SafeString:
        return word_diff(self.before, self.after)


@dataclass
class PartDetail:
    """An added or removed part as the approver checks it: its title, then every field a person
    fills in (label, value as read; "" when not given), and an action's milestones."""

    title: str
    reference: str
    fields: list[tuple[str, str]]
    milestones: list[Milestone] | None = None  # None: not an action


@dataclass
class SectionChanges:
    section: Section
    fields: list[FieldChange] = field(default_factory=list)
    added: list[PartDetail] = field(default_factory=list)
    removed: list[PartDetail] = field(default_factory=list)
    changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.added or self.removed or self.changed)


def plan_changes(before: ServicePlan, after: ServicePlan) -> list[SectionChanges]:
    """The sections that differ between two plans, as a reader would describe them.

    Parts are matched by their title, since a copied plan's parts are new rows.
    """
    changes = []
    for section in SECTIONS:
        result = SectionChanges(section)
        if section.is_repeating:
            _compare_parts(section, before, after, result)
        else:
            for name in section.fields:
                old, new = getattr(before, name), getattr(after, name)
                if old != new:
                    label = ServicePlan._meta.get_field(name).verbose_name
                    result.fields.append(FieldChange(label.capitalize(), old, new))
        if result.has_changes:
            changes.append(result)
    return changes


def _compare_parts(section: Section, before, after, result: SectionChanges) -> None:
    old, new = _parts_by_title(section, before), _parts_by_title(section, after)
    result.added = [_detail(section, part) for title, part in new.items() if title not in old]
    result.removed = [_detail(section, part) for title, part in old.items() if title not in new]
    for title in new.keys() & old.keys():
        was, now = _readable(section, old[title]), _readable(section, new[title])
        differences = [
            FieldChange(label, was[label], now[label]) for label in now if was[label] != now[label]
        ]
        if differences:
            result.changed.append((title, differences))
    result.changed.sort()


# Kept from what the approver reads: keys, the owning plan, the order, and the reference (shown
# beside the title instead).
NOT_READ = {"id", "plan", "position", "reference"}


def _read_fields(section: Section) -> list:
    """The part's fields a person fills in: the editor's list first, then the rest (an action's
    priorities, risk, resources and customer impact are edited on its own page)."""
    meta = section.model._meta
    fields = [meta.get_field(name) for name in section.part_fields]
    fields += [
        f
        for f in (*meta.concrete_fields, *meta.many_to_many)
        if f not in fields and f.name not in NOT_READ
    ]
    return fields


def _parts_by_title(section: Section, plan: ServicePlan) -> dict:
    """The plan's parts of the section by title (a copied plan's parts are new rows), with
    what their fields name joined: the same queries for any number of parts."""
    fields = _read_fields(section)
    parts = section.model.objects.filter(plan=plan)
    parts = parts.select_related(*[f.name for f in fields if f.many_to_one])
    parts = parts.prefetch_related(*[f.name for f in fields if f.many_to_many])
    if section.model is Action:
        parts = parts.prefetch_related("milestones")
    return {str(part): part for part in parts}


def _readable(section: Section, part) -> dict[str, str]:
    """Every field of the part but its title, as a reader would write it, by label; an
    action's milestones as one line, so that a changed milestone shows."""
    values = {str(capfirst(f.verbose_name)): _display(part, f) for f in _read_fields(section)[1:]}
    if isinstance(part, Risk):
        values["Score"] = f"{part.score} ({part.rating})"
    if isinstance(part, Action):
        values["Milestones"] = "; ".join(_milestone_line(m) for m in part.milestones.all())
    return values


def _detail(section: Section, part) -> PartDetail:
    values = _readable(section, part)
    milestones = None
    if isinstance(part, Action):
        del values["Milestones"]  # listed one by one instead
        milestones = list(part.milestones.all())
    return PartDetail(
        title=str(part),
        reference=getattr(part, "reference", ""),
        fields=list(values.items()),
        milestones=milestones,
    )


def _milestone_line(milestone: Milestone) -> str:
    line = f"{milestone.reference} {milestone.title}".strip()
    if milestone.due_date:
        line += f", due {_readable_date(milestone.due_date)}"
    if milestone.completed_on:
        line += f", completed {_readable_date(milestone.completed_on)}"
    return line


def _display(part, model_field) -> str:
    if model_field.many_to_many:
        return "; ".join(str(related) for related in getattr(part, model_field.name).all())
    value = getattr(part, model_field.name)
    if value is None or value == "":
        return ""
    if model_field.choices:
        return getattr(part, f"get_{model_field.name}_display")()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return _readable_date(value)
    return str(value)


def _readable_date(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def word_diff(before: str, after: str) -> SafeString:
    """The new text with deleted words struck through and inserted words marked."""
    old, new = (before or "").split(), (after or "").split()
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(' '.join(old[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(' '.join(new[b1:b2]))}</ins>")
    return mark_safe(" ".join(out))  # every piece of text above is escaped


# --- History -----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: object
    what: str
    kind: str  # "added", "changed", "removed" or "copied"
    changes: list[FieldChange]
    note: str = ""  # for a copy: what was copied, from where


# The workflow steps that copy a plan into a new one (plans.workflow._copy_plan).
COPY_EVENTS = (PlanEvent.Kind.REVISED, PlanEvent.Kind.ROLLED_FORWARD)


def plan_history(plan: ServicePlan, *, limit: int = 300) -> list[HistoryEntry]:
    """Who changed what and when, for the plan and all its parts, newest first.

    A revision or roll-forward is one entry, "Copied from … : 12 objectives, 40 actions …", not
    one "Added" per copied part; each part's copy is still the start its later edits are
    compared with."""
    records = [list(ServicePlan.history.filter(id=plan.pk).select_related("history_user"))]
    for model in PART_MODELS:
        records.append(list(model.history.filter(plan_id=plan.pk).select_related("history_user")))
    action_ids = Action.history.filter(plan_id=plan.pk).values("id")
    records.append(
        list(Milestone.history.filter(action_id__in=action_ids).select_related("history_user"))
    )
    entries = [_copy_entry(event) for event in plan_events(plan).filter(kind__in=COPY_EVENTS)]
    for model_records in records:
        entries += _entries_for(model_records)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _copy_entry(event: PlanEvent) -> HistoryEntry:
    return HistoryEntry(
        when=event.at, who=event.by, what="Plan", kind="copied", changes=[], note=event.comment
    )


KIND = {"+": "added", "~": "changed", "-": "removed"}
IGNORED = {"id", "plan", "updated_at", "created_at", "position", "action"}


def _entries_for(records: list) -> list[HistoryEntry]:
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        if not _is_copy(versions[0]):  # the copy's own entry says it (_copy_entry)
            entries.append(_entry(versions[0], []))
        for earlier, later in pairwise(versions):
            entries.append(_entry(later, _field_changes(earlier, later)))
    return [entry for entry in entries if entry.kind != "changed" or entry.changes]


def _is_copy(record) -> bool:
    return record.history_type == "+" and record.history_change_reason == COPY_REASON


def _entry(record, changes: list[FieldChange]) -> HistoryEntry:
    model = record.instance_type
    what = f"{model._meta.verbose_name.capitalize()}: {_short(str(record.instance))}"
    if model is ServicePlan:
        what = "Plan"
    return HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        what=what,
        kind=KIND[record.history_type],
        changes=changes,
    )


def _field_changes(earlier, later) -> list[FieldChange]:
    delta = later.diff_against(earlier)
    changes = []
    for change in delta.changes:
        if change.field in IGNORED:
            continue
        model_field = later.instance_type._meta.get_field(change.field)
        changes.append(
            FieldChange(
                str(model_field.verbose_name).capitalize(),
                _recorded_value(model_field, change.old),
                _recorded_value(model_field, change.new),
            )
        )
    return changes


def _recorded_value(model_field, value) -> str:
    """A history record's value as people write it: a status by its name ("Submitted for
    approval", not "submitted"), a day as "30 June 2012", yes or no."""
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return _readable_date(value)
    return str(value)


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def plan_events(plan: ServicePlan) -> QuerySet:
    return PlanEvent.objects.filter(plan=plan).select_related("by")


def last_change(plan: ServicePlan, section: Section):
    """The newest history record of a section: who saved it last, and when."""
    if section.is_repeating:
        history = section.model.history.filter(plan_id=plan.pk)
    else:
        history = ServicePlan.history.filter(id=plan.pk)
    return history.select_related("history_user").order_by("-history_date").first()


@dataclass(frozen=True)
class LateTarget:
    """An item due after its plan's year ends: allowed (some actions run for years), but the
    approver should see it, as a mistyped year looks the same."""

    kind: str
    reference: str
    title: str
    target_date: datetime.date


def targets_after_the_year(plan: ServicePlan) -> list[LateTarget]:
    """The plan's actions, milestones and projects due after its year ends (31 March), soonest
    first. Three queries."""
    year_end = end_date(plan.year.start_year)
    late = [
        LateTarget("Action", action.reference, action.title, action.target_date)
        for action in Action.objects.filter(plan=plan, target_date__gt=year_end)
    ]
    late += [
        LateTarget("Milestone", milestone.reference, milestone.title, milestone.due_date)
        for milestone in Milestone.objects.filter(action__plan=plan, due_date__gt=year_end)
    ]
    late += [
        LateTarget("Project", project.reference, project.title, project.target_date)
        for project in Project.objects.filter(plan=plan, target_date__gt=year_end)
    ]
    return sorted(late, key=lambda item: item.target_date)
