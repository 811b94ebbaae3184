"""The reads of the chasing page: its rows, groups and counts.

The page starts from reminders.outstanding() (everything late or due soon for the user's
services) and only sorts, filters and counts it here: no query of its own, so the page costs
the same however many items, services and people there are.
"""

import datetime
from dataclasses import dataclass, field

from notifications.models import Kind
from notifications.reminders import Outstanding
from organisation.models import HeadOfService, Service

# What is chased, in the order the counts show it, with the counts' names.
CHASED_KINDS = {
    Kind.FIGURES_DUE: "Figures",
    Kind.PROGRESS_DUE: "Progress updates",
    Kind.PLAN_DUE: "Plans to submit",
    Kind.APPROVAL_DUE: "Plans to approve",
    Kind.SIGN_OFF_DUE: "Sign-offs",
}
NO_HEAD = "none"  # the head-of-service filter's value for services without one


@dataclass(frozen=True)
class Filters:
    """What the page shows: late items only unless `due_soon`, narrowed by the rest when set."""

    kind: str = ""
    head: str = ""  # a HeadOfService pk, or NO_HEAD
    service: int | None = None
    person: int | None = None
    due_soon: bool = False


@dataclass(frozen=True)
class Row:
    """One outstanding item as the page (and its CSV) shows it."""

    item: Outstanding
    today: datetime.date

    @property
    def service(self) -> Service:
        # people_of_services() fetched the service with its head of service.
        return self.item.people.service

    @property
    def head_of_service(self) -> HeadOfService | None:
        return self.service.head_of_service

    @property
    def is_late(self) -> bool:
        return self.item.is_late(self.today)

    @property
    def working_days_late(self) -> int:
        """Working days late; 0 when not late yet."""
        return max(self.item.working_days_late(self.today), 0) if self.is_late else 0

    @property
    def working_days_to_go(self) -> int:
        return max(-self.item.working_days_late(self.today), 0)

    @property
    def people(self) -> list:
        return self.item.responsible

    @property
    def anchor(self) -> str:
        """The row's HTML id, for coming back to it after sending a reminder."""
        return "item-" + self.item.about.replace(":", "-")


@dataclass
class ServiceGroup:
    service: Service
    rows: list[Row] = field(default_factory=list)


@dataclass
class HeadGroup:
    head: HeadOfService | None
    services: list[ServiceGroup] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.services)


@dataclass(frozen=True)
class Counts:
    """What is late among the rows shown: items by kind, and the services and people late."""

    by_kind: list[tuple[str, int]]
    late: int
    services: int
    people: int


@dataclass(frozen=True)
class Chase:
    rows: list[Row]
    groups: list[HeadGroup]
    counts: Counts


def person_name(user) -> str:
    return user.get_full_name() or user.username


def chase(items: list[Outstanding], *, today: datetime.date, filters: Filters) -> Chase:
    """The rows the page shows, grouped by head of service then service, and their counts."""
    rows = [Row(item, today) for item in items if item.kind in CHASED_KINDS]
    rows = [row for row in rows if _matches(row, filters)]
    rows.sort(key=_order)
    return Chase(rows, _grouped(rows), _counts(rows))


def _matches(row: Row, filters: Filters) -> bool:
    if not filters.due_soon and not row.is_late:
        return False
    if filters.kind and row.item.kind != filters.kind:
        return False
    if filters.head:
        head = row.head_of_service
        if (str(head.pk) if head else NO_HEAD) != filters.head:
            return False
    if filters.service is not None and row.service.pk != filters.service:
        return False
    return filters.person is None or filters.person in {person.pk for person in row.people}


def _order(row: Row):
    head = row.head_of_service
    return (
        head is None,
        head.name if head else "",
        row.service.name,
        row.service.pk,
        row.item.due,
        row.item.what,
    )


def _grouped(rows: list[Row]) -> list[HeadGroup]:
    groups: list[HeadGroup] = []
    for row in rows:  # already in order of head, then service
        head = row.head_of_service
        if not groups or groups[-1].head != head:
            groups.append(HeadGroup(head))
        services = groups[-1].services
        if not services or services[-1].service.pk != row.service.pk:
            services.append(ServiceGroup(row.service))
        services[-1].rows.append(row)
    return groups


def _counts(rows: list[Row]) -> Counts:
    late = [row for row in rows if row.is_late]
    return Counts(
        by_kind=[
            (label, sum(row.item.kind == kind for row in late))
            for kind, label in CHASED_KINDS.items()
        ],
        late=len(late),
        services=len({row.service.pk for row in late}),
        people=len({person.pk for row in late for person in row.people}),
    )


def filter_choices(items: list[Outstanding]) -> dict[str, list[tuple[str, str]]]:
    """The filters' options: the heads of service, services and people of these items."""
    heads, services, people = {}, {}, {}
    for item in items:
        service = item.people.service
        head = service.head_of_service
        heads[str(head.pk) if head else NO_HEAD] = str(head) if head else "No head of service"
        services[str(service.pk)] = service.name
        for person in item.responsible:
            people[str(person.pk)] = person_name(person)

    def by_label(options: dict) -> list[tuple[str, str]]:
        return sorted(options.items(), key=lambda option: (option[1].casefold(), option[0]))

    return {"head": by_label(heads), "service": by_label(services), "person": by_label(people)}
