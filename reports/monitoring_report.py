"""The monitoring report: progress of the published service plans at a monitoring point (the
half-year or the year-end, as councils report to members twice a year), for a committee (the
services it reviews) or a head of service (their services).

Exceptions first, as members read it:

    1  the cover: council, "Monitoring report: Half-year 2012/13, as at 30 September 2012", and
       whom it is for
    2  exceptions, with their counts at the top: actions, projects and milestones off track or
       at risk, or overdue; red indicators; risks whose score rose. Each with its service,
       reference, status, due date, commentary and the head of service's comment
    3  progress of every key action, by service
    4  the performance summary, by service: target, actual, RAG, forecast and its RAG, direction
       of travel against the period before and the same period last year
    5  risk movements: every risk re-scored at or before the point

Only published plans are read, and only the figures of services with one (members read a
service's figures once its plan for the year is published); a service without a published plan
for the year says so. Progress and figures are read for every service at once
(plans.progress.progress_of_plans, performance.selectors.indicator_statuses): the number of
queries does not grow with the number of services.
"""

from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.utils import dateformat

from organisation.models import Committee, CommitteeReview, HeadOfService, MonitoringPoint, Service
from performance import selectors as performance
from performance.periods import Period
from performance.rules import Rag
from plans.models import Objective, ServicePlan, risk_rating
from plans.progress import Item, Kind, Status, progress_of_plans
from reports.base import Progress, Report, no_progress, register

# Why a plan item is an exception, in the order the counts are given.
OFF_TRACK, AT_RISK, OVERDUE = "off track", "at risk", "overdue"
REASONS = (OFF_TRACK, AT_RISK, OVERDUE)
STATUS_REASONS = {Status.OFF_TRACK: OFF_TRACK, Status.AT_RISK: AT_RISK}
COUNTED_KINDS = (Kind.ACTION, Kind.PROJECT, Kind.MILESTONE)

# A risk's movement in words and a sign, so it reads without colour.
MOVEMENT_TEXT = {"up": "▲ Risen", "down": "▼ Fallen", "same": "→ Unchanged"}


class MonitoringReportForm(forms.Form):
    point = forms.ModelChoiceField(
        queryset=MonitoringPoint.objects.select_related("year").order_by("-as_at"),
        label="Monitoring point",
        help_text="Progress and figures as at this point of the year.",
    )
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.all(),
        required=False,
        help_text="The services it reviews. Or choose a head of service instead.",
    )
    head_of_service = forms.ModelChoiceField(
        queryset=HeadOfService.objects.all(),
        required=False,
        help_text="Their services. Or choose a committee instead.",
    )

    def clean(self):
        cleaned = super().clean()
        committee, head = cleaned.get("committee"), cleaned.get("head_of_service")
        if committee and head:
            self.add_error("head_of_service", "Choose a committee or a head of service, not both.")
        elif not committee and not head and not self.has_error("committee"):
            self.add_error("committee", "Choose a committee, or a head of service.")
        return cleaned


@dataclass
class ItemException:
    """An action, project or milestone that members should look at, and why (one or more of
    off track, at risk, overdue)."""

    service: Service
    item: Item
    reasons: list[str]

    @property
    def kind_label(self) -> str:
        return Kind(self.item.kind).label


@dataclass
class RiskMovement:
    service: Service
    item: Item  # a risk re-scored at or before the point

    @property
    def movement_text(self) -> str:
        return MOVEMENT_TEXT[self.item.movement]

    @property
    def previous(self) -> str:
        return _score_text(self.item.previous_score)

    @property
    def now(self) -> str:
        return _score_text(self.item.score)

    @property
    def has_risen(self) -> bool:
        return self.item.movement == "up"


def _score_text(score: int) -> str:
    """ "16 (High)": the score with the rating members know it by."""
    return f"{score} ({risk_rating(score)})"


@dataclass
class KeyAction:
    item: Item
    objective: Objective | None


@dataclass
class ServiceMonitoring:
    """One service in the report: its published plan's key actions, its figures, its risks."""

    service: Service
    scope_note: str  # the part of the service the committee reviews, if not all of it
    plan: ServicePlan | None  # the published plan of the year; None: nothing to report
    key_actions: list[KeyAction] = field(default_factory=list)
    marks_key_objectives: bool = True  # False: the plan marks none, so every action is shown
    indicators: list[performance.IndicatorStatus] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"service-{self.service.pk}"


@register
class MonitoringReport(Report):
    slug = "monitoring-report"
    title = "Monitoring report"
    description = (
        "Progress of the published plans at a monitoring point, for a committee or a head of "
        "service: exceptions first (off track, at risk, overdue, red, risen risks), then key "
        "actions, performance and risk movements."
    )
    form_class = MonitoringReportForm
    template_name = "reports/monitoring_report.html"

    @property
    def point(self) -> MonitoringPoint:
        return self.options["point"]

    @property
    def audience(self) -> Committee | HeadOfService:
        return self.options.get("committee") or self.options["head_of_service"]

    def heading(self) -> str:
        """ "Monitoring report: Half-year 2012/13, as at 30 September 2012"."""
        point = self.point
        return f"Monitoring report: {point.name} {point.year}, as at {_day(point.as_at)}"

    def document_title(self) -> str:
        return f"{self.heading()} – {self.audience}"

    def audience_line(self) -> str:
        if committee := self.options.get("committee"):
            return f"For the {committee}"
        head = self.options["head_of_service"]
        officer = f" ({head.officer_name})" if head.officer_name else ""
        return f"For the head of service, {head}{officer}"

    # --- what members may read --------------------------------------------------------------

    def unpublished_content(self) -> list[str]:
        """Nothing: the report reads only the published plan of each service, and only the
        figures of services that have one. A plan superseded while the report renders is
        caught by plans_covered, recorded on the stored report."""
        return []

    def plans_covered(self) -> list[ServicePlan]:
        services = [entry.service.pk for entry in self.scope()]
        return list(_published_plans(self.point, services).values())

    # --- the contents -----------------------------------------------------------------------

    def scope(self) -> list["ScopedService"]:
        """The services the report covers, by head of service and name: one query."""
        if committee := self.options.get("committee"):
            reviews = (
                CommitteeReview.objects.filter(committee=committee)
                .select_related("service__head_of_service")
                .order_by("service__head_of_service__name", "service__name")
            )
            return [ScopedService(review.service, review.scope_note) for review in reviews]
        services = (
            Service.objects.filter(head_of_service=self.options["head_of_service"])
            .select_related("head_of_service")
            .order_by("name")
        )
        return [ScopedService(service, "") for service in services]

    def data(self, progress: Progress = no_progress) -> dict:
        point = self.point
        scope = self.scope()
        plans = _published_plans(point, [entry.service.pk for entry in scope])
        progress(4, "Reading progress on the published plans")
        items_by_plan = progress_of_plans(plans.values(), point)
        objectives = _objectives_of(plans.values())
        progress(8, "Reading the figures")
        statuses = _indicator_statuses(
            point, [entry.service for entry in scope if entry.service.pk in plans]
        )
        services = [
            _service_monitoring(
                entry, plans.get(entry.service.pk), items_by_plan, objectives, statuses
            )
            for entry in scope
        ]
        item_exceptions = [
            exception
            for entry in services
            if entry.plan
            for exception in plan_exceptions(entry.service, items_by_plan[entry.plan.pk])
        ]
        movements = [
            movement
            for entry in services
            if entry.plan
            for movement in risk_movements(entry.service, items_by_plan[entry.plan.pk])
        ]
        red = [status for entry in services for status in entry.indicators if status.rag == Rag.RED]
        risen = [movement for movement in movements if movement.has_risen]
        counts = exception_counts(item_exceptions, red_indicators=len(red), risks_risen=len(risen))
        without_plan = [entry.service for entry in services if entry.plan is None]
        return {
            "point": point,
            "year": point.year,
            "as_at": figures_as_at(point),
            "services": services,
            "without_plan": without_plan,
            "item_exceptions": item_exceptions,
            "red_indicators": red,
            "risen_risks": risen,
            "exception_counts": counts,
            "risk_movements": movements,
            "cover_title": self.heading(),
            "cover_subtitle": self.audience_line(),
            "cover_facts": _cover_facts(point, services, without_plan, counts),
            "contents": [
                ("exceptions", "Exceptions", 1),
                ("progress", "Progress of key actions", 1),
                ("performance", "Performance summary", 1),
                ("risks", "Risk movements", 1),
            ],
        }


@dataclass(frozen=True)
class ScopedService:
    service: Service
    scope_note: str


def _day(day) -> str:
    return dateformat.format(day, "j F Y")


def _published_plans(point: MonitoringPoint, service_ids: list[int]) -> dict[int, ServicePlan]:
    """The published plan of each service for the point's year, by service id: one query.
    Drafts and plans awaiting approval never appear in members' papers."""
    plans = (
        ServicePlan.objects.published()
        .filter(year_id=point.year_id, service__in=service_ids)
        .select_related("service", "year")
    )
    return {plan.service_id: plan for plan in plans}


def _objectives_of(plans) -> dict[int, dict[int, Objective]]:
    """Every objective of the plans, by plan id and objective id: one query."""
    objectives: dict[int, dict[int, Objective]] = {plan.pk: {} for plan in plans}
    for objective in Objective.objects.filter(plan__in=list(objectives)):
        objectives[objective.plan_id][objective.pk] = objective
    return objectives


def figures_as_at(point: MonitoringPoint) -> Period:
    """The month the performance is read as at: the latest with figures by the point's date.
    Figures arrive after the month they measure, so a half-year report to September usually
    has August's; reading September would show every monthly indicator awaited."""
    latest = performance.latest_reported_month(point.year, today=point.as_at)
    return latest or Period.of(point.as_at)


def _indicator_statuses(point: MonitoringPoint, services: list[Service]) -> dict[int, list]:
    """The indicators of the services as at the latest month with figures by the point, by
    service id: five queries."""
    by_service: dict[int, list[performance.IndicatorStatus]] = {}
    if not services:
        return by_service
    for status in performance.indicator_statuses(
        year=point.year, as_at=figures_as_at(point), services=services
    ):
        by_service.setdefault(status.indicator.service_id, []).append(status)
    return by_service


def _service_monitoring(entry, plan, items_by_plan, objectives, statuses) -> ServiceMonitoring:
    if plan is None:
        return ServiceMonitoring(entry.service, entry.scope_note, None)
    plan_objectives = objectives[plan.pk]
    return ServiceMonitoring(
        entry.service,
        entry.scope_note,
        plan,
        key_actions=key_actions(items_by_plan[plan.pk], plan_objectives),
        marks_key_objectives=marks_key_objectives(plan_objectives),
        indicators=statuses.get(entry.service.pk, []),
    )


def marks_key_objectives(objectives: dict[int, Objective]) -> bool:
    return any(objective.is_key for objective in objectives.values())


def key_actions(items: dict[str, Item], objectives: dict[int, Objective]) -> list[KeyAction]:
    """The actions of a plan that deliver one of its key objectives (`objectives`: the plan's,
    by id). A plan that marks no key objective shows every action, as the covering report's
    abridged plans show every objective of such a plan: a service whose plan left the box
    unticked does not drop out of members' sight."""
    every_action = not marks_key_objectives(objectives)
    actions = []
    for item in items.values():
        if item.kind != Kind.ACTION:
            continue
        objective = objectives.get(item.row.objective_id)
        if every_action or (objective is not None and objective.is_key):
            actions.append(KeyAction(item, objective))
    return actions


def plan_exceptions(service: Service, items: dict[str, Item]) -> list[ItemException]:
    """A plan's actions, projects and milestones off track, at risk or overdue, each once with
    every reason, a milestone after its action."""
    order = {reference: index for index, reference in enumerate(items)}
    found = [
        ItemException(service, item, reasons_of(item))
        for item in items.values()
        if item.kind != Kind.RISK and item.is_exception
    ]
    return sorted(
        found,
        key=lambda e: (order.get(e.item.parent, order[e.item.reference]), order[e.item.reference]),
    )


def reasons_of(item: Item) -> list[str]:
    """Why an item is an exception: its status, and overdue (an item can be both)."""
    reasons = [STATUS_REASONS[item.status]] if item.status in STATUS_REASONS else []
    return reasons + [OVERDUE] if item.overdue else reasons


def risk_movements(service: Service, items: dict[str, Item]) -> list[RiskMovement]:
    """The risks re-scored at or before the point, in the plan's order."""
    return [
        RiskMovement(service, item)
        for item in items.values()
        if item.kind == Kind.RISK and item.updates
    ]


def exception_counts(
    item_exceptions: list[ItemException], *, red_indicators: int, risks_risen: int
) -> list[str]:
    """The counts members read first: "3 actions off track", "4 overdue milestones", "5 red
    indicators", "1 risk risen". An item both off track and overdue counts under each."""
    counts = Counter(
        (exception.item.kind, reason)
        for exception in item_exceptions
        for reason in exception.reasons
    )
    phrases = [
        _count_phrase(counts[kind, reason], Kind(kind).label.lower(), reason)
        for reason in REASONS
        for kind in COUNTED_KINDS
        if counts[kind, reason]
    ]
    if red_indicators:
        phrases.append(_count_phrase(red_indicators, "red indicator"))
    if risks_risen:
        phrases.append(_count_phrase(risks_risen, "risk", "risen"))
    return phrases


def _count_phrase(number: int, noun: str, reason: str = "") -> str:
    """(3, "action", "off track") -> "3 actions off track"; "overdue" goes before the noun."""
    plural = noun if number == 1 else f"{noun}s"
    if reason == OVERDUE:
        return f"{number} overdue {plural}"
    return f"{number} {plural} {reason}".rstrip()


def _cover_facts(point, services, without_plan, counts) -> list[tuple[str, str]]:
    covered = f"{len(services)}"
    if without_plan:
        covered += f" ({len(without_plan)} with no published {point.year} plan)"
    return [
        ("Monitoring point", f"{point.name} {point.year}"),
        ("Progress as at", _day(point.as_at)),
        ("Updates were due by", _day(point.due_date)),
        ("Services", covered),
        ("Exceptions", ", ".join(counts) if counts else "None"),
    ]
