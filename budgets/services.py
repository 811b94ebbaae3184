"""Writes to budgets: the imports of reporting lines, budgets and staffing, savings and budget
risks. The management commands and the web upload screens both call these functions.

Every import works like the structure import: the whole file is read and checked first, every
problem is collected with its spreadsheet row (the header is row 1) and column, and a file with
any problem is refused whole (ImportRejected) with nothing written. A good file is written in
one transaction. Importing the same file again changes nothing and says so.

What each file is the truth for:
- reporting lines: the services of each line it names; other lines are left alone.
- budgets: for each service (or line) and year it names, the budget when net_budget is given
  (gross_expenditure, income and forecast are set from the same row, blanks clear them) and the
  staffing when fte is given. A blank net_budget or fte leaves that figure as it is.
- savings: for each service (or line) and period it names, the complete list of savings. A
  saving already recorded for that service and period but missing from the file is removed; a
  saving with the same description is updated. Other periods are left alone. A row with only
  the service and the period (amount, description and status blank) says there are no savings
  for that period, and removes any recorded.
- budget risks: for each head of service and year it names, the complete list of risks, in the
  file's order. A row with the text left blank says there are none, and removes any recorded.

Nothing may be counted twice in a head of service's totals:
- a service's budget (and staffing) for a year is either its own or part of its reporting
  line's, never both;
- a service's savings for a year are either in one span of years or on their own. Savings for
  exactly the same period may be several (different initiatives), but a saving for 2009/10
  beside one for 2008/09 to 2009/10, or spans 2008/09-2009/10 and 2009/10-2010/11, would count
  2009/10 twice (the span is the total for its years) and cannot be placed in one column of the
  savings table, so the import refuses them. The same applies between a reporting line and its
  services.
"""

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from budgets.models import (
    Budget,
    BudgetRisk,
    ReportingLine,
    ReportingLineService,
    Saving,
    Staffing,
)
from plans.models import FinancialYear, HeadOfService, Service
from spreadsheets.reader import ImportRejected, RowError, read_table

REPORTING_LINE_COLUMNS = ("reporting_line", "services")
BUDGET_COLUMNS = ("service", "year", "net_budget", "gross_expenditure", "income", "fte", "forecast")
SAVING_COLUMNS = ("service", "period", "amount", "description", "status")
BUDGET_RISK_COLUMNS = ("head_of_service", "year", "text")  # and optionally "title"

NAME_LIMIT = 120
DESCRIPTION_LIMIT = 300
TITLE_LIMIT = 200
MONEY_PLACES = 2
MONEY_LIMIT = Decimal(10) ** 10  # max_digits 12, 2 decimal places
FTE_LIMIT = Decimal(100_000)  # max_digits 7, 2 decimal places

TRUE_WORDS = {"yes", "y", "true", "1", "forecast"}
FALSE_WORDS = {"", "no", "n", "false", "0"}

_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T.*)?")
_SPAN_SEPARATOR = re.compile(r"\s*(?:-|–|—|\bto\b)\s*", re.IGNORECASE)


@dataclass
class ImportResult:
    rows: int = 0
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed_anything(self) -> bool:
        return any((self.created, self.changed, self.removed))

    def describe(self) -> str:
        if not self.changed_anything:
            return f"{self.rows} rows read; nothing changed."
        parts = [f"{n} {kind} created" for kind, n in sorted(self.created.items())]
        parts += [f"{n} {kind} updated" for kind, n in sorted(self.changed.items())]
        parts += [f"{n} {kind} removed" for kind, n in sorted(self.removed.items())]
        return f"{self.rows} rows read; " + ", ".join(parts) + "."


# ---------------------------------------------------------------------------------------------
# Values in a cell. Each parser returns the value or raises ValueError with the message to show.


def parse_money(
    text: str, *, limit: Decimal = MONEY_LIMIT, negative: bool = True
) -> Decimal | None:
    """ "3,662", "-1,711", "(1,711)" or "0.9" (£000) -> Decimal; "" -> None."""
    text = text.strip().replace("−", "-")
    if not text:
        return None
    if "£" in text:
        raise ValueError(f"{text!r}: leave out the £ sign; figures are in £000 (write 3662).")
    number = text
    if text.startswith("(") and text.endswith(")"):  # accountants' brackets for a negative
        number = "-" + text[1:-1].strip()
    if not _NUMBER.fullmatch(number):
        raise ValueError(f"{text!r} is not a number; write figures like 1711, 3,662 or -1,711.")
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{text!r} is not a number.") from error
    if value.as_tuple().exponent < -MONEY_PLACES:
        raise ValueError(f"{text!r} has more than {MONEY_PLACES} decimal places.")
    if abs(value) >= limit:
        raise ValueError(f"{text!r} is too large.")
    if value < 0 and not negative:
        raise ValueError(f"{text!r} cannot be negative.")
    return value


def parse_flag(text: str) -> bool:
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{text!r} is not yes or no.")


def parse_status(text: str) -> str:
    """ "Achieved", "at risk", "AT_RISK", "not-achieved" -> Saving.Status."""
    key = re.sub(r"[\s_-]+", "_", text.strip().casefold())
    for status in Saving.Status:
        if key in (status.value, status.label.casefold().replace(" ", "_")):
            return status.value
    allowed = ", ".join(status.label.lower() for status in Saving.Status)
    raise ValueError(f"{text!r} is not a status; use one of: {allowed}.")


# ---------------------------------------------------------------------------------------------
# Names, years and the services a figure covers, loaded once per import.


@dataclass
class _Lookups:
    years: dict[str, FinancialYear]
    services: dict[str, Service]
    lines: dict[str, ReportingLine]
    heads: dict[str, HeadOfService]
    members: dict[int, set[int]]  # reporting line id -> service ids
    line_of: dict[int, int]  # service id -> reporting line id
    service_names: dict[int, str]

    @classmethod
    def load(cls) -> "_Lookups":
        services = list(Service.objects.all())
        members: dict[int, set[int]] = defaultdict(set)
        line_of = {}
        for line_id, service_id in ReportingLineService.objects.values_list(
            "reporting_line_id", "service_id"
        ):
            members[line_id].add(service_id)
            line_of[service_id] = line_id
        return cls(
            years={_year_key(year.label): year for year in FinancialYear.objects.all()},
            services={service.name.casefold(): service for service in services},
            lines={line.name.casefold(): line for line in ReportingLine.objects.all()},
            heads={head.name.casefold(): head for head in HeadOfService.objects.all()},
            members=members,
            line_of=line_of,
            service_names={service.pk: service.name for service in services},
        )

    def year(self, text: str) -> FinancialYear:
        """ "2012/13" -> the FinancialYear; only years an administrator has set up."""
        if not text.strip():
            raise ValueError("a financial year is required, like 2012/13.")
        year = self.years.get(_year_key(text))
        if year is not None:
            return year
        if _ISO_DATE.fullmatch(text.strip()):
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
        if _year_key(text) in self.years:
            year = self.years[_year_key(text)]
            return year, year
        parts = _SPAN_SEPARATOR.split(text.strip())
        if len(parts) == 1 or _ISO_DATE.fullmatch(text.strip()):
            self.year(text)  # not a year set up here, or a date: its message says which
        if len(parts) != 2 or not all(parts):
            raise ValueError(
                f"{text!r} is not a period; write a financial year like 2011/12 or a span "
                "like 2008/09-2009/10."
            )
        first, last = (self._span_end(part, text) for part in parts)
        if last.start_year < first.start_year:
            raise ValueError(
                f"{text!r} ends before it starts; write the earlier year first ({last}-{first})."
            )
        return first, last

    def _span_end(self, part: str, text: str) -> FinancialYear:
        try:
            return self.year(part)
        except ValueError:
            if "/" in part:  # a year, but not one set up here: that message says more
                raise
            raise ValueError(
                f"{text!r} is not a period; write a financial year like 2011/12 or a span "
                "like 2008/09-2009/10."
            ) from None

    def holder(self, text: str) -> Service | ReportingLine:
        name = text.strip()
        if not name:
            raise ValueError("a service (or reporting line) is required.")
        found = self.services.get(name.casefold()) or self.lines.get(name.casefold())
        if found is None:
            raise ValueError(
                f"no service or reporting line is called {name!r}."
                + _suggestion(name, [*self.services.values(), *self.lines.values()])
            )
        return found

    def head(self, text: str) -> HeadOfService:
        name = text.strip()
        if not name:
            raise ValueError("a head of service is required.")
        head = self.heads.get(name.casefold())
        if head is None:
            raise ValueError(
                f"no head of service is called {name!r}." + _suggestion(name, self.heads.values())
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


def _key(holder: Service | ReportingLine) -> HolderKey:
    return ("line" if isinstance(holder, ReportingLine) else "service", holder.pk)


def _key_of(figure: Budget | Staffing | Saving) -> HolderKey:
    if figure.service_id is not None:
        return ("service", figure.service_id)
    return ("line", figure.reporting_line_id)


def _holder_fields(holder: Service | ReportingLine) -> dict:
    if isinstance(holder, ReportingLine):
        return {"service": None, "reporting_line": holder}
    return {"service": holder, "reporting_line": None}


def _year_key(text: str) -> str:
    return "".join(text.split()).casefold()


def _suggestion(name: str, candidates: Iterable) -> str:
    names = {str(candidate).casefold(): str(candidate) for candidate in candidates}
    close = difflib.get_close_matches(name.casefold(), names, n=1, cutoff=0.6)
    if not close:
        # "IT" for "IT Services": a name that starts the way the record's name does.
        close = [key for key in names if key.startswith(name.casefold() + " ")][:1]
    return f" Did you mean {names[close[0]]!r}?" if close else ""


def _check(errors: list[RowError], row: int, column: str, parse, *args):
    """Run a parser; on ValueError record the error for the row and column and return None."""
    try:
        return parse(*args)
    except ValueError as error:
        errors.append(RowError(row, column, str(error)))
        return None


def _read(content: bytes, filename: str, columns: Iterable[str]):
    return read_table(
        content, filename=filename, required=tuple(columns), max_bytes=settings.IMPORT_MAX_BYTES
    )


# ---------------------------------------------------------------------------------------------
# Counted once: the rules above, for figures already recorded and figures in the file.


@dataclass(frozen=True)
class _Claim:
    """A figure's claim on some services for some years."""

    key: HolderKey
    first_year: int
    last_year: int
    row: int | None  # the file's row, or None for a figure already recorded
    what: str = ""

    def where(self) -> str:
        return f"row {self.row}" if self.row else "already recorded"


def _budget_clash(one: _Claim, other: _Claim) -> bool:
    return one.first_year == other.first_year and one.key != other.key


def _saving_clash(one: _Claim, other: _Claim) -> bool:
    different_span = (one.first_year, one.last_year) != (other.first_year, other.last_year)
    shares_a_year = one.first_year <= other.last_year and other.first_year <= one.last_year
    return different_span and shares_a_year


def _clashes(claims: list[_Claim], covers, clash) -> dict[_Claim, _Claim]:
    """For each claim from the file, the first other claim on the same services it clashes
    with. Claims are compared only where their services meet, so this stays cheap."""
    by_service: dict[int, list[_Claim]] = defaultdict(list)
    for claim in claims:
        for service_id in covers(claim.key):
            by_service[service_id].append(claim)
    found: dict[_Claim, _Claim] = {}
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


def _before(other: _Claim, claim: _Claim) -> bool:
    """Name each clash once, on the later of two rows; figures already recorded come first."""
    return other.row is None or other.row < claim.row


# ---------------------------------------------------------------------------------------------
# Reporting lines: columns reporting_line, services ("Private Housing; Social Housing").


@dataclass(frozen=True)
class _LineRow:
    row: int
    name: str
    services: tuple[Service, ...]


def import_reporting_lines(*, content: bytes, filename: str) -> ImportResult:
    """Create or update reporting lines: services the finance team reports as one line."""
    table = _read(content, filename, REPORTING_LINE_COLUMNS)
    with transaction.atomic():
        lookups = _Lookups.load()
        rows = _validate_lines(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_lines(rows, result)
    return result


def _validate_lines(raw_rows, lookups: _Lookups) -> list[_LineRow]:
    errors: list[RowError] = []
    rows: list[_LineRow] = []
    seen_names: dict[str, int] = {}
    seen_services: dict[int, int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        name = cells["reporting_line"]
        if not name:
            row_errors.append(RowError(number, "reporting_line", "a name is required."))
        elif len(name) > NAME_LIMIT:
            row_errors.append(
                RowError(number, "reporting_line", f"longer than {NAME_LIMIT} characters.")
            )
        elif name.casefold() in lookups.services:
            row_errors.append(
                RowError(
                    number,
                    "reporting_line",
                    f"{name!r} is the name of a service; a reporting line needs its own name.",
                )
            )
        elif name.casefold() in seen_names:
            errors.append(
                RowError(
                    number, "reporting_line", f"already given on row {seen_names[name.casefold()]}."
                )
            )
            continue  # its services would only repeat the first row's problems
        seen_names.setdefault(name.casefold(), number)
        services = []
        for part in filter(None, (part.strip() for part in cells["services"].split(";"))):
            service = lookups.services.get(part.casefold())
            if service is None:
                row_errors.append(
                    RowError(
                        number,
                        "services",
                        f"no service is called {part!r}."
                        + _suggestion(part, lookups.services.values()),
                    )
                )
            elif service in services:
                row_errors.append(RowError(number, "services", f"{part!r} is listed twice."))
            else:
                services.append(service)
        if len(services) < 2 and not any(e.column == "services" for e in row_errors):
            row_errors.append(
                RowError(
                    number,
                    "services",
                    "a reporting line covers two or more services, separated by ';'. "
                    "A single service's figures are recorded on the service.",
                )
            )
        heads = {service.head_of_service_id for service in services}
        if len(heads) > 1:
            row_errors.append(
                RowError(
                    number,
                    "services",
                    "the services belong to different heads of service; a reporting line is a "
                    "row of one head of service's tables.",
                )
            )
        for service in services:
            if service.pk in seen_services:
                row_errors.append(
                    RowError(
                        number,
                        "services",
                        f"{service.name!r} is already in the line on row "
                        f"{seen_services[service.pk]}; a service is in one line at most.",
                    )
                )
            seen_services.setdefault(service.pk, number)
        errors += row_errors
        if not row_errors:
            rows.append(_LineRow(number, name, tuple(services)))
    # Checked on the good rows even when others are bad, so that every problem is listed at once.
    errors += _line_membership_problems(rows, lookups)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "the file has a header but no reporting lines.")])
    return rows


def _line_membership_problems(rows: list[_LineRow], lookups: _Lookups) -> list[RowError]:
    """With the new memberships, a service must still be in one line at most, and no budget,
    staffing or saving already recorded may come to be counted twice."""
    row_of_line: dict[int, int] = {}  # line id (or -row for a new line) -> its row in the file
    members: dict[int, set[int]] = {}
    for row in rows:
        line = lookups.lines.get(row.name.casefold())
        line_id = line.pk if line else -row.row
        row_of_line[line_id] = row.row
        members[line_id] = {service.pk for service in row.services}
    errors = []
    # Lines the file leaves alone keep their services.
    owner = {
        service_id: line_id
        for line_id, service_ids in lookups.members.items()
        if line_id not in row_of_line
        for service_id in service_ids
    }
    for line_id, service_ids in members.items():
        for service_id in sorted(service_ids & owner.keys()):
            errors.append(
                RowError(
                    row_of_line[line_id],
                    "services",
                    f"{lookups.service_names[service_id]!r} is already in the reporting line "
                    f"{lookups.name_of(('line', owner[service_id]))!r}; a service is in one "
                    "line at most.",
                )
            )
    if errors:
        return errors

    def covers(key: HolderKey) -> set[int]:
        kind, pk = key
        return {pk} if kind == "service" else members.get(pk, set())

    services = set().union(*members.values())
    holders = Q(service_id__in=services) | Q(reporting_line_id__in=list(row_of_line))
    checks = [
        (Budget.objects.select_related("year"), "a budget", _year_span),
        (Staffing.objects.select_related("year"), "staffing", _year_span),
        (Saving.objects.all(), "savings", lambda f: (f.first_year_id, f.last_year_id)),
    ]
    for figures, what, span in checks:
        clash = _saving_clash if figures.model is Saving else _budget_clash
        claims = []
        for figure in figures.filter(holders):
            key = _key_of(figure)
            # A line's figure is checked as if it came from the line's row in the file.
            row = row_of_line.get(key[1]) if key[0] == "line" else None
            claims.append(_Claim(key, *span(figure), row=row))
        reported: set[int] = set()
        for claim, other in _clashes(claims, covers, clash).items():
            if claim.row in reported:
                continue
            reported.add(claim.row)
            shared = sorted(lookups.service_names[s] for s in covers(claim.key) & covers(other.key))
            errors.append(
                RowError(
                    claim.row,
                    "services",
                    f"{shared[0]!r} has {what} of its own for {_span_label(other)} that the "
                    f"line's figures for {_span_label(claim)} would count again. Remove one of "
                    "them first.",
                )
            )
    return errors


def _year_span(figure: Budget | Staffing) -> tuple[int, int]:
    return figure.year.start_year, figure.year.start_year


def _write_lines(rows: list[_LineRow], result: ImportResult) -> None:
    kind = ReportingLine._meta.verbose_name_plural
    member_kind = ReportingLineService._meta.verbose_name_plural
    additions = []
    # Every membership the file ends is removed before any is added, so that a service can
    # move from one line to another in the same file (a service is in one line at most).
    for row in rows:
        head = row.services[0].head_of_service
        line = ReportingLine.objects.filter(name__iexact=row.name).first()
        if line is None:
            line = ReportingLine.objects.create(name=row.name, head_of_service=head)
            result.created[kind] += 1
        elif line.head_of_service_id != head.pk or line.name != row.name:
            line.head_of_service, line.name = head, row.name
            line.save(update_fields=["head_of_service", "name"])
            result.changed[kind] += 1
        wanted = {service.pk for service in row.services}
        existing = set(line.memberships.values_list("service_id", flat=True))
        if existing - wanted:
            line.memberships.filter(service_id__in=existing - wanted).delete()
            result.removed[member_kind] += len(existing - wanted)
        additions += [
            ReportingLineService(reporting_line=line, service_id=service_id)
            for service_id in sorted(wanted - existing)
        ]
    if additions:
        ReportingLineService.objects.bulk_create(additions)
        result.created[member_kind] += len(additions)


# ---------------------------------------------------------------------------------------------
# Budgets and staffing: columns service, year, net_budget, gross_expenditure, income, fte,
# forecast.


@dataclass(frozen=True)
class _BudgetRow:
    row: int
    holder: Service | ReportingLine
    year: FinancialYear
    net_budget: Decimal | None
    gross_expenditure: Decimal | None
    income: Decimal | None
    is_forecast: bool
    fte: Decimal | None


def import_budgets(*, content: bytes, filename: str) -> ImportResult:
    """Create or update net budgets (£000) and staffing (FTE) per service and year."""
    table = _read(content, filename, BUDGET_COLUMNS)
    with transaction.atomic():
        lookups = _Lookups.load()
        rows = _validate_budgets(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_budgets(rows, result)
    return result


def _validate_budgets(raw_rows, lookups: _Lookups) -> list[_BudgetRow]:
    errors: list[RowError] = []
    rows: list[_BudgetRow] = []
    seen: dict[tuple[HolderKey, int], int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        holder = _check(row_errors, number, "service", lookups.holder, cells["service"])
        year = _check(row_errors, number, "year", lookups.year, cells["year"])
        net = _check(row_errors, number, "net_budget", parse_money, cells["net_budget"])
        gross = _check(
            row_errors,
            number,
            "gross_expenditure",
            lambda text: parse_money(text, negative=False),
            cells["gross_expenditure"],
        )
        income = _check(
            row_errors,
            number,
            "income",
            lambda text: parse_money(text, negative=False),
            cells["income"],
        )
        fte = _check(
            row_errors,
            number,
            "fte",
            lambda text: parse_money(text, limit=FTE_LIMIT, negative=False),
            cells["fte"],
        )
        is_forecast = _check(row_errors, number, "forecast", parse_flag, cells["forecast"])
        if not row_errors:
            row_errors += _budget_row_sense(number, cells, net, gross, income, fte, is_forecast)
        if holder is not None and year is not None:
            key = (_key(holder), year.start_year)
            if key in seen:
                row_errors.append(
                    RowError(
                        number,
                        "service",
                        f"{holder.name!r} for {year} is already given on row {seen[key]}.",
                    )
                )
            seen.setdefault(key, number)
        errors += row_errors
        if not row_errors:
            rows.append(
                _BudgetRow(number, holder, year, net, gross, income, bool(is_forecast), fte)
            )
    errors += _budget_double_counts(rows, lookups)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "the file has a header but no budgets.")])
    return rows


def _budget_row_sense(number, cells, net, gross, income, fte, is_forecast) -> list[RowError]:
    errors = []
    if net is None:
        for column, value in (("gross_expenditure", gross), ("income", income)):
            if value is not None:
                errors.append(RowError(number, column, "given without a net_budget."))
        if is_forecast:
            errors.append(RowError(number, "forecast", "given without a net_budget."))
        if fte is None and not errors:
            errors.append(
                RowError(number, "net_budget", "the row has no net_budget and no fte; give one.")
            )
    elif gross is not None and income is not None and gross - income != net:
        errors.append(
            RowError(
                number,
                "net_budget",
                f"{cells['net_budget']} is not gross_expenditure less income "
                f"({gross} - {income} = {gross - income}).",
            )
        )
    return errors


def _budget_double_counts(rows: list[_BudgetRow], lookups: _Lookups) -> list[RowError]:
    errors = []
    years = {row.year.pk for row in rows}
    for model, what, attribute in ((Budget, "budget", "net_budget"), (Staffing, "staffing", "fte")):
        in_file = [row for row in rows if getattr(row, attribute) is not None]
        replaced = {(_key(row.holder), row.year.start_year) for row in in_file}
        claims = [
            _Claim(_key(row.holder), row.year.start_year, row.year.start_year, row.row)
            for row in in_file
        ]
        for figure in model.objects.filter(year_id__in=years).select_related("year"):
            key = (_key_of(figure), figure.year.start_year)
            if key not in replaced:
                claims.append(_Claim(key[0], key[1], key[1], row=None))
        for claim, other in _clashes(claims, lookups.covers, _budget_clash).items():
            shared = sorted(
                lookups.service_names[s]
                for s in lookups.covers(claim.key) & lookups.covers(other.key)
            )
            year = FinancialYear(start_year=claim.first_year).label
            errors.append(
                RowError(
                    claim.row,
                    "service",
                    f"the {year} {what} of {shared[0]!r} would be counted twice: "
                    f"{lookups.name_of(other.key)!r} has one covering it too ({other.where()}). "
                    f"A service's {what} is recorded on the service or on its reporting line, "
                    "not both.",
                )
            )
    return errors


def _write_budgets(rows: list[_BudgetRow], result: ImportResult) -> None:
    years = {row.year.pk for row in rows}
    budgets = {
        (_key_of(budget), budget.year_id): budget
        for budget in Budget.objects.filter(year_id__in=years)
    }
    staffing = {
        (_key_of(item), item.year_id): item for item in Staffing.objects.filter(year_id__in=years)
    }
    for row in rows:
        key = (_key(row.holder), row.year.pk)
        if row.net_budget is not None:
            _upsert(
                Budget,
                budgets.get(key),
                {**_holder_fields(row.holder), "year": row.year},
                {
                    "net_budget": row.net_budget,
                    "gross_expenditure": row.gross_expenditure,
                    "income": row.income,
                    "is_forecast": row.is_forecast,
                },
                result,
            )
        if row.fte is not None:
            _upsert(
                Staffing,
                staffing.get(key),
                {**_holder_fields(row.holder), "year": row.year},
                {"fte": row.fte},
                result,
            )


def _upsert(model, instance, identity: dict, values: dict, result: ImportResult) -> None:
    kind = model._meta.verbose_name_plural
    if instance is None:
        model.objects.create(**identity, **values)
        result.created[kind] += 1
        return
    stale = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if stale:
        for name, value in stale.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(stale))
        result.changed[kind] += 1


# ---------------------------------------------------------------------------------------------
# Savings: columns service, period, amount, description, status.


@dataclass(frozen=True)
class _SavingRow:
    row: int
    holder: Service | ReportingLine
    first_year: FinancialYear
    last_year: FinancialYear
    amount: Decimal | None  # None (with no description) says there are no savings for the period
    description: str
    status: str

    @property
    def group(self) -> tuple[HolderKey, int, int]:
        return (_key(self.holder), self.first_year.start_year, self.last_year.start_year)

    @property
    def says_none(self) -> bool:
        return self.amount is None


def import_savings(*, content: bytes, filename: str) -> ImportResult:
    """Create, update or remove savings: the file lists every saving of each service and period
    it names. A row with only a service and a period says it has no savings for that period."""
    table = _read(content, filename, SAVING_COLUMNS)
    with transaction.atomic():
        lookups = _Lookups.load()
        rows = _validate_savings(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_savings(rows, result)
    return result


def _validate_savings(raw_rows, lookups: _Lookups) -> list[_SavingRow]:
    errors: list[RowError] = []
    rows: list[_SavingRow] = []
    seen: dict[tuple, int] = {}
    none_rows: dict[tuple, int] = {}
    saving_rows: dict[tuple, int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        holder = _check(row_errors, number, "service", lookups.holder, cells["service"])
        period = _check(row_errors, number, "period", lookups.period, cells["period"])
        says_none = not (cells["amount"] or cells["description"] or cells["status"])
        amount = description = status = None
        if not says_none:
            amount, description, status = _saving_values(number, cells, row_errors)
        if holder is not None and period is not None:
            group = (_key(holder), period[0].start_year, period[1].start_year)
            if says_none:
                if group in saving_rows:
                    row_errors.append(
                        _none_beside(
                            number, "amount", none_row=number, other_row=saving_rows[group]
                        )
                    )
                none_rows.setdefault(group, number)
            else:
                if group in none_rows:
                    row_errors.append(
                        _none_beside(number, "amount", none_row=none_rows[group], other_row=number)
                    )
                saving_rows.setdefault(group, number)
            key = (*group, (description or "").casefold())
            if key in seen:
                column = "amount" if says_none else "description"
                row_errors.append(
                    RowError(
                        number,
                        column,
                        f"repeats row {seen[key]}: the same service, period and description.",
                    )
                )
            seen.setdefault(key, number)
        errors += row_errors
        if not row_errors:
            rows.append(
                _SavingRow(number, holder, *period, amount, description or "", status or "")
            )
    # Checked on the good rows even when others are bad, so that every problem is listed at once.
    errors += _saving_overlaps(rows, lookups)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "the file has a header but no savings.")])
    return rows


def _saving_values(number: int, cells: dict, errors: list[RowError]) -> tuple:
    amount = _check(errors, number, "amount", parse_money, cells["amount"])
    if not cells["amount"]:
        errors.append(RowError(number, "amount", "an amount (£000) is required."))
    description = cells["description"]
    if not description:
        errors.append(RowError(number, "description", "say what the saving is."))
    elif len(description) > DESCRIPTION_LIMIT:
        errors.append(
            RowError(number, "description", f"longer than {DESCRIPTION_LIMIT} characters.")
        )
    status = None
    if not cells["status"]:
        allowed = ", ".join(status.label.lower() for status in Saving.Status)
        errors.append(RowError(number, "status", f"a status is required: one of {allowed}."))
    else:
        status = _check(errors, number, "status", parse_status, cells["status"])
    return amount, description, status


def _none_beside(number: int, column: str, *, none_row: int, other_row: int) -> RowError:
    """A row that says "none" beside a row that gives one, for the same service (or head of
    service) and period; reported on the second of the two."""
    return RowError(
        number,
        column,
        f"row {none_row} is blank, saying there are none for this period, but row {other_row} "
        "gives one; remove one of the two rows.",
    )


def _saving_overlaps(rows: list[_SavingRow], lookups: _Lookups) -> list[RowError]:
    groups = {row.group for row in rows}  # the file replaces these periods' savings
    claims = [
        _Claim(row.group[0], row.group[1], row.group[2], row.row, row.description)
        for row in rows
        if not row.says_none
    ]
    services = set().union(*(lookups.covers(row.group[0]) for row in rows))
    lines = {lookups.line_of[s] for s in services if s in lookups.line_of}
    recorded = Saving.objects.filter(Q(service_id__in=services) | Q(reporting_line_id__in=lines))
    for saving in recorded:
        group = (_key_of(saving), saving.first_year_id, saving.last_year_id)
        if group not in groups:  # savings of a period in the file are replaced by the file's
            claims.append(_Claim(*group, row=None, what=saving.description))
    errors = []
    for claim, other in _clashes(claims, lookups.covers, _saving_clash).items():
        errors.append(
            RowError(
                claim.row,
                "period",
                f"{_span_label(claim)} overlaps the saving {other.what!r} of "
                f"{lookups.name_of(other.key)!r} for {_span_label(other)} ({other.where()}). "
                "A service's savings for a year are either part of one span of years or on "
                "their own, so that no year is counted twice.",
            )
        )
    return errors


def _span_label(claim: _Claim) -> str:
    first = FinancialYear(start_year=claim.first_year).label
    if claim.first_year == claim.last_year:
        return first
    return f"{first} to {FinancialYear(start_year=claim.last_year).label}"


def _write_savings(rows: list[_SavingRow], result: ImportResult) -> None:
    kind = Saving._meta.verbose_name_plural
    by_group: dict[tuple, list[_SavingRow]] = defaultdict(list)
    for row in rows:
        by_group[row.group].append(row)
    holder_filter = Q()
    for (holder_kind, pk), _, _ in by_group:
        holder_filter |= Q(service_id=pk) if holder_kind == "service" else Q(reporting_line_id=pk)
    recorded: dict[tuple, list[Saving]] = defaultdict(list)
    for saving in Saving.objects.filter(holder_filter):
        recorded[(_key_of(saving), saving.first_year_id, saving.last_year_id)].append(saving)
    for group, group_rows in by_group.items():
        existing = {saving.description.casefold(): saving for saving in recorded[group]}
        for row in group_rows:
            if row.says_none:
                continue
            saving = existing.pop(row.description.casefold(), None)
            identity = {
                **_holder_fields(row.holder),
                "first_year": row.first_year,
                "last_year": row.last_year,
            }
            values = {"amount": row.amount, "description": row.description, "status": row.status}
            _upsert(Saving, saving, identity, values, result)
        for saving in existing.values():
            saving.delete()
            result.removed[kind] += 1


# ---------------------------------------------------------------------------------------------
# Budget risks: columns head_of_service, year, text, and optionally title.


@dataclass(frozen=True)
class _RiskRow:
    row: int
    head: HeadOfService
    year: FinancialYear
    title: str
    text: str  # "" says the head of service has no significant budget risks this year


def import_budget_risks(*, content: bytes, filename: str) -> ImportResult:
    """Replace the budget risks of each head of service and year in the file."""
    table = _read(content, filename, BUDGET_RISK_COLUMNS)
    with transaction.atomic():
        lookups = _Lookups.load()
        rows = _validate_risks(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_risks(rows, result)
    return result


def _validate_risks(raw_rows, lookups: _Lookups) -> list[_RiskRow]:
    errors: list[RowError] = []
    rows: list[_RiskRow] = []
    seen: dict[tuple, int] = {}
    none_rows: dict[tuple, int] = {}
    risk_rows: dict[tuple, int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        head = _check(row_errors, number, "head_of_service", lookups.head, cells["head_of_service"])
        year = _check(row_errors, number, "year", lookups.year, cells["year"])
        title, text = cells.get("title", ""), cells["text"]
        if len(title) > TITLE_LIMIT:
            row_errors.append(RowError(number, "title", f"longer than {TITLE_LIMIT} characters."))
        if title and not text:
            row_errors.append(RowError(number, "text", f"describe the risk titled {title!r}."))
        if head is not None and year is not None:
            group = (head.pk, year.pk)
            if not text and not title:
                if group in risk_rows:
                    row_errors.append(
                        _none_beside(number, "text", none_row=number, other_row=risk_rows[group])
                    )
                none_rows.setdefault(group, number)
            else:
                if group in none_rows:
                    row_errors.append(
                        _none_beside(number, "text", none_row=none_rows[group], other_row=number)
                    )
                risk_rows.setdefault(group, number)
            key = (*group, title.casefold(), text)
            if key in seen:
                row_errors.append(RowError(number, "text", f"repeats row {seen[key]}."))
            seen.setdefault(key, number)
        errors += row_errors
        if not row_errors:
            rows.append(_RiskRow(number, head, year, title, text))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "the file has a header but no budget risks.")])
    return rows


def _write_risks(rows: list[_RiskRow], result: ImportResult) -> None:
    kind = BudgetRisk._meta.verbose_name_plural
    by_group: dict[tuple, list[_RiskRow]] = defaultdict(list)
    for row in rows:
        by_group[(row.head, row.year)].append(row)
    for (head, year), group_rows in by_group.items():
        wanted = [(row.title, row.text) for row in group_rows if row.text]
        existing = list(BudgetRisk.objects.filter(head_of_service=head, year=year))
        if [(risk.title, risk.text) for risk in existing] == wanted and all(
            risk.position == position for position, risk in enumerate(existing)
        ):
            continue
        unmatched = {(risk.title.casefold(), risk.text): risk for risk in existing}
        for position, (title, text) in enumerate(wanted):
            risk = unmatched.pop((title.casefold(), text), None)
            if risk is None:
                BudgetRisk.objects.create(
                    head_of_service=head, year=year, title=title, text=text, position=position
                )
                result.created[kind] += 1
            elif (risk.title, risk.position) != (title, position):
                risk.title, risk.position = title, position
                risk.save(update_fields=["title", "position"])
                result.changed[kind] += 1
        for risk in unmatched.values():
            risk.delete()
            result.removed[kind] += 1
