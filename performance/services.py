"""Writes to indicators, targets and actuals. Every write is a function here, in a transaction.

The imports are the service functions the management commands use and the web upload will
use. Each reads its file and its cells with the import toolkit in spreadsheets/ (reader,
cells, problems), checks every row before writing anything, and either refuses the whole file
(ImportRejected lists every problem by row and column) or writes it in one transaction.
Re-importing the same file changes nothing.

They are built for a year of a council's figures in one go: a fixed number of queries per
file (look-ups of what exists, then bulk inserts, updates and upserts), never a query per row.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from organisation import content_versions, years
from organisation.models import FinancialYear, Priority, Service
from performance import formatting, parsing, periods
from performance.access import may_sign_off
from performance.models import (
    DRAFTED_FIELDS,
    Actual,
    DraftIndicator,
    FigureChange,
    FigureSignOff,
    Indicator,
    PeriodTarget,
    Target,
)
from performance.rules import Rag, rag
from performance.selectors import (
    draft_indicator_rows,
    entry_rows,
    targets_of_periods,
    why_not_ready_for_sign_off,
)
from spreadsheets import cells as cell
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import
from spreadsheets.results import ImportResult

INDICATOR_COLUMNS = (
    "code",
    "title",
    "service",
    "unit",
    "polarity",
    "frequency",
    "tolerance",
    "corporate",
    "accountable_manager",
    "definition",
)
# Read when present; an indicator keeps its value for a column the file does not have.
INDICATOR_OPTIONAL_COLUMNS = ("type", "decimal_places", "data_source", "priorities")
TARGET_COLUMNS = ("code", "year", "target")
TARGET_OPTIONAL_COLUMNS = ("period_end",)
ACTUAL_COLUMNS = ("code", "period_end", "value", "state", "commentary")
ACTUAL_OPTIONAL_COLUMNS = ("forecast",)

LIMITS = {
    "code": 30,
    "title": 300,
    "unit": 20,
    "accountable_manager": 120,
    "data_source": 300,
}
INDICATOR_TYPE = cell.Vocabulary.of(Indicator.Type, "type")
DATA_STATE = cell.Vocabulary.of(Actual.State, "data state")


def _indicators_by_code(within=None) -> dict[str, Indicator]:
    indicators = Indicator.objects.order_by() if within is None else within.order_by()
    return {cell.code(i.code).casefold(): i for i in indicators}


# Indicators ----------------------------------------------------------------------------------


def import_indicators(*, content: bytes, filename: str) -> ImportResult:
    """Create or update indicators from a file with the columns INDICATOR_COLUMNS (and any of
    INDICATOR_OPTIONAL_COLUMNS). An indicator is matched by its code, ignoring case; the file
    is the truth for every indicator it names, and leaves the others alone."""
    table = read_import(content, filename=filename, required=INDICATOR_COLUMNS)
    present = set(table.columns)
    services = {s.name.casefold(): s for s in Service.objects.order_by()}
    priorities = (
        {p.code.casefold(): p for p in Priority.objects.order_by()}
        if "priorities" in present
        else {}
    )
    existing = _indicators_by_code()

    problems = Problems()
    wanted: list[tuple[dict[str, Any], list[int] | None]] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        code = cell.code(cells["code"])
        values: dict[str, Any] = {"code": code}
        if not code:
            problems.add(number, "code", "a code is required.")
        elif code.casefold() in first_row:
            problems.add(
                number, "code", f"{code!r} is already on row {first_row[code.casefold()]}."
            )
        first_row.setdefault(code.casefold(), number)
        for column in ("code", "title", "unit", "accountable_manager"):
            problems.check_length(number, column, cells[column], LIMITS[column])
        values["title"] = cells["title"]
        if not cells["title"]:
            problems.add(number, "title", "a title is required.")
        service = services.get(cells["service"].casefold())
        if service is None:
            problems.add(
                number,
                "service",
                f"{cells['service']!r} is not a service; import the council's structure first."
                if cells["service"]
                else "a service is required.",
            )
        values["service_id"] = service.pk if service else None
        values["unit"] = cells["unit"]
        values["polarity"] = problems.read(number, "polarity", parsing.polarity, cells["polarity"])
        values["frequency"] = problems.read(
            number, "frequency", parsing.frequency, cells["frequency"]
        )
        tolerance = problems.read(number, "tolerance", parsing.tolerance, cells["tolerance"])
        values["tolerance_percent"], values["tolerance_absolute"] = tolerance or (None, None)
        values["is_corporate"] = problems.read(number, "corporate", cell.yes_no, cells["corporate"])
        values["accountable_manager"] = cells["accountable_manager"]
        values["definition"] = cells["definition"]
        if "type" in present:
            values["indicator_type"] = (
                problems.read(number, "type", INDICATOR_TYPE, cells["type"])
                if cells["type"]
                else Indicator.Type.LOCAL
            )
        if "decimal_places" in present:
            values["decimal_places"] = problems.read(
                number, "decimal_places", _decimal_places, cells["decimal_places"]
            )
        if "data_source" in present:
            problems.check_length(
                number, "data_source", cells["data_source"], LIMITS["data_source"]
            )
            values["data_source"] = cells["data_source"]
        priority_ids = None
        if "priorities" in present:
            priority_ids = []
            for item in filter(None, (part.strip() for part in cells["priorities"].split(";"))):
                priority = priorities.get(item.casefold())
                if priority is None:
                    problems.add(number, "priorities", f"{item!r} is not a corporate priority.")
                else:
                    priority_ids.append(priority.pk)
        wanted.append((values, priority_ids))
    problems.raise_if_any(len(table.rows), "indicators")

    result = ImportResult(rows=len(table.rows))
    kind = Indicator._meta.verbose_name_plural
    new, changed, changed_fields = [], [], set()
    for values, _ in wanted:
        indicator = existing.get(values["code"].casefold())
        if indicator is None:
            new.append(Indicator(**values))
            continue
        stale = {name for name, value in values.items() if getattr(indicator, name) != value}
        if stale:
            result.note_changes(
                kind, indicator.code, {name: values[name] for name in sorted(stale)}, indicator
            )
            for name in stale:
                setattr(indicator, name, values[name])
            changed.append(indicator)
            changed_fields |= stale
    with transaction.atomic():
        Indicator.objects.bulk_create(new)
        if changed:
            Indicator.objects.bulk_update(changed, sorted(changed_fields))
        result.created[kind] += len(new)
        result.changed[kind] += len(changed)
        if "priorities" in present:
            _sync_priorities(wanted, new, changed, existing, result)
        content_versions.council_content_changed()
    return result


def _decimal_places(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > 4:
        raise ValueError(f"{text!r} is not a number of decimal places from 0 to 4.")
    return int(text)


def _sync_priorities(wanted, new, changed, existing, result: ImportResult) -> None:
    """Bring each indicator's priority links into line with the file, in three queries."""
    links = Indicator.priorities.through
    pk_of = {i.code.casefold(): i.pk for i in [*existing.values(), *new]}
    want = {
        (pk_of[values["code"].casefold()], priority_id)
        for values, priority_ids in wanted
        for priority_id in priority_ids
    }
    have = {
        (indicator_id, priority_id): pk
        for pk, indicator_id, priority_id in links.objects.filter(
            indicator_id__in={pk_of[values["code"].casefold()] for values, _ in wanted}
        ).values_list("pk", "indicator_id", "priority_id")
    }
    stale = [pk for pair, pk in have.items() if pair not in want]
    if stale:
        links.objects.filter(pk__in=stale).delete()
    links.objects.bulk_create(
        [links(indicator_id=i, priority_id=p) for i, p in sorted(want - have.keys())]
    )
    already_counted = {i.pk for i in new} | {i.pk for i in changed}
    touched = {i for i, _ in want ^ have.keys()} - already_counted
    result.changed[Indicator._meta.verbose_name_plural] += len(touched)


# Targets -------------------------------------------------------------------------------------


def import_targets(*, content: bytes, filename: str) -> ImportResult:
    """Create or update targets from a file with the columns code, year, target (year like
    2012/13). With a period_end column, a row that names a period profiles the year's target
    for that period; a row with period_end blank is the year's target. The file is the truth
    for the targets it names and leaves others alone; it never deletes one."""
    table = read_import(content, filename=filename, required=TARGET_COLUMNS)
    profiled = "period_end" in table.columns
    indicators = _indicators_by_code()
    years_set_up = {year.start_year: year for year in FinancialYear.objects.order_by()}

    problems = Problems()
    annual: dict[tuple[int, int], Decimal] = {}
    profile: dict[tuple[int, int, datetime.date], tuple[int, Decimal]] = {}
    first_row: dict[tuple, int] = {}
    for number, cells in table.rows:
        indicator = _indicator(problems, number, indicators, cells["code"])
        start_year = problems.read(number, "year", cell.financial_year, cells["year"])
        if start_year is not None and start_year not in years_set_up:
            problems.add(
                number,
                "year",
                f"financial year {years.label_for(start_year)} has not been set up yet.",
            )
            start_year = None
        value = _required_number(problems, number, "target", cells["target"])
        period = None
        if profiled and cells["period_end"]:
            period = problems.read(number, "period_end", periods.parse, cells["period_end"])
            if period and indicator and not _check_period_end(problems, number, indicator, period):
                period = None
            if period and start_year is not None and period.financial_year != start_year:
                problems.add(
                    number,
                    "period_end",
                    f"{period.name} is not in {years.label_for(start_year)} (April to March).",
                )
                period = None
        period_refused = profiled and cells["period_end"] and period is None
        if indicator is None or start_year is None or period_refused:
            continue
        key = (indicator.pk, start_year, period)
        if key in first_row:
            what = f"{period.name} in " if period else ""
            problems.add(
                number,
                "code",
                f"{indicator.code} already has a target for {what}"
                f"{years.label_for(start_year)} on row {first_row[key]}.",
            )
            continue
        first_row[key] = number
        if value is None:
            continue
        if period is None:
            annual[indicator.pk, start_year] = value
        else:
            profile[indicator.pk, start_year, period.end_date] = (number, value)

    existing = {
        (indicator_id, start_year): (pk, value)
        for pk, indicator_id, start_year, value in Target.objects.filter(
            indicator_id__in={indicator_id for indicator_id, *_ in first_row}
        )
        .order_by()
        .values_list("pk", "indicator_id", "year__start_year", "value")
    }
    code_of = {indicator.pk: indicator.code for indicator in indicators.values()}
    for (indicator_id, start_year, _), (number, _) in profile.items():
        if (indicator_id, start_year) not in annual and (indicator_id, start_year) not in existing:
            problems.add(
                number,
                "period_end",
                f"{code_of[indicator_id]} has no target for {years.label_for(start_year)} to "
                "profile; give the year's target on a row with period_end blank.",
            )
    problems.raise_if_any(len(table.rows), "targets")

    result = ImportResult(rows=len(table.rows))
    with transaction.atomic():
        codes = {indicator.pk: indicator.code for indicator in indicators.values()}
        _write_annual_targets(annual, existing, years_set_up, result, codes)
        if profile:
            _write_profiled_targets(profile, result)
        content_versions.council_content_changed()
    return result


class _Was:
    """The values a change replaces, for ImportResult.note_changes, when there is no row object."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _write_annual_targets(
    annual, existing, years_set_up, result: ImportResult, codes: dict[int, str]
) -> None:
    kind = Target._meta.verbose_name_plural
    writes = []
    for (indicator_id, start_year), value in annual.items():
        before = existing.get((indicator_id, start_year))
        if before is not None and before[1] == value:
            continue
        if before is not None:
            record = f"{codes.get(indicator_id, indicator_id)} {years.label_for(start_year)}"
            result.note_changes(kind, record, {"target": value}, _Was(target=before[1]))
        result.created[kind] += before is None
        result.changed[kind] += before is not None
        writes.append(Target(indicator_id=indicator_id, year=years_set_up[start_year], value=value))
    Target.objects.bulk_create(
        writes, update_conflicts=True, unique_fields=["indicator", "year"], update_fields=["value"]
    )


def _write_profiled_targets(profile, result: ImportResult) -> None:
    kind = PeriodTarget._meta.verbose_name_plural
    target_pk = {
        (indicator_id, start_year): pk
        for pk, indicator_id, start_year in Target.objects.filter(
            indicator_id__in={indicator_id for indicator_id, *_ in profile}
        )
        .order_by()
        .values_list("pk", "indicator_id", "year__start_year")
    }
    existing = {
        (target_id, period_end): value
        for target_id, period_end, value in PeriodTarget.objects.filter(
            target_id__in=set(target_pk.values())
        )
        .order_by()
        .values_list("target_id", "period_end", "value")
    }
    writes = []
    for (indicator_id, start_year, period_end), (_, value) in profile.items():
        target_id = target_pk[indicator_id, start_year]
        before = existing.get((target_id, period_end))
        if before == value:
            continue
        result.created[kind] += before is None
        result.changed[kind] += before is not None
        writes.append(PeriodTarget(target_id=target_id, period_end=period_end, value=value))
    PeriodTarget.objects.bulk_create(
        writes,
        update_conflicts=True,
        unique_fields=["target", "period_end"],
        update_fields=["value"],
    )


# Actuals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ActualRow:
    indicator_id: int
    period_end: datetime.date
    value: Decimal | None
    state: str
    commentary: str
    forecast_outturn: Decimal | None


def import_actuals(
    *,
    content: bytes,
    filename: str,
    entered_by: AbstractBaseUser | None = None,
    today: datetime.date | None = None,
    services=None,
    route: str = FigureChange.Route.IMPORT,
) -> ImportResult:
    """Create or update actuals from a file with the columns code, period_end, value, state,
    commentary (and optionally forecast: the outturn expected for the year).

    period_end is the month the period ends in (2012-08); it must end a period of the
    indicator's frequency and must have ended by `today`. state is awaited, estimate or
    verified; left blank it is verified when there is a value and awaited when there is none.
    The file is the truth for each indicator and period it names. Rows that change nothing
    are not written, so who entered a figure and when stays as it was.

    `services` (a queryset of Service) limits the file to those services' indicators: the
    web upload passes the services the officer edits, and any other code is a row error.

    Each figure written is kept in its indicator's history as coming by `route` (the web
    upload says so; the command and the demo are the import), from the figures read to
    compare with, in one more bulk insert.
    """
    table = read_import(content, filename=filename, required=ACTUAL_COLUMNS)
    has_forecast = "forecast" in table.columns
    today = today or timezone.localdate()
    within = None if services is None else Indicator.objects.filter(service__in=services)
    indicators = _indicators_by_code(within)
    others = (
        {}
        if services is None
        else _indicators_by_code(
            Indicator.objects.exclude(service__in=services).select_related("service")
        )
    )

    problems = Problems()
    rows: list[_ActualRow] = []
    checked = []
    first_row: dict[tuple[int, datetime.date], int] = {}
    for number, cells in table.rows:
        other = others.get(cell.code(cells["code"]).casefold())
        if other is not None:
            problems.add(
                number,
                "code",
                f"{other.code} belongs to {other.service}, whose figures you do not enter.",
            )
            continue
        indicator = _indicator(problems, number, indicators, cells["code"])
        period = problems.read(number, "period_end", periods.parse, cells["period_end"])
        if (
            period
            and indicator
            and not (
                _check_period_end(problems, number, indicator, period)
                and _check_reported(problems, number, indicator, period)
            )
        ):
            period = None
        if period and period.end_date > today:
            problems.add(
                number,
                "period_end",
                f"{period.name} has not ended yet (it ends on {period.end_date:%d %B %Y}).",
            )
            period = None
        value = problems.read(number, "value", _optional_number, cells["value"])
        state = _state(problems, number, cells["state"], cells["value"], value)
        forecast = (
            problems.read(number, "forecast", _optional_number, cells["forecast"])
            if has_forecast
            else None
        )
        if indicator is None or period is None:
            continue
        key = (indicator.pk, period.end_date)
        if key in first_row:
            problems.add(
                number,
                "period_end",
                f"{indicator.code} already has a figure for {period.name} on row {first_row[key]}.",
            )
            continue
        first_row[key] = number
        rows.append(
            _ActualRow(indicator.pk, period.end_date, value, state, cells["commentary"], forecast)
        )
        checked.append((number, indicator, period, value, state, cells["commentary"]))
    _check_figure_rules(problems, checked)
    problems.raise_if_any(len(table.rows), "figures")

    compared = ["value", "state", "commentary"] + (["forecast_outturn"] if has_forecast else [])
    existing = {
        (indicator_id, period_end): Figure(*rest)
        for indicator_id, period_end, *rest in Actual.objects.filter(
            indicator_id__in={row.indicator_id for row in rows},
            period_end__gte=min(row.period_end for row in rows),
            period_end__lte=max(row.period_end for row in rows),
        )
        .order_by()
        .values_list("indicator_id", "period_end", *FIGURE_FIELDS)
    }
    indicator_of = {indicator.pk: indicator for indicator in indicators.values()}
    result = ImportResult(rows=len(table.rows))
    kind = Actual._meta.verbose_name_plural
    now = timezone.now()
    writes, written = [], []
    for row in rows:
        before = existing.get((row.indicator_id, row.period_end))
        if before is not None and all(
            getattr(before, name) == getattr(row, name) for name in compared
        ):
            continue
        result.created[kind] += before is None
        result.changed[kind] += before is not None
        if before is not None:
            stale = {n: getattr(row, n) for n in compared if getattr(before, n) != getattr(row, n)}
            record = f"{indicator_of[row.indicator_id].code} {periods.Period.of(row.period_end)}"
            result.note_changes(kind, record, stale, before)
        after = Figure(
            value=row.value,
            state=row.state,
            commentary=row.commentary,
            # Without a forecast column, a figure keeps the forecast it had.
            forecast_outturn=row.forecast_outturn
            if has_forecast or before is None
            else before.forecast_outturn,
        )
        written.append(FigureWritten(indicator_of[row.indicator_id], row.period_end, before, after))
        writes.append(
            Actual(
                indicator_id=row.indicator_id,
                period_end=row.period_end,
                value=row.value,
                state=row.state,
                commentary=row.commentary,
                forecast_outturn=row.forecast_outturn,
                entered_by=entered_by,
                entered_at=now,
            )
        )
    with transaction.atomic():
        Actual.objects.bulk_create(
            writes,
            update_conflicts=True,
            unique_fields=["indicator", "period_end"],
            update_fields=[*compared, "entered_by", "entered_at"],
        )
        keep_history(written=written, by=entered_by, route=route, at=now)
    return result


def _check_figure_rules(problems: Problems, checked: list) -> None:
    """The grid's rules for every row: a possible figure; a red or awaited one explained."""
    targets = targets_of_periods((indicator, period) for _, indicator, period, *_ in checked)
    for number, indicator, period, value, state, commentary in checked:
        if state is None or (value is None) != (state == Actual.State.AWAITED):
            continue  # already reported against the value or the state
        found = entry_problems(
            indicator=indicator,
            period=period,
            target=targets[(indicator.pk, period)],
            value=value,
            state=state,
            commentary=commentary,
        )
        for column, message in found.items():
            problems.add(number, column, _sentence_case(message))


def _sentence_case(message: str) -> str:
    """Row errors read on from "row 4, commentary:", in lower case like the others."""
    return message[0].lower() + message[1:]


def _state(problems: Problems, number: int, text: str, value_text: str, value) -> str:
    if text:
        state = problems.read(number, "state", DATA_STATE, text)
    else:
        state = Actual.State.VERIFIED if value_text else Actual.State.AWAITED
    if state == Actual.State.AWAITED and value_text:
        problems.add(
            number,
            "value",
            "an awaited figure has no value; clear the value or give the state as estimate "
            "or verified.",
        )
    elif state in (Actual.State.ESTIMATE, Actual.State.VERIFIED) and not value_text:
        problems.add(number, "value", f"a value is required for an {state} figure.")
    return state


# Shared checks -------------------------------------------------------------------------------


def _indicator(problems: Problems, number: int, indicators, text: str) -> Indicator | None:
    code = cell.code(text)
    if not code:
        problems.add(number, "code", "an indicator code is required.")
        return None
    indicator = indicators.get(code.casefold())
    if indicator is None:
        problems.add(number, "code", f"{code!r} is not an indicator; import the indicators first.")
    return indicator


def _check_period_end(
    problems: Problems, number: int, indicator: Indicator, period: periods.Period
) -> bool:
    if periods.is_period_end(indicator.frequency, period):
        return True
    ends = ", ".join(
        p.name for p in periods.period_ends(indicator.frequency, period.financial_year)
    )
    problems.add(
        number,
        "period_end",
        f"{period.name} does not end a {indicator.get_frequency_display().lower()} period of "
        f"{indicator.code}; in {years.label_for(period.financial_year)} they end {ends}.",
    )
    return False


def _check_reported(
    problems: Problems, number: int, indicator: Indicator, period: periods.Period
) -> bool:
    year = period.financial_year
    if indicator.first_year is not None and year < indicator.first_year:
        problems.add(
            number,
            "period_end",
            f"{indicator.code} is reported from {years.label_for(indicator.first_year)}.",
        )
        return False
    if indicator.last_year is not None and year > indicator.last_year:
        problems.add(
            number,
            "period_end",
            f"{indicator.code} was retired after {years.label_for(indicator.last_year)}.",
        )
        return False
    return True


def _optional_number(text: str) -> Decimal | None:
    return parsing.number(text) if text else None


def _required_number(problems: Problems, number: int, column: str, text: str):
    if not text:
        problems.add(number, column, "a number is required.")
        return None
    return problems.read(number, column, parsing.number, text)


# Data entry in the browser ---------------------------------------------------------------------


class FiguresChanged(Exception):
    """Someone else saved figures for these indicators and period since the grid was opened."""


class FiguresRefused(Exception):
    """Figures that break the rules: {indicator id: {field: message}}."""

    def __init__(self, problems: dict[int, dict[str, str]]):
        self.problems = problems
        super().__init__("; ".join(m for fields in problems.values() for m in fields.values()))


@dataclass(frozen=True)
class FigureEntry:
    """One row of the data-entry grid, as the officer typed it."""

    indicator: Indicator
    value: Decimal | None
    state: str
    commentary: str
    forecast_outturn: Decimal | None
    # Kept from the public pages and the open data (performance.access.public_commentary).
    commentary_internal: bool = False


def entry_problems(
    *,
    indicator: Indicator,
    period: periods.Period,
    target: Decimal | None,
    value,
    state: str,
    commentary: str,
) -> dict[str, str]:
    """What is wrong with a typed figure, by field. It must be within the indicator's valid
    range; the officer must explain a red status and a figure that is awaited: members read
    the commentary beside the colour."""
    problems = {}
    if state == Actual.State.AWAITED:
        if value is not None:
            problems["value"] = "An awaited figure has no value: clear it, or choose a state."
        if not commentary.strip():
            problems["commentary"] = "Say why the figure is awaited and when it is expected."
        return problems
    if value is None:
        problems["value"] = "Enter the figure, or choose 'Awaited' as its state."
        return problems
    valid = indicator.valid_range
    if value not in valid:
        problems["value"] = (
            f"{formatting.number(value, None)} is not a possible figure for {indicator.code} "
            f"in {periods.describe(indicator.frequency, period)}: it must be {valid}."
        )
        return problems
    status = rag(
        actual=value,
        target=target,
        polarity=indicator.polarity,
        tolerance=indicator.tolerance,
        places=indicator.decimal_places,
    )
    if status == Rag.RED and not commentary.strip():
        problems["commentary"] = (
            "This figure is red against its target: say why, and what is being done."
        )
    return problems


# What a save of the grid compares with the figures it was opened with.
FINGERPRINTED = ("value", "state", "commentary", "commentary_internal", "forecast_outturn")


def figures_fingerprint(indicators, period: periods.Period) -> str:
    """The saved figures of these indicators for the period, as a short fingerprint."""
    rows = (
        Actual.objects.filter(indicator__in=indicators, period_end=period.end_date)
        .order_by("indicator_id")
        .values_list("indicator_id", *FINGERPRINTED)
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def figures_problems(
    *, period: periods.Period, entries: list[FigureEntry]
) -> dict[int, dict[str, str]]:
    """What is wrong with each figure for a period, by indicator and field, against the
    period's targets (read in two queries). The one rule every way of entering a figure
    (grid, upload, import command, admin) applies."""
    targets = targets_of_periods((entry.indicator, period) for entry in entries)
    return {
        entry.indicator.pk: entry_problems(
            indicator=entry.indicator,
            period=period,
            target=targets[(entry.indicator.pk, period)],
            value=entry.value,
            state=entry.state,
            commentary=entry.commentary,
        )
        for entry in entries
    }


def record_figures(
    *, period: periods.Period, entries: list[FigureEntry], base: str, entered_by
) -> int:
    """Save the grid's figures for a period; returns how many changed.

    Refuses with FiguresChanged when the saved figures differ from those the grid was opened
    with, so a colleague's figures are never silently overwritten.
    """
    indicators = [entry.indicator for entry in entries]
    refused = {
        indicator_id: found
        for indicator_id, found in figures_problems(period=period, entries=entries).items()
        if found
    }
    if refused:
        raise FiguresRefused(refused)
    with transaction.atomic():
        # Lock the indicators' rows so two saves of the same grid run one after the other.
        list(Indicator.objects.select_for_update().filter(pk__in=[i.pk for i in indicators]))
        if figures_fingerprint(indicators, period) != base:
            raise FiguresChanged
        saved = {
            actual.indicator_id: actual
            for actual in Actual.objects.filter(
                indicator__in=indicators, period_end=period.end_date
            )
        }
        now, written, marked = timezone.now(), [], 0
        for entry in entries:
            actual = saved.get(entry.indicator.pk) or Actual(
                indicator=entry.indicator, period_end=period.end_date
            )
            typed = Figure(
                value=entry.value,
                state=entry.state,
                commentary=entry.commentary.strip(),
                forecast_outturn=entry.forecast_outturn,
            )
            before = Figure.of(actual) if actual.pk else None
            remarked = actual.commentary_internal != entry.commentary_internal
            actual.commentary_internal = entry.commentary_internal
            if before == typed:
                # Only who may read the commentary changed: the figure, its history and its
                # sign-off stand.
                if remarked:
                    actual.save(update_fields=["commentary_internal"])
                    marked += 1
                continue
            for name in FIGURE_FIELDS:
                setattr(actual, name, getattr(typed, name))
            actual.entered_by, actual.entered_at = entered_by, now
            actual.save()
            written.append(FigureWritten(entry.indicator, period.end_date, before, typed))
        keep_history(written=written, by=entered_by, route=FigureChange.Route.GRID, at=now)
        if marked:  # whether commentary is internal: the figures as residents read them
            content_versions.figures_changed({entry.indicator.service_id for entry in entries})
    return len(written) + marked


# A figure's history and its sign-off ---------------------------------------------------------

FIGURE_FIELDS = ("value", "state", "commentary", "forecast_outturn")


@dataclass(frozen=True)
class Figure:
    """What an actual says: the four things a change to it can change."""

    value: Decimal | None
    state: str
    commentary: str
    forecast_outturn: Decimal | None

    @classmethod
    def of(cls, actual: Actual) -> "Figure":
        return cls(*(getattr(actual, name) for name in FIGURE_FIELDS))


NO_FIGURE = Figure(value=None, state="", commentary="", forecast_outturn=None)


@dataclass(frozen=True)
class FigureWritten:
    """A figure as a route writes it: `before` None when it is new, `after` None when it is
    deleted."""

    indicator: Indicator
    period_end: datetime.date
    before: Figure | None
    after: Figure | None

    @property
    def changes_anything(self) -> bool:
        return self.before != self.after


def keep_history(*, written: list[FigureWritten], by, route: str, at: datetime.datetime) -> None:
    """Record each figure written, with what it was, and make its service's figures for the
    period provisional again: a sign-off vouches for the figures as they were when signed.

    Every route that writes an actual (grid, upload, import command, admin) calls this inside
    the transaction of its write, so a figure never changes without its history. At most four
    queries, however many figures.
    """
    written = [figure for figure in written if figure.changes_anything]
    if not written:
        return
    covered = {(figure.indicator.service_id, figure.period_end) for figure in written}
    # Every page part kept for readers that shows these figures is made again.
    content_versions.figures_changed({service_id for service_id, _ in covered})
    # Lock the services as sign_off_figures does, so a sign-off and a change to the figures
    # it covers happen one after the other: the sign-off sees the change, or the change sees
    # (and withdraws) the sign-off.
    list(
        Service.objects.select_for_update()
        .filter(pk__in={service_id for service_id, _ in covered})
        .values_list("pk", flat=True)
    )
    withdrawn = {
        (sign_off.service_id, sign_off.period_end): sign_off
        for sign_off in FigureSignOff.objects.filter(
            service_id__in={service_id for service_id, _ in covered},
            period_end__in={period_end for _, period_end in covered},
        ).order_by()
        if (sign_off.service_id, sign_off.period_end) in covered
    }
    if withdrawn:
        FigureSignOff.objects.filter(pk__in=[s.pk for s in withdrawn.values()]).delete()
    FigureChange.objects.bulk_create(
        [
            _change(
                figure,
                withdrawn.get((figure.indicator.service_id, figure.period_end)),
                by=by,
                route=route,
                at=at,
            )
            for figure in written
        ]
    )


def _change(
    figure: FigureWritten, sign_off: FigureSignOff | None, *, by, route: str, at
) -> FigureChange:
    after, before = figure.after or NO_FIGURE, figure.before or NO_FIGURE
    return FigureChange(
        indicator_id=figure.indicator.pk,
        period_end=figure.period_end,
        **{name: getattr(after, name) for name in FIGURE_FIELDS},
        **{f"previous_{name}": getattr(before, name) for name in FIGURE_FIELDS},
        by=by,
        at=at,
        route=route,
        withdrew_sign_off_at=sign_off.at if sign_off else None,
        withdrew_sign_off_by_id=sign_off.by_id if sign_off else None,
    )


def save_actual(*, actual: Actual, by, route: str = FigureChange.Route.ADMIN) -> None:
    """Save one actual as an administrator typed it in the admin, after the rules every
    figure obeys (figures_problems; the admin's form shows the same messages first), and keep
    its history. Moving a figure to another indicator or period is recorded as the old one
    deleted and a new one entered."""
    entry = FigureEntry(
        indicator=actual.indicator,
        value=actual.value,
        state=actual.state,
        commentary=actual.commentary,
        forecast_outturn=actual.forecast_outturn,
    )
    refused = figures_problems(period=actual.period, entries=[entry])[actual.indicator.pk]
    if refused:
        raise FiguresRefused({actual.indicator.pk: refused})
    with transaction.atomic():
        saved = (
            Actual.objects.select_related("indicator").filter(pk=actual.pk).first()
            if actual.pk
            else None
        )
        written = []
        if saved and (saved.indicator_id, saved.period_end) != (
            actual.indicator_id,
            actual.period_end,
        ):
            written.append(FigureWritten(saved.indicator, saved.period_end, Figure.of(saved), None))
            saved = None
        written.append(
            FigureWritten(
                actual.indicator,
                actual.period_end,
                Figure.of(saved) if saved else None,
                Figure.of(actual),
            )
        )
        now = timezone.now()
        if any(figure.changes_anything for figure in written):
            # Who entered a figure, and when, is whoever last changed it.
            actual.entered_by, actual.entered_at = by, now
        actual.save()
        keep_history(written=written, by=by, route=route, at=now)


def delete_actuals(*, actuals: list[Actual], by, route: str = FigureChange.Route.ADMIN) -> None:
    """Delete figures, keeping in their history what they were and who deleted them."""
    with transaction.atomic():
        keep_history(
            written=[
                FigureWritten(actual.indicator, actual.period_end, Figure.of(actual), None)
                for actual in actuals
            ],
            by=by,
            route=route,
            at=timezone.now(),
        )
        Actual.objects.filter(pk__in=[actual.pk for actual in actuals]).delete()


class SignOffRefused(Exception):
    """The figures cannot be signed off (yet); the message says why."""


def sign_off_figures(
    *, service: Service, period: periods.Period, by, base: str | None = None
) -> FigureSignOff:
    """Sign off a service's figures for a period, as its head of service or an administrator.

    Refuses with PermissionDenied anyone else (performance.access.may_sign_off); with
    SignOffRefused a period that has not ended, one already signed off, one with no figure
    due, and one with any figure due missing or awaited (rules.sign_off_refusal); with
    FiguresChanged when the figures are no longer those the signer was shown (`base`, a
    figures_fingerprint). Any later change to these figures withdraws the sign-off
    (keep_history).
    """
    if not may_sign_off(by, service):
        raise PermissionDenied(
            f"Only the head of service of {service} or an administrator signs off its figures."
        )
    what = f"{service} for {period.month_label}"
    if period.end_date > timezone.localdate():
        raise SignOffRefused(f"The figures of {what} cannot be signed off before it has ended.")
    year = FinancialYear.objects.filter(start_year=period.financial_year).first()
    if year is None:
        raise SignOffRefused(f"{years.label_for(period.financial_year)} has not been set up.")
    with transaction.atomic():
        # The lock keep_history takes too: a change and a sign-off go one after the other.
        list(Service.objects.select_for_update().filter(pk=service.pk).values_list("pk"))
        signed = (
            FigureSignOff.objects.filter(service=service, period_end=period.end_date)
            .select_related("by")
            .first()
        )
        if signed is not None:
            raise SignOffRefused(f"The figures of {what} are already {describe_sign_off(signed)}.")
        rows = entry_rows(service=service, year=year, period=period)
        refusal = why_not_ready_for_sign_off(service=service, period=period, rows=rows)
        if refusal:
            raise SignOffRefused(refusal)
        shown = [row.indicator for row in rows]
        if base is not None and figures_fingerprint(shown, period) != base:
            raise FiguresChanged
        content_versions.service_content_changed([service.pk])
        return FigureSignOff.objects.create(
            service=service, period_end=period.end_date, by=by, at=timezone.now()
        )


def describe_sign_off(sign_off: FigureSignOff) -> str:
    """ "signed off by Sam Head on 3 October 2012"."""
    who = (sign_off.by.get_full_name() or sign_off.by.get_username()) if sign_off.by else "someone"
    return f"signed off by {who} on {timezone.localtime(sign_off.at):%-d %B %Y}"


# A plan's indicators and targets: proposed by its draft, in force once it is published -------


class IndicatorsChanged(Exception):
    """Someone else changed the draft's indicators or targets since the editor opened."""


class IndicatorCodeTaken(Exception):
    """Codes the draft proposes belong to other indicators: {code: message}."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def draft_indicators_fingerprint(*, service: Service, year: FinancialYear, version: int) -> str:
    """The draft's indicators and targets as they are saved now, as a short fingerprint."""
    rows = [
        (row.indicator_id, row.taken_out, str(row.target), *_drafted(row))
        for row in draft_indicator_rows(service=service, year=year, version=version)
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def save_draft_indicators(
    *,
    service: Service,
    year: FinancialYear,
    version: int,
    rows: list[DraftIndicator],
    base: str,
) -> None:
    """Save the whole list of indicators plan `version` proposes for its year, in order.

    Nothing here reaches members: the indicators in force change only when the plan is
    published (publish_draft_indicators). An indicator with figures recorded this year cannot
    be taken out. Raises IndicatorsChanged when the saved list is not the one the editor
    opened (`base`), and IndicatorCodeTaken when a code belongs to another indicator.
    """
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=service.pk)
        if (
            not base
            or draft_indicators_fingerprint(service=service, year=year, version=version) != base
        ):
            raise IndicatorsChanged
        taken = codes_taken(service=service, codes=[row.code for row in rows if row.is_new])
        if taken:
            raise IndicatorCodeTaken(taken)
        for row in rows:
            if row.taken_out and row.indicator_id and has_figures_in(row.indicator, year):
                raise ValueError(f"{row.code} already has figures for {year}.")
        DraftIndicator.objects.filter(service=service, year=year, plan_version=version).delete()
        for position, row in enumerate(rows):
            row.pk = None
            row.service, row.year, row.plan_version, row.position = service, year, version, position
        DraftIndicator.objects.bulk_create(rows)


def codes_taken(*, service: Service, codes: list[str]) -> dict[str, str]:
    """Of these codes for new indicators of `service`, those another service's indicator has,
    or another service's draft proposes, with a message saying whose it is. Two queries."""
    wanted = {code.casefold() for code in codes}
    if not wanted:
        return {}
    problems = {}
    for code, owner in (
        Indicator.objects.annotate(folded=Lower("code"))
        .filter(folded__in=wanted)
        .exclude(service=service)
        .values_list("code", "service__name")
    ):
        problems[code.casefold()] = f"{code} is already an indicator of {owner}."
    for code, owner in (
        DraftIndicator.objects.annotate(folded=Lower("code"))
        .filter(folded__in=wanted, indicator__isnull=True)
        .exclude(service=service)
        .values_list("code", "service__name")
    ):
        problems.setdefault(
            code.casefold(), f"{code} is proposed in a draft plan of {owner} already."
        )
    return problems


def publish_draft_indicators(*, service: Service, year: FinancialYear, version: int) -> None:
    """Put in force what plan `version` proposes for its year, as it is published: new
    indicators reported from the year, changed ones, targets for the year, and those taken out
    retired (after this year if they have figures in it). Nothing proposed: nothing changes.
    Raises IndicatorCodeTaken when a new code has meanwhile gone to another service."""
    rows = list(
        DraftIndicator.objects.filter(service=service, year=year, plan_version=version)
        .select_related("indicator")
        .order_by("position", "id")
    )
    if not rows:
        return
    taken = codes_taken(service=service, codes=[row.code for row in rows if row.is_new])
    if taken:
        raise IndicatorCodeTaken(taken)
    own = _indicators_by_code(Indicator.objects.filter(service=service))
    for row in rows:
        indicator = row.indicator or own.get(cell.code(row.code).casefold())
        if row.taken_out:
            if indicator is not None:
                _stop_reporting(indicator, year)
            continue
        indicator = indicator or Indicator(service=service, first_year=year.start_year)
        _report_in(indicator, year)
        for name in DRAFTED_FIELDS:
            setattr(indicator, name, getattr(row, name))
        indicator.save()
        if row.target is None:
            Target.objects.filter(indicator=indicator, year=year).delete()
        else:
            Target.objects.update_or_create(
                indicator=indicator, year=year, defaults={"value": row.target}
            )
    DraftIndicator.objects.filter(pk__in=[row.pk for row in rows]).delete()
    content_versions.service_content_changed([service.pk])


def has_figures_in(indicator: Indicator, year: FinancialYear) -> bool:
    return Actual.objects.filter(
        indicator=indicator,
        period_end__gte=years.start_date(year.start_year),
        period_end__lte=years.end_date(year.start_year),
    ).exists()


def _drafted(row) -> tuple:
    return tuple(getattr(row, name) for name in DRAFTED_FIELDS)


def _report_in(indicator: Indicator, year: FinancialYear) -> None:
    """Make an indicator reported in `year`: a retired one brought back, a later one earlier."""
    if indicator.first_year is not None and indicator.first_year > year.start_year:
        indicator.first_year = year.start_year
    if indicator.last_year is not None and indicator.last_year < year.start_year:
        indicator.last_year = None


def _stop_reporting(indicator: Indicator, year: FinancialYear) -> None:
    """Retire an indicator from `year` on, or after it when it already has figures in it."""
    if has_figures_in(indicator, year):
        last = year.start_year
    elif indicator.first_year is not None and indicator.first_year >= year.start_year:
        if not indicator.actuals.exists():  # never reported: nothing to keep
            indicator.delete()
            return
        last = indicator.first_year
    else:
        last = year.start_year - 1
    if indicator.last_year is None or indicator.last_year > last:
        indicator.last_year = last
        indicator.save(update_fields=["last_year"])
