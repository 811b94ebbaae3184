"""What every budgets import shares: the result, the limits of its figures, the look-ups of
names and years, and the rule that nothing is counted twice. Cells are read with
spreadsheets.cells, problems collected with spreadsheets.problems, like every import."""

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from budgets.models import Budget, ReportingLine, ReportingLineService, Saving, Staffing
from organisation.models import FinancialYear, HeadOfService, Service
from spreadsheets import cells as cell
from spreadsheets.problems import Problems
from spreadsheets.results import ImportResult  # noqa: F401 (re-exported for the imports)

REPORTING_LINE_COLUMNS = ("reporting_line", "services")
BUDGET_COLUMNS = ("service", "year", "net_budget", "gross_expenditure", "income", "fte", "forecast")
SAVING_COLUMNS = ("service", "period", "amount", "description", "status")
BUDGET_RISK_COLUMNS = ("head_of_service", "year", "text")  # and optionally "title"

NAME_LIMIT = 120
DESCRIPTION_LIMIT = 300
TITLE_LIMIT = 200
MONEY_LIMIT = Decimal(10) ** 10  # max_digits 12, 2 decimal places
FTE_LIMIT = Decimal(100_000)  # max_digits 7, 2 decimal places

_SPAN_SEPARATOR = re.compile(r"\s*(?:-|–|—|\bto\b)\s*", re.IGNORECASE)

# Values in a cell: spreadsheets.cells reads them, with the budgets' limits and words.
SAVING_STATUS = cell.Vocabulary.of(Saving.Status, "status")


def money(text: str) -> Decimal | None:
    """A sum in £000 that may be negative (a net budget, a saving); "" -> None."""
    return cell.money(text, limit=MONEY_LIMIT)


def amount(text: str) -> Decimal | None:
    """A sum in £000 that cannot be negative (gross expenditure, income); "" -> None."""
    return cell.money(text, limit=MONEY_LIMIT, negative=False)


def fte(text: str) -> Decimal | None:
    """Full-time equivalent staff, written like a sum of money; "" -> None."""
    return cell.money(text, limit=FTE_LIMIT, negative=False)


# Names, years and the services a figure covers, loaded once per import.


@dataclass
class Lookups:
    years: dict[int, FinancialYear]  # by start year
    services: dict[str, Service]
    lines: dict[str, ReportingLine]
    heads: dict[str, HeadOfService]
    members: dict[int, set[int]]  # reporting line id -> service ids
    line_of: dict[int, int]  # service id -> reporting line id
    service_names: dict[int, str]

    @classmethod
    def load(cls) -> "Lookups":
        services = list(Service.objects.all())
        members: dict[int, set[int]] = defaultdict(set)
        line_of = {}
        for line_id, service_id in ReportingLineService.objects.values_list(
            "reporting_line_id", "service_id"
        ):
            members[line_id].add(service_id)
            line_of[service_id] = line_id
        return cls(
            years={year.start_year: year for year in FinancialYear.objects.all()},
            services={service.name.casefold(): service for service in services},
            lines={line.name.casefold(): line for line in ReportingLine.objects.all()},
            heads={head.name.casefold(): head for head in HeadOfService.objects.all()},
            members=members,
            line_of=line_of,
            service_names={service.pk: service.name for service in services},
        )

    def year(self, text: str) -> FinancialYear:
        """ "2012/13" (any spelling of cells.financial_year) -> the FinancialYear; only years
        an administrator has set up."""
        if not text.strip():
            raise ValueError("a financial year is required, like 2012/13.")
        year = self.years.get(_start_year(text))
        if year is not None:
            return year
        if cell.is_date(text):
            raise ValueError(
                f"{text!r} is a date: the spreadsheet turned the year into one. Format the "
                "column as Text and type the year like 2012/13."
            )
        known = sorted(self.years.values(), key=lambda y: y.start_year)
        set_up = f"{known[0]} to {known[-1]}" if known else "none yet"
        raise ValueError(
            f"{text!r} is not a financial year set up here; write it like 2012/13 "
            f"(years set up: {set_up})."
        )

    def period(self, text: str) -> tuple[FinancialYear, FinancialYear]:
        """ "2011/12" or "2008/09-2009/10" -> (first year, last year)."""
        if not text.strip():
            raise ValueError("a period is required, like 2011/12 or 2008/09-2009/10.")
        year = self.years.get(_start_year(text))
        if year is not None:
            return year, year
        span = cell.year_span(text)
        if span is None:
            if not _SPAN_SEPARATOR.search(text.strip()) or cell.is_date(text):
                self.year(text)  # not a year set up here, or a date: its message says which
            raise ValueError(
                f"{text!r} is not a period; write a financial year like 2011/12 or a span "
                "like 2008/09-2009/10."
            )
        first, last = (self.year(part) for part in span)
        if last.start_year < first.start_year:
            raise ValueError(
                f"{text!r} ends before it starts; write the earlier year first ({last}-{first})."
            )
        return first, last

    def holder(self, text: str) -> Service | ReportingLine:
        name = text.strip()
        if not name:
            raise ValueError("a service (or reporting line) is required.")
        found = self.services.get(name.casefold()) or self.lines.get(name.casefold())
        if found is None:
            raise ValueError(
                f"no service or reporting line is called {name!r}."
                + suggestion(name, [*self.services.values(), *self.lines.values()])
            )
        return found

    def head(self, text: str) -> HeadOfService:
        name = text.strip()
        if not name:
            raise ValueError("a head of service is required.")
        head = self.heads.get(name.casefold())
        if head is None:
            raise ValueError(
                f"no head of service is called {name!r}." + suggestion(name, self.heads.values())
            )
        return head

    def covers(self, key: "HolderKey") -> set[int]:
        kind, pk = key
        return {pk} if kind == "service" else self.members.get(pk, set())

    def name_of(self, key: "HolderKey") -> str:
        kind, pk = key
        if kind == "service":
            return self.service_names.get(pk, "a service")
        return next((line.name for line in self.lines.values() if line.pk == pk), "a line")


HolderKey = tuple[str, int]  # ("service", id) or ("line", id)


def holder_key(holder: Service | ReportingLine) -> HolderKey:
    return ("line" if isinstance(holder, ReportingLine) else "service", holder.pk)


def key_of(figure: Budget | Staffing | Saving) -> HolderKey:
    if figure.service_id is not None:
        return ("service", figure.service_id)
    return ("line", figure.reporting_line_id)


def holder_fields(holder: Service | ReportingLine) -> dict:
    if isinstance(holder, ReportingLine):
        return {"service": None, "reporting_line": holder}
    return {"service": holder, "reporting_line": None}


def _start_year(text: str) -> int | None:
    try:
        return cell.financial_year(text)
    except ValueError:
        return None


def suggestion(name: str, candidates: Iterable) -> str:
    names = {str(candidate).casefold(): str(candidate) for candidate in candidates}
    close = difflib.get_close_matches(name.casefold(), names, n=1, cutoff=0.6)
    if not close:
        # "IT" for "IT Services": a name that starts the way the record's name does.
        close = [key for key in names if key.startswith(name.casefold() + " ")][:1]
    return f" Did you mean {names[close[0]]!r}?" if close else ""


# Counted once (see budgets.services): the rules, for figures already recorded and in the file.


@dataclass(frozen=True)
class Claim:
    """A figure's claim on some services for some years."""

    key: HolderKey
    first_year: int
    last_year: int
    row: int | None  # the file's row, or None for a figure already recorded
    what: str = ""

    def where(self) -> str:
        return f"row {self.row}" if self.row else "already recorded"


def budget_clash(one: Claim, other: Claim) -> bool:
    return one.first_year == other.first_year and one.key != other.key


def saving_clash(one: Claim, other: Claim) -> bool:
    different_span = (one.first_year, one.last_year) != (other.first_year, other.last_year)
    shares_a_year = one.first_year <= other.last_year and other.first_year <= one.last_year
    return different_span and shares_a_year


def clashes(claims: list[Claim], covers, clash) -> dict[Claim, Claim]:
    """For each claim from the file, the first other claim on the same services it clashes
    with. Claims are compared only where their services meet, so this stays cheap."""
    by_service: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        for service_id in covers(claim.key):
            by_service[service_id].append(claim)
    found: dict[Claim, Claim] = {}
    for claim in claims:
        if claim.row is None:
            continue
        for service_id in sorted(covers(claim.key)):
            other = next(
                (
                    other
                    for other in by_service[service_id]
                    if other is not claim and clash(claim, other) and _before(other, claim)
                ),
                None,
            )
            if other is not None:
                found[claim] = other
                break
    return found


def _before(other: Claim, claim: Claim) -> bool:
    """Name each clash once, on the later of two rows; figures already recorded come first."""
    return other.row is None or other.row < claim.row


def upsert(model, instance, identity: dict, values: dict, result: ImportResult) -> None:
    kind = model._meta.verbose_name_plural
    if instance is None:
        model.objects.create(**identity, **values)
        result.created[kind] += 1
        return
    stale = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if stale:
        result.note_changes(kind, instance, stale, instance)
        for name, value in stale.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(stale))
        result.changed[kind] += 1


class NoneOrSome:
    """A row that says there are none for a group (a service and period, a head of service and
    year) must not stand beside a row that gives one; reported on the second of the two."""

    def __init__(self, column: str):
        self.column = column
        self.none_rows: dict[tuple, int] = {}
        self.some_rows: dict[tuple, int] = {}

    def check(self, problems: Problems, number: int, group: tuple, *, says_none: bool) -> None:
        mine, others = (
            (self.none_rows, self.some_rows) if says_none else (self.some_rows, self.none_rows)
        )
        if group in others:
            none_row, other_row = (number, others[group]) if says_none else (others[group], number)
            problems.add(
                number,
                self.column,
                f"row {none_row} is blank, saying there are none for this period, but row "
                f"{other_row} gives one; remove one of the two rows.",
            )
        mine.setdefault(group, number)


def span_label(claim: Claim) -> str:
    first = FinancialYear(start_year=claim.first_year).label
    if claim.first_year == claim.last_year:
        return first
    return f"{first} to {FinancialYear(start_year=claim.last_year).label}"


def counted_twice(figure: Budget | Staffing | Saving) -> str | None:
    """For a figure entered by hand (the admin): why it would be counted twice, or None.

    The same rule as the imports: a service's budget or staffing for a year is its own or its
    reporting line's, and its savings for a year are in one span of years or on their own.
    """
    model = type(figure)
    if figure.service_id is None and figure.reporting_line_id is None:
        return None
    if figure.service_id is not None:
        services = {figure.service_id}
    else:
        services = set(
            ReportingLineService.objects.filter(
                reporting_line_id=figure.reporting_line_id
            ).values_list("service_id", flat=True)
        )
    lines = set(
        ReportingLineService.objects.filter(service_id__in=services).values_list(
            "reporting_line_id", flat=True
        )
    )
    others = model.objects.filter(Q(service_id__in=services) | Q(reporting_line_id__in=lines))
    if figure.pk:
        others = others.exclude(pk=figure.pk)
    if model is Saving:
        first, last = figure.first_year_id, figure.last_year_id
        clash = (
            others.filter(first_year_id__lte=last, last_year_id__gte=first)
            .exclude(first_year_id=first, last_year_id=last)
            .select_related("service", "reporting_line")
            .first()
        )
        if clash:
            return (
                f"{clash.holder} already has a saving for {clash.period_label} "
                f"({clash.description!r}) that shares a year with this one; a service's savings "
                "for a year are either part of one span of years or on their own."
            )
        return None
    clash = (
        others.filter(year_id=figure.year_id)
        .exclude(service_id=figure.service_id, reporting_line_id=figure.reporting_line_id)
        .select_related("service", "reporting_line", "year")
        .first()
    )
    if clash:
        what = model._meta.verbose_name
        return (
            f"{clash.holder} already has a {what} for {clash.year} that covers the same "
            f"service; a service's {what} is recorded on the service or on its reporting line, "
            "not both."
        )
    return None
