"""Progress in year on a published plan: the rules, the reads and the writes.

Officers record progress beside the published plan, never by changing it: each action,
milestone and project gets a status (and a % complete, commentary and, for a milestone, the
day it was done), each risk is re-scored. An update belongs to a monitoring point; the latest
one for an item is its progress. Every way of recording progress (the page, the import
command, the admin) goes through record_progress or import's check_update, so the rules are
the same everywhere.

Overdue is decided here and only here (is_overdue).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from organisation import content_versions, references
from organisation.access import (
    is_administrator,
    may_edit_service,
    services_approvable_by,
)
from organisation.models import MonitoringPoint
from plans.models import Action, Milestone, ProgressUpdate, Project, Risk, ServicePlan
from security.documents import DocumentRefused, document_type

Kind = ProgressUpdate.Kind
Status = ProgressUpdate.Status

# Statuses that need the officer to say why: members read the commentary beside them.
NEEDS_COMMENTARY = (Status.AT_RISK, Status.OFF_TRACK, Status.CANCELLED)
# An item in one of these is finished with: never overdue, not carried into next year.
CLOSED = (Status.COMPLETED, Status.CANCELLED)
# The exceptions a monitoring report leads with.
EXCEPTIONS = (Status.AT_RISK, Status.OFF_TRACK)

# A plan's own action status (written when the plan was agreed) read as a progress status.
_PLANNED_STATUS = {
    Action.Status.NOT_STARTED: Status.NOT_STARTED,
    Action.Status.ON_TRACK: Status.ON_TRACK,
    Action.Status.AT_RISK: Status.AT_RISK,
    Action.Status.COMPLETED: Status.COMPLETED,
    Action.Status.DEFERRED: Status.CANCELLED,
}


class ProgressRefused(Exception):
    """An update that breaks the rules: {field: message}."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


# The rules -------------------------------------------------------------------------------------


def is_overdue(*, due: datetime.date | None, status: str, as_at: datetime.date) -> bool:
    """An action, milestone or project is overdue when its target date has passed by the day
    progress is taken as at and it is neither completed nor cancelled. A target date is the
    last day to deliver, so an item due on the as-at day is not yet overdue."""
    return due is not None and due < as_at and status not in CLOSED


def update_problems(
    *,
    kind: str,
    point: MonitoringPoint,
    status: str = "",
    percent_complete: int | None = None,
    commentary: str = "",
    completed_on: datetime.date | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    today: datetime.date | None = None,
    evidence_link: str = "",
) -> dict[str, str]:
    """What is wrong with an update, by field; empty when it may be recorded."""
    problems = _link_problems(evidence_link)
    if kind == Kind.RISK:
        return problems | _risk_problems(likelihood, impact)
    if status not in Status.values:
        problems["status"] = f"Choose a status: {', '.join(Status.labels).lower()}."
        return problems
    label = Status(status).label.lower()
    if status in NEEDS_COMMENTARY and not commentary.strip():
        problems["commentary"] = f"Say why it is {label}, and what is being done about it."
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        problems["percent_complete"] = "The % complete is a whole number from 0 to 100."
    elif status == Status.COMPLETED and percent_complete not in (None, 100):
        problems["percent_complete"] = "A completed item is 100% complete: clear it or say 100."
    elif status == Status.NOT_STARTED and percent_complete:
        problems["percent_complete"] = "An item not started is 0% complete."
    problems.update(_completion_problems(kind, status, completed_on, point, today))
    return problems


def _link_problems(link: str) -> dict[str, str]:
    # The link is shown to members as a link: only a web address, never javascript: or file:.
    if not link:
        return {}
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return {"evidence_link": "Give the evidence as a web address starting https://."}
    return {}


def _risk_problems(likelihood, impact) -> dict[str, str]:
    problems = {}
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if value is None or not 1 <= value <= 5:
            problems[name] = f"Score the {name} from 1 to 5."
    return problems


def _completion_problems(kind, status, completed_on, point, today) -> dict[str, str]:
    today = today or timezone.localdate()
    if completed_on is None:
        if kind == Kind.MILESTONE and status == Status.COMPLETED:
            return {"completed_on": "Give the day the milestone was completed."}
        return {}
    if kind != Kind.MILESTONE:
        return {"completed_on": "Only a milestone records the day it was completed."}
    if status != Status.COMPLETED:
        return {"completed_on": "Only a completed milestone has a completion date."}
    if completed_on > today:
        return {"completed_on": "The completion date cannot be in the future."}
    if completed_on < point.year.start_date:
        return {"completed_on": f"The completion date must fall within {point.year}."}
    return {}


# Who may record progress -------------------------------------------------------------------


def may_record_progress(user, plan: ServicePlan) -> bool:
    """The service's officers (and its head of service, and administrators) update progress on
    its published plan."""
    return plan.status == ServicePlan.Status.PUBLISHED and may_edit_service(user, plan.service)


def may_comment(user, plan: ServicePlan) -> bool:
    """The head of service (or an administrator) adds a comment to an update."""
    return services_approvable_by(user).filter(pk=plan.service_id).exists() or (
        is_administrator(user)
    )


# The items of a plan ---------------------------------------------------------------------------


@dataclass
class Item:
    """An action, milestone or project of a published plan, or a risk, with its progress."""

    kind: str
    reference: str
    title: str
    due: datetime.date | None
    planned_status: str  # what the plan itself says, before any update
    row: Action | Milestone | Project | Risk
    parent: str = ""  # a milestone's action reference
    updates: list[ProgressUpdate] = field(default_factory=list)  # oldest first
    as_at: datetime.date | None = None

    @property
    def latest(self) -> ProgressUpdate | None:
        return self.updates[-1] if self.updates else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else self.planned_status

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def percent_complete(self) -> int | None:
        return self.latest.percent_complete if self.latest else None

    @property
    def commentary(self) -> str:
        return self.latest.commentary if self.latest else ""

    @property
    def overdue(self) -> bool:
        if self.kind == Kind.RISK or self.as_at is None:
            return False
        return is_overdue(due=self.due, status=self.status, as_at=self.as_at)

    @property
    def is_exception(self) -> bool:
        return self.status in EXCEPTIONS or self.overdue

    # Risks: the score now against the one before (the plan's, or the update before).
    @property
    def score(self) -> int | None:
        if self.kind != Kind.RISK:
            return None
        return self.latest.score if self.latest else self.row.score

    @property
    def previous_score(self) -> int | None:
        if self.kind != Kind.RISK or not self.updates:
            return None
        return self.updates[-2].score if len(self.updates) > 1 else self.row.score

    @property
    def movement(self) -> str:
        """ "up", "down" or "same" against the score before; "" without a re-score."""
        if self.previous_score is None:
            return ""
        if self.score > self.previous_score:
            return "up"
        return "down" if self.score < self.previous_score else "same"


def plan_items(plan: ServicePlan) -> dict[str, Item]:
    """Every action, milestone, project and risk of a plan by reference, in the plan's order.
    Four queries, whatever the size of the plan."""
    items: dict[str, Item] = {}
    for action in plan.actions.all():
        items[action.reference] = _action_item(action)
    for milestone in Milestone.objects.filter(action__plan=plan).select_related("action"):
        items[milestone.reference] = _milestone_item(milestone)
    for project in plan.projects.all():
        items[project.reference] = _project_item(project)
    for risk in plan.risks.all():
        items[risk.reference] = _risk_item(risk)
    return items


def _action_item(action: Action) -> Item:
    return Item(
        Kind.ACTION,
        action.reference,
        action.title,
        action.target_date,
        _PLANNED_STATUS[action.status],
        action,
    )


def _milestone_item(milestone: Milestone) -> Item:
    planned = Status.COMPLETED if milestone.completed_on else Status.NOT_STARTED
    return Item(
        Kind.MILESTONE,
        milestone.reference,
        milestone.title,
        milestone.due_date,
        planned,
        milestone,
        parent=milestone.action.reference,
    )


def _project_item(project: Project) -> Item:
    return Item(
        Kind.PROJECT,
        project.reference,
        project.title,
        project.target_date,
        Status.NOT_STARTED,
        project,
    )


def _risk_item(risk: Risk) -> Item:
    return Item(Kind.RISK, risk.reference, risk.description, None, "", risk)


def plan_progress(plan: ServicePlan, point: MonitoringPoint | None = None) -> dict[str, Item]:
    """A plan's items with their updates up to a monitoring point (every point of the plan's
    year when None) and taken as at that point: five queries."""
    items = plan_items(plan)
    updates = _updates_up_to(point, service_id=plan.service_id, point__year_id=plan.year_id)
    _attach_updates(items, updates, point, plan)
    return items


def _updates_up_to(point: MonitoringPoint | None, **where) -> list[ProgressUpdate]:
    """Progress updates (filtered by `where`) of points up to `point` (all when None), oldest
    first: by the day their point is as at, then as recorded."""
    updates = ProgressUpdate.objects.filter(**where).select_related(
        "point", "by", "head_comment_by"
    )
    if point is not None:
        updates = updates.filter(point__as_at__lte=point.as_at)
    return sorted(updates, key=lambda u: (u.point.as_at, u.at, u.pk))


def _attach_updates(
    items: dict[str, Item],
    updates: list[ProgressUpdate],
    point: MonitoringPoint | None,
    plan: ServicePlan,
) -> None:
    """Give each item its updates (oldest first; an update of an item the plan no longer has
    is left out) and the day it is taken as at."""
    for update in updates:
        if update.reference in items:
            items[update.reference].updates.append(update)
    as_at = point.as_at if point else _as_at_of(updates)
    for item in items.values():
        item.as_at = as_at


def _as_at_of(updates: list[ProgressUpdate]) -> datetime.date | None:
    """Progress read without a point is as at the latest point reported on; before any
    update, nothing is overdue yet."""
    return updates[-1].point.as_at if updates else None


def items_of_plans(plans: list[ServicePlan]) -> dict[int, dict[str, Item]]:
    """plan_items for many plans, by plan id: four queries, whatever the number of plans."""
    items: dict[int, dict[str, Item]] = {plan.pk: {} for plan in plans}
    if not items:
        return items
    ids = list(items)
    for action in Action.objects.filter(plan__in=ids):
        items[action.plan_id][action.reference] = _action_item(action)
    for milestone in Milestone.objects.filter(action__plan__in=ids).select_related("action"):
        items[milestone.action.plan_id][milestone.reference] = _milestone_item(milestone)
    for project in Project.objects.filter(plan__in=ids):
        items[project.plan_id][project.reference] = _project_item(project)
    for risk in Risk.objects.filter(plan__in=ids):
        items[risk.plan_id][risk.reference] = _risk_item(risk)
    return items


def progress_of_plans(plans, point: MonitoringPoint | None = None) -> dict[int, dict[str, Item]]:
    """plan_progress for many plans, by plan id, the same items with the same updates: five
    queries, whatever the number of plans (a monitoring report of a whole council)."""
    plans = list(plans)
    items = items_of_plans(plans)
    if not plans:
        return items
    updates = _updates_up_to(
        point,
        service_id__in={plan.service_id for plan in plans},
        point__year_id__in={plan.year_id for plan in plans},
    )
    # Updates belong to a service's items in a year, not to a plan version.
    by_service_year: dict[tuple[int, int], list[ProgressUpdate]] = defaultdict(list)
    for update in updates:
        by_service_year[update.service_id, update.point.year_id].append(update)
    for plan in plans:
        updates_of_plan = by_service_year[plan.service_id, plan.year_id]
        _attach_updates(items[plan.pk], updates_of_plan, point, plan)
    return items


@dataclass(frozen=True)
class OffTrack:
    """An action of a published plan whose latest progress update says it is off track."""

    action: Action
    update: ProgressUpdate


def actions_off_track(*, plans: QuerySet[ServicePlan], as_at: datetime.date) -> list[OffTrack]:
    """The actions of these plans (of one year) whose latest update, of the monitoring points
    as at `as_at` or before, says off track (in the order updates are read: the point's day,
    then as recorded), in order of service and action. Only the off-track updates and their
    actions are read, however many updates the year has: two queries."""
    updates = ProgressUpdate.objects.filter(
        kind=Kind.ACTION,
        service_id__in=plans.values("service_id"),
        point__year_id__in=plans.values("year_id"),
        point__as_at__lte=as_at,
    )
    # A later update of the same item: looked up by its (service, reference) index for each
    # off-track one, never by scanning the year's updates.
    same_day = Q(point__as_at=OuterRef("point__as_at"))
    later = ProgressUpdate.objects.filter(
        Q(point__as_at__gt=OuterRef("point__as_at"))
        | same_day & Q(at__gt=OuterRef("at"))
        | same_day & Q(at=OuterRef("at"), pk__gt=OuterRef("pk")),
        service_id=OuterRef("service_id"),
        reference=OuterRef("reference"),
        kind=Kind.ACTION,
        point__year_id=OuterRef("point__year_id"),
        point__as_at__lte=as_at,
    )
    off_track = {
        (update.service_id, update.reference): update
        for update in updates.filter(status=Status.OFF_TRACK)
        .exclude(Exists(later))
        .select_related("point")
        .order_by()
    }
    if not off_track:
        return []
    actions = (
        Action.objects.filter(plan__in=plans, reference__in={ref for _, ref in off_track})
        .select_related("plan__service")
        .order_by("plan__service__name", "position", "id")
    )
    return [
        OffTrack(action, off_track[action.plan.service_id, action.reference])
        for action in actions
        if (action.plan.service_id, action.reference) in off_track
    ]


def closed_references(plan: ServicePlan) -> set[str]:
    """References of a plan's items that are completed or cancelled, as its latest progress
    (or the plan itself) says."""
    return {ref for ref, item in plan_progress(plan).items() if item.status in CLOSED}


def not_carried_forward(plan: ServicePlan) -> list[Item]:
    """The actions, projects and risks of last year's plan that this plan, rolled forward from
    it, no longer has (completed, cancelled, or taken out since), with their last progress:
    members see what became of them rather than watching them vanish."""
    source = last_years_plan(plan)
    if source is None:
        return []
    kept = set()
    for related in (plan.actions, plan.projects, plan.risks):
        kept.update(related.values_list("reference", flat=True))
    return [
        item
        for item in plan_progress(source).values()
        if item.kind != Kind.MILESTONE and item.reference not in kept
    ]


def last_years_plan(plan: ServicePlan) -> ServicePlan | None:
    """The plan of an earlier year this one was rolled forward from, through any revisions of
    this year's plan (version 2 is rolled from version 1, which was rolled from last year's)."""
    source = plan.rolled_from
    while source is not None and source.year_id == plan.year_id:
        source = source.rolled_from
    return source


def grouped(items: dict[str, Item]) -> dict[str, list]:
    """Items as a plan shows them: each action with its milestones under it, then the
    projects, then the risks."""
    milestones = defaultdict(list)
    for item in items.values():
        if item.kind == Kind.MILESTONE:
            milestones[item.parent].append(item)
    return {
        "actions": [
            (item, milestones[item.reference])
            for item in items.values()
            if item.kind == Kind.ACTION
        ],
        "projects": [item for item in items.values() if item.kind == Kind.PROJECT],
        "risks": [item for item in items.values() if item.kind == Kind.RISK],
    }


def progress_stamp(service_id: int) -> str:
    """Changes when an update of the service is recorded, removed or commented on: a cached
    page showing its progress keys on it, so a new update shows at once. One query."""
    found = ProgressUpdate.objects.filter(service_id=service_id).aggregate(
        count=Count("id"), last=Max("id"), commented=Max("head_comment_at")
    )
    commented = found["commented"].timestamp() if found["commented"] else 0
    return f"{found['count']}.{found['last']}.{commented}"


# Writes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    link: str = ""
    content: bytes = b""
    filename: str = ""


def item_problems(*, service, point: MonitoringPoint, reference: str, kind: str) -> dict[str, str]:
    """What is wrong with the item an update names, for a route that names it by service and
    reference (the admin): the service's published plan of the point's year must have an item
    of that reference and kind."""
    plan = published_plan(service, point.year)
    if plan is None:
        return {"point": f"{service} has no published plan for {point.year}."}
    item = plan_items(plan).get(reference)
    if item is None:
        return {"reference": not_in_plan(plan, reference)}
    if item.kind != kind:
        return {"kind": f"{reference} is a {Kind(item.kind).label.lower()}."}
    return {}


def not_in_plan(plan: ServicePlan, reference: str) -> str:
    """ "Licensing 2012/13 has no action LIC-A09." """
    return f"{plan} has no {references.kind_of(reference)} {reference}."


def published_plan(service, year) -> ServicePlan | None:
    return ServicePlan.objects.filter(
        service=service, year=year, status=ServicePlan.Status.PUBLISHED
    ).first()


def record_progress(
    *,
    plan: ServicePlan,
    reference: str,
    point: MonitoringPoint,
    by,
    status: str = "",
    percent_complete: int | None = None,
    commentary: str = "",
    commentary_internal: bool = False,
    completed_on: datetime.date | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    evidence: Evidence = Evidence(),
) -> ProgressUpdate:
    """Record an update on an item of a published plan. ProgressRefused says what is wrong, by
    field; PermissionDenied when the person may not update this plan. `commentary_internal`
    keeps the commentary from the public pages and the open data; members still read it."""
    if not may_record_progress(by, plan):
        raise PermissionDenied
    items = plan_items(plan)
    item = items.get(reference)
    if item is None:
        raise ProgressRefused({"reference": not_in_plan(plan, reference)})
    if point.year_id != plan.year_id:
        raise ProgressRefused({"point": f"{point.name} is not a monitoring point of {plan.year}."})
    values = {
        "status": "" if item.kind == Kind.RISK else status,
        "percent_complete": None if item.kind == Kind.RISK else percent_complete,
        "commentary": commentary.strip(),
        "completed_on": completed_on,
        "likelihood": likelihood if item.kind == Kind.RISK else None,
        "impact": impact if item.kind == Kind.RISK else None,
    }
    problems = update_problems(kind=item.kind, point=point, evidence_link=evidence.link, **values)
    if evidence.content:
        try:
            document_type(
                evidence.content, evidence.filename, max_bytes=settings.EVIDENCE_MAX_BYTES
            )
        except DocumentRefused as refused:
            problems["evidence_file"] = str(refused)
    if problems:
        raise ProgressRefused(problems)
    update = ProgressUpdate(
        service_id=plan.service_id,
        point=point,
        kind=item.kind,
        reference=reference,
        by=by,
        commentary_internal=commentary_internal,
        evidence_link=evidence.link,
        evidence_name=evidence.filename[:200] if evidence.content else "",
        **values,
    )
    with transaction.atomic():
        if evidence.content:
            update.evidence_file.save(evidence.filename, ContentFile(evidence.content), save=False)
        update.save()
        content_versions.service_content_changed([update.service_id])
    return update


def comment_on_update(*, update: ProgressUpdate, by, comment: str) -> ProgressUpdate:
    """The head of service's comment on an update (replacing an earlier one of theirs)."""
    plan = published_plan(update.service, update.point.year)
    if plan is None or not may_comment(by, plan):
        raise PermissionDenied
    if not comment.strip():
        raise ProgressRefused({"head_comment": "Write the comment, or cancel."})
    update.head_comment = comment.strip()
    update.head_comment_by = by
    update.head_comment_at = timezone.now()
    update.save(update_fields=["head_comment", "head_comment_by", "head_comment_at"])
    content_versions.service_content_changed([update.service_id])
    return update


@dataclass(frozen=True)
class UpdatesDue:
    """A published plan's items still without an update at a monitoring point."""

    plan: ServicePlan
    point: MonitoringPoint
    items: list[Item]


def updates_due(services, point: MonitoringPoint) -> list[UpdatesDue]:
    """For each of the services' published plans of the point's year, the items with no update
    at this point yet: open actions, milestones and projects (a completed or cancelled one has
    nothing more to report) and every risk, to be re-scored. Seven queries, whatever the number
    of plans and items: an officer's home page."""
    plans = list(
        ServicePlan.objects.filter(
            service__in=services, year_id=point.year_id, status=ServicePlan.Status.PUBLISHED
        ).select_related("service", "year")
    )
    progress = progress_of_plans(plans, point)
    due = []
    for plan in plans:
        items = [
            item
            for item in progress[plan.pk].values()
            if not any(update.point_id == point.pk for update in item.updates)
            and (item.kind == Kind.RISK or item.status not in CLOSED)
        ]
        if items:
            due.append(UpdatesDue(plan, point, items))
    return due
