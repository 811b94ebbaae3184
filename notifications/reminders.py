"""What is due or late, and the daily job that reminds people of it.

Everything the council waits for is an Outstanding item: a service's figures for a period, its
progress updates for a monitoring point, its plan for the round, a plan waiting for approval,
figures waiting for sign-off. When each is due comes from the reporting calendar
(organisation.reporting_calendar); this module says who is reminded, and when:

    stage       working days from the due date    who is told
    due-soon    5 before                          the people who do it
    due-today   on the day
    overdue-1   1 after
    overdue-2   5 after
    overdue-3   10 after                          + the head of service (after two overdue)
    overdue-4   15 after                          + the administrators (after three)

Each person is told each stage of each item once (Notification's unique about + stage), so the
job can run as often as it likes; an item that moves on several stages between runs is told
only its latest. Reminders go in each person's one digest of the day (delivery.py).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from notifications import delivery
from notifications.models import Kind, Notification
from notifications.people import ServicePeople, administrators, people_of_services
from notifications.services import Message, notify_many
from organisation import reporting_calendar as calendar
from organisation.models import FinancialYear, MonitoringPoint, Service
from performance.selectors import figures_due
from plans.models import ServicePlan
from plans.progress import updates_due

# (stage, working days from the due date), in order.
STAGES = (
    ("due-soon", -5),
    ("due-today", 0),
    ("overdue-1", 1),
    ("overdue-2", 5),
    ("overdue-3", 10),
    ("overdue-4", 15),
)
HEAD_FROM_STAGE = "overdue-3"
ADMINISTRATORS_FROM_STAGE = "overdue-4"
SOON_WORKING_DAYS = -STAGES[0][1]
# A figure period or monitoring point older than this is history, not chasing.
LOOK_BACK_YEARS = 1


@dataclass
class Outstanding:
    """One thing the council is waiting for, from one service."""

    kind: str
    about: str
    service: Service
    what: str
    due: datetime.date
    url: str
    people: ServicePeople
    # Who does it: the service's editors, or its head of service for approval and sign-off.
    by_head: bool = False
    detail: str = ""
    last_reminded: datetime.datetime | None = field(default=None, compare=False)

    @property
    def responsible(self) -> list:
        if self.by_head:
            return [self.people.head] if self.people.head else []
        return self.people.responsible

    def working_days_late(self, today: datetime.date) -> int:
        return calendar.working_days_between(self.due, today)

    def is_late(self, today: datetime.date) -> bool:
        return today > self.due


def stage_on(due: datetime.date, today: datetime.date) -> str | None:
    """The latest reminder stage an item due on `due` has reached by `today` (None: not yet)."""
    reached = None
    for stage, offset in STAGES:
        if calendar.add_working_days(due, offset) <= today:
            reached = stage
    return reached


def outstanding(today: datetime.date, *, services=None) -> list[Outstanding]:
    """Everything due within SOON_WORKING_DAYS working days or late, as at `today`, in order of
    due date and service. A fixed number of queries, whatever the number of services, people
    and items."""
    people = people_of_services(services)
    years = list(
        FinancialYear.objects.filter(
            start_year__gte=_start_year_of(today) - LOOK_BACK_YEARS,
            start_year__lte=_start_year_of(today) + 1,
        ).order_by("start_year")
    )
    horizon = calendar.add_working_days(today, SOON_WORKING_DAYS)
    chosen = Service.objects.filter(pk__in=list(people))
    items = [
        *_figures(chosen, years, today, horizon, people),
        *_progress(chosen, years, today, horizon, people),
        *_plans(years, horizon, people),
    ]
    items = [item for item in items if item.due <= horizon]
    _attach_last_reminders(items)
    return sorted(items, key=lambda item: (item.due, item.service.name, item.what))


def _start_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _figures(services, years, today, horizon, people) -> list[Outstanding]:
    items = []
    for year in years:
        if year.start_date > today:
            continue
        for row in figures_due(services=services, year=year, today=today):
            due = calendar.figure_due_date(row.period.end_date)
            service = row.service
            entry_url = reverse("performance:figures-entry", args=[service.pk, row.period.name])
            if row.missing:
                awaited = f", {row.awaited} awaited" if row.awaited else ""
                items.append(
                    Outstanding(
                        Kind.FIGURES_DUE,
                        f"figures:{service.pk}:{row.period.end_date}",
                        service,
                        f"{row.period.month_label} figures",
                        due,
                        entry_url,
                        people[service.pk],
                        detail=f"{row.missing} of {row.due} to enter{awaited}",
                    )
                )
            elif row.sign_off is None:
                sign_off_due = calendar.sign_off_due_date(row.period.end_date)
                items.append(
                    Outstanding(
                        Kind.SIGN_OFF_DUE,
                        f"sign-off:{service.pk}:{row.period.end_date}",
                        service,
                        f"Sign-off of {row.period.month_label} figures",
                        max(sign_off_due, due),
                        reverse("performance:sign-off", args=[service.pk, row.period.name]),
                        people[service.pk],
                        by_head=True,
                        detail=f"{'all ' if row.due > 1 else ''}{row.due} entered, not signed off",
                    )
                )
    return items


def _progress(services, years, today, horizon, people) -> list[Outstanding]:
    points = MonitoringPoint.objects.filter(
        year__in=years, as_at__lt=today, due_date__lte=horizon
    ).select_related("year")
    items = []
    for point in points:
        for row in updates_due(services, point):
            service = row.plan.service
            count = len(row.items)
            items.append(
                Outstanding(
                    Kind.PROGRESS_DUE,
                    f"progress:{service.pk}:{point.pk}",
                    service,
                    f"Progress updates, {point.name.lower()} {point.year}",
                    calendar.progress_due_date(point),
                    reverse("plans:plan-progress", args=[row.plan.pk]) + f"?point={point.pk}",
                    people[service.pk],
                    detail=f"{count} item{'s' if count != 1 else ''} without an update",
                )
            )
    return items


def round_items(year: FinancialYear, service_ids, today: datetime.date) -> list[Outstanding]:
    """The planning round page's "remind the selected": each of these services' plan for the
    year still to submit (or, submitted, to approve), whatever its deadline; due today when
    no deadline is set. A fixed number of queries."""
    service_ids = list(service_ids)
    newest = dict(
        ServicePlan.objects.filter(year=year, service_id__in=service_ids)
        .order_by("version")
        .values_list("service_id", "status")
    )
    # An approved plan waits for its committee, not for its editors.
    waiting = [pk for pk in service_ids if newest.get(pk) != ServicePlan.Status.APPROVED]
    return _plans([year], None, people_of_services(waiting), today=today)


def _plans(years, horizon, people, *, today: datetime.date | None = None) -> list[Outstanding]:
    """Plans not yet submitted by the round's date, and submitted plans not yet approved by
    its approval date. No horizon: every one, whatever its date (`today` if none is set)."""
    items = []
    for year in years:
        deadlines = calendar.plan_deadlines(year)
        submit_by, approve_by = deadlines.submit_by, deadlines.approve_by
        if horizon is None:
            submit_by, approve_by = submit_by or today, approve_by or today
        reach = horizon or datetime.date.max
        if not (submit_by and submit_by <= reach) and not (approve_by and approve_by <= reach):
            continue
        statuses: dict[int, list[tuple[str, int]]] = {}
        for service_id, status, pk in (
            ServicePlan.objects.filter(year=year, service_id__in=list(people))
            .order_by("version")
            .values_list("service_id", "status", "pk")
        ):
            statuses.setdefault(service_id, []).append((status, pk))
        for service_id, service_people in people.items():
            plans = statuses.get(service_id, [])
            done = {status for status, _ in plans} - set(ServicePlan.WORKING_STATUSES)
            submitted = [pk for status, pk in plans if status == ServicePlan.Status.SUBMITTED]
            service = service_people.service
            if submit_by and submit_by <= reach and not done and not submitted:
                newest = plans[-1][1] if plans else None
                items.append(
                    Outstanding(
                        Kind.PLAN_DUE,
                        f"plan-due:{service_id}:{year.pk}",
                        service,
                        f"Service plan {year} to submit",
                        submit_by,
                        reverse("portal:plan-workspace", args=[newest])
                        if newest
                        else reverse("portal:home"),
                        service_people,
                        detail="not started" if not plans else "not yet submitted",
                    )
                )
            if approve_by and approve_by <= reach and submitted:
                items.append(
                    Outstanding(
                        Kind.APPROVAL_DUE,
                        f"approval-due:{service_id}:{year.pk}",
                        service,
                        f"Service plan {year} to approve",
                        approve_by,
                        reverse("portal:plan-review", args=[submitted[-1]]),
                        service_people,
                        by_head=True,
                        detail="submitted, waiting for approval",
                    )
                )
    return items


def _attach_last_reminders(items: list[Outstanding]) -> None:
    """When each item was last reminded of (to anyone). One query, on these items' rows only
    (the about index), not on every reminder ever sent."""
    if not items:
        return
    last = dict(
        Notification.objects.filter(about__in={item.about for item in items})
        .values("about")
        .annotate(last=Max("created_at"))
        .values_list("about", "last")
    )
    for item in items:
        item.last_reminded = last.get(item.about)


# --- Telling people ---------------------------------------------------------------------------


def message_for(item: Outstanding, stage: str, today: datetime.date) -> Message:
    if stage == "due-soon":
        when = f"due by {item.due:%-d %B %Y}"
    elif stage == "due-today" or item.due >= today:
        when = "due today" if item.due == today else f"due by {item.due:%-d %B %Y}"
    else:
        late = item.working_days_late(today)
        when = f"{late} working day{'s' if late != 1 else ''} late (due {item.due:%-d %B %Y})"
    return Message(
        kind=item.kind,
        about=item.about,
        stage=stage,
        subject=f"{item.service}: {item.what} {when}",
        body=item.detail[:1].upper() + item.detail[1:] + "." if item.detail else "",
        url=item.url,
    )


def recipients_for(item: Outstanding, stage: str, admins: list) -> dict:
    """Who is told an item at a stage, and why: the people who do it, then (after the second
    overdue reminder) the head of service, then (after the third) the administrators."""
    position = [name for name, _ in STAGES].index(stage)
    service = item.service
    doing = (
        "approve"
        if item.kind == Kind.APPROVAL_DUE
        else ("sign off" if item.kind == Kind.SIGN_OFF_DUE else "do")
    )
    told = {}
    for user in item.responsible:
        if item.by_head or user is item.people.head and not item.people.editors:
            told[user] = f"You are head of service for {service}: you {doing} this."
        else:
            told[user] = f"You are an editor of {service}."
    if position >= _position(HEAD_FROM_STAGE) and item.people.head:
        told.setdefault(
            item.people.head,
            f"Escalated to you as head of service for {service}: two reminders have passed.",
        )
    if position >= _position(ADMINISTRATORS_FROM_STAGE):
        for admin in admins:
            told.setdefault(
                admin, "Escalated to the policy & performance team: three reminders have passed."
            )
    if not told:  # nobody answers for the service: the administrators chase it themselves
        for admin in admins:
            told[admin] = f"{service} has nobody to remind; you administer the service plans."
    return told


def _position(stage: str) -> int:
    return [name for name, _ in STAGES].index(stage)


@dataclass
class Run:
    """What a run of the job did (or, dry, would do)."""

    today: datetime.date
    items: list[Outstanding]
    messages: list[tuple[Message, object, str]]
    told: int = 0
    sent: int = 0
    failed: int = 0
    without_email: set = field(default_factory=set)


def send_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> Run:
    """The daily job: tell everyone what is due soon, due today or late for them (each stage
    once), then send what is waiting, digests included. A dry run says what it would tell and
    changes nothing."""
    today = today or timezone.localdate()
    items = outstanding(today)
    admins = administrators()
    messages = []
    for item in items:
        stage = stage_on(item.due, today)
        if stage is None:
            continue
        message = message_for(item, stage, today)
        messages.extend(
            (message, user, reason) for user, reason in recipients_for(item, stage, admins).items()
        )
    run = Run(today, items, messages)
    run.without_email = {user for _, user, _ in messages if not user.email}
    if dry_run:
        already = _already_told(messages)
        run.messages = [m for m in messages if (m[1].pk, m[0].about, m[0].stage) not in already]
        return run
    run.told = notify_many(messages, send=False)
    sent = delivery.send_pending(today)
    run.sent, run.failed = sent.sent, sent.failed
    return run


def remind_now(item: Outstanding, *, by, today: datetime.date, insist: bool = False) -> int:
    """The chasing page's "send a reminder now": tell the people who do it, by email at once
    (a "manual:" stage never waits for the digest). Once a day unless `insist`. Returns how
    many were told: 0 when they were already reminded today."""
    stage = f"manual:{today}" if not insist else f"manual:{timezone.now().isoformat()}"
    message = message_for(item, "due-today" if not item.is_late(today) else "overdue-1", today)
    message = Message(
        kind=message.kind,
        about=message.about,
        stage=stage,
        subject=message.subject,
        body=message.body,
        url=message.url,
    )
    who = by.get_full_name() or by.username
    people = item.responsible or ([item.people.head] if item.people.head else [])
    return notify_many([(message, user, f"{who} sent you this reminder.") for user in people])


def _already_told(messages) -> set:
    abouts = {message.about for message, _, _ in messages}
    return set(
        Notification.objects.filter(about__in=abouts).values_list("recipient_id", "about", "stage")
    )
