"""The open datasets: what each holds (its data dictionary) and its rows for a year and month.

Published content only, the same for every reader whoever downloads it: the services with a
published plan for the year (plans.access.services_public), figures as residents read them
(performance.access.public_actuals: signed off, unless the council publishes provisional ones),
commentary its author did not mark internal, officers' names only when the council shows them.
The figures, statuses and totals come from the selectors the pages use; nothing is worked out
here. Rows are sorted, so the same data always gives the same rows.

Each dataset costs a fixed number of queries however many rows it has.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max

from budgets.selectors import FigureTable, portfolio_tables
from organisation import years
from organisation.access import public_shows_names
from organisation.models import FinancialYear, HeadOfService, MonitoringPoint, Priority
from performance import periods
from performance.access import public_actuals, public_commentary
from performance.models import Actual, FigureSignOff, Indicator
from performance.periods import Period
from performance.rules import Direction, Rag
from performance.selectors import period_statuses
from plans import progress
from plans.access import plans_public, services_public
from plans.models import Action, Objective, PlanEvent, ProgressUpdate
from spreadsheets.writer import Number

# A value of a row: text, a whole number, a figure at its decimal places (Number), a date, a
# yes/no, or None for no value.
Value = str | int | Number | datetime.date | bool | None


@dataclass(frozen=True)
class Column:
    """One column: its name (the CSV header and the JSON key), its CSVW datatype (string,
    decimal, integer, boolean, date, gYearMonth) and what it means."""

    name: str
    datatype: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[..., list[dict[str, Value]]]
    last_change: Callable[..., datetime.datetime | None]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


@dataclass(frozen=True)
class Extract:
    """A dataset's rows as at a month of a year."""

    dataset: Dataset
    year: FinancialYear
    as_at: Period
    rows: list[dict[str, Value]]
    last_change: datetime.datetime | None


def extract(dataset: Dataset, *, year: FinancialYear, as_at: Period) -> Extract:
    return Extract(
        dataset,
        year,
        as_at,
        dataset.rows(year=year, as_at=as_at),
        dataset.last_change(year=year, as_at=as_at),
    )


def _words(choices) -> str:
    return ", ".join(f'"{value}"' for value in choices.values)


# Performance -------------------------------------------------------------------------------


def performance_rows(*, year: FinancialYear, as_at: Period) -> list[dict[str, Value]]:
    """Every indicator of the services with a published plan for the year, every period of
    the year up to the month: as the service performance page shows each period. Six
    queries."""
    indicators = Indicator.objects.filter(service__in=services_public(year))
    statuses = period_statuses(year=year, as_at=as_at, indicators=indicators, residents=True)
    priorities = defaultdict(list)
    for indicator_id, code in (
        Indicator.priorities.through.objects.filter(
            indicator_id__in={status.indicator.pk for status in statuses}
        )
        .order_by("priority__code")
        .values_list("indicator_id", "priority__code")
    ):
        priorities[indicator_id].append(code)
    rows = []
    for status in statuses:
        indicator, actual = status.indicator, status.actual
        places = indicator.decimal_places

        def figure(value, places=places) -> Number | None:
            return None if value is None else Number(value, places)

        has_value = status.value is not None
        rows.append(
            {
                "service_code": indicator.service.code,
                "service_name": indicator.service.name,
                "indicator_code": indicator.code,
                "indicator_title": indicator.title,
                "priorities": "; ".join(priorities[indicator.pk]),
                "corporate": indicator.is_corporate,
                "frequency": indicator.frequency,
                "polarity": indicator.polarity,
                "unit": indicator.unit,
                "period": status.period.name,
                "period_label": status.period_label,
                "target": figure(status.target),
                "actual": figure(status.value),
                "estimate": status.state == Actual.State.ESTIMATE if has_value else None,
                "status": str(status.rag.value),
                "forecast_outturn": figure(status.forecast),
                "forecast_status": status.forecast_rag.value if status.forecast_rag else None,
                "direction_since_previous_period": _value(status.direction_previous),
                "direction_since_last_year": _value(status.direction_last_year),
                "signed_off": (not status.provisional) if has_value else None,
                "commentary": public_commentary(
                    actual.commentary, internal=actual.commentary_internal
                )
                if actual
                else "",
            }
        )
    rows.sort(key=lambda row: (row["service_code"], row["indicator_code"], row["period"]))
    return rows


def _value(choice) -> str | None:
    return str(choice.value) if choice else None


def performance_last_change(*, year: FinancialYear, as_at: Period) -> datetime.datetime | None:
    """The latest of: a figure of the dataset entered or changed, a sign-off of one, a plan
    published. Three queries."""
    services = services_public(year)
    # Figures of last year count too: the directions compare with them.
    since = years.start_date(year.start_year - 1)
    figures = public_actuals(
        Actual.objects.filter(
            indicator__service__in=services,
            period_end__gte=since,
            period_end__lte=as_at.end_date,
        )
    )
    sign_offs = FigureSignOff.objects.filter(
        service__in=services,
        period_end__gte=since,
        period_end__lte=as_at.end_date,
    )
    return _latest(
        figures.aggregate(last=Max("entered_at"))["last"],
        sign_offs.aggregate(last=Max("at"))["last"],
        _published(year),
    )


def _published(year: FinancialYear) -> datetime.datetime | None:
    """When the last of the year's published plans was published. One query."""
    return (
        PlanEvent.objects.filter(plan__in=plans_public().filter(year=year))
        .filter(kind=PlanEvent.Kind.PUBLISHED)
        .aggregate(last=Max("at"))["last"]
    )


def _latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


STATUS_WORDS = _words(Rag)
DIRECTION_WORDS = _words(Direction)

PERFORMANCE = Dataset(
    slug="performance",
    title="Performance indicators",
    description=(
        "Every performance indicator of the services with a published plan for the year, for "
        "every period of the year up to the month: target, actual, status against target, "
        "forecast, direction of travel and commentary."
    ),
    columns=(
        Column("service_code", "string", "The service's short code.", required=True),
        Column("service_name", "string", "The service that reports the indicator.", True),
        Column("indicator_code", "string", 'The indicator\'s reference ("NI 181").', True),
        Column("indicator_title", "string", "What the indicator measures.", True),
        Column(
            "priorities",
            "string",
            "Codes of the corporate priorities it measures, separated by semicolons.",
        ),
        Column("corporate", "boolean", "yes: a corporate indicator, reported to members.", True),
        Column("frequency", "string", "How often it is reported: " + _words(periods.Frequency)),
        Column(
            "polarity",
            "string",
            '"higher" when a higher figure is better, "lower" when a lower one is.',
            True,
        ),
        Column("unit", "string", 'The unit of its figures ("%", "days", "number").'),
        Column(
            "period",
            "gYearMonth",
            "The month the period ends in (YYYY-MM): a quarter ending in June is 2012-06.",
            True,
        ),
        Column("period_label", "string", 'The period in words ("Quarter 1 2012/13 …").', True),
        Column("target", "decimal", "The target for the period (its own, or the year's)."),
        Column(
            "actual",
            "decimal",
            "The figure reached in the period. Blank when it is awaited, or not yet signed off "
            "and the council publishes signed-off figures only.",
        ),
        Column("estimate", "boolean", "yes: the figure is an estimate, not yet verified."),
        Column(
            "status",
            "string",
            "The figure against its target: "
            + STATUS_WORDS
            + ". Green at or better than target; amber short of it by less than the tolerance "
            "(10% by default); red short by the tolerance or more; awaited: no figure; "
            "data-only: no target.",
            True,
        ),
        Column(
            "forecast_outturn",
            "decimal",
            "The figure forecast for the whole year, as last forecast by the period.",
        ),
        Column("forecast_status", "string", "The forecast against the year's target."),
        Column(
            "direction_since_previous_period",
            "string",
            "The figure against the period before: " + DIRECTION_WORDS + ".",
        ),
        Column(
            "direction_since_last_year",
            "string",
            "The figure against the same period last year: " + DIRECTION_WORDS + ".",
        ),
        Column(
            "signed_off",
            "boolean",
            "yes: signed off by the head of service; no: provisional, and may change.",
        ),
        Column(
            "commentary",
            "string",
            "The service's explanation of the figure (blank when marked internal).",
        ),
    ),
    primary_key=("indicator_code", "period"),
    rows=performance_rows,
    last_change=performance_last_change,
)


# Plans' actions, milestones and projects ---------------------------------------------------


def plan_rows(*, year: FinancialYear, as_at: Period) -> list[dict[str, Value]]:
    """The actions, their milestones and the projects of the year's published plans, each
    with its latest progress as at the end of the month. Nine queries."""
    plans = list(plans_public().filter(year=year).select_related("service", "year"))
    # Progress as at the month's end: updates for monitoring points up to then (an unsaved
    # point names the day; plans.progress takes every point up to it).
    at_month_end = MonitoringPoint(year=year, as_at=as_at.end_date)
    items = progress.progress_of_plans(plans, at_month_end)
    ids = [plan.pk for plan in plans]
    objectives = dict(Objective.objects.filter(plan__in=ids).values_list("pk", "title"))
    codes = dict(Priority.objects.values_list("pk", "code"))
    action_priorities = defaultdict(list)
    for action_id, priority_id in Action.priorities.through.objects.filter(
        action__plan__in=ids
    ).values_list("action_id", "priority_id"):
        action_priorities[action_id].append(codes[priority_id])
    names = public_shows_names()
    rows = []
    for plan in plans:
        for item in items[plan.pk].values():
            if item.kind == ProgressUpdate.Kind.RISK:
                continue
            row = item.row
            if item.kind == ProgressUpdate.Kind.ACTION:
                objective = objectives.get(row.objective_id, "")
                priority_codes = sorted(action_priorities[row.pk])
                owner = row.responsible_officer
            elif item.kind == ProgressUpdate.Kind.PROJECT:
                objective = ""
                priority_codes = [codes[row.priority_id]] if row.priority_id else []
                owner = row.accountable_manager
            else:
                objective, priority_codes, owner = "", [], ""
            latest = item.latest
            rows.append(
                {
                    "service_code": plan.service.code,
                    "service_name": plan.service.name,
                    "financial_year": plan.year.label,
                    "plan_version": plan.version,
                    "reference": item.reference,
                    "kind": item.kind,
                    "parent_reference": item.parent or None,
                    "title": item.title,
                    "objective": objective,
                    "priorities": "; ".join(priority_codes),
                    "owner": owner if names else "",
                    "target_date": item.due,
                    "status": item.status,
                    "percent_complete": item.percent_complete,
                    "overdue": item.overdue,
                    "progress_as_at": latest.point.as_at if latest else None,
                    "commentary": public_commentary(
                        latest.commentary, internal=latest.commentary_internal
                    )
                    if latest
                    else "",
                }
            )
    rows.sort(key=lambda row: (row["service_code"], row["reference"]))
    return rows


def plans_last_change(*, year: FinancialYear, as_at: Period) -> datetime.datetime | None:
    """The latest of: a plan published, a progress update of the dataset recorded. Two
    queries."""
    services = services_public(year)
    updates = ProgressUpdate.objects.filter(
        service__in=services, point__year=year, point__as_at__lte=as_at.end_date
    ).exclude(kind=ProgressUpdate.Kind.RISK)
    return _latest(updates.aggregate(last=Max("at"))["last"], _published(year))


PROGRESS_WORDS = _words(ProgressUpdate.Status)

PLANS = Dataset(
    slug="plans",
    title="Service plans' actions and projects",
    description=(
        "The actions (with their milestones) and the high-risk, high-profile or high-impact "
        "projects of the year's published service plans, each with its latest progress as "
        "at the end of the month."
    ),
    columns=(
        Column("service_code", "string", "The service's short code.", required=True),
        Column("service_name", "string", "The service whose plan it is.", True),
        Column("financial_year", "string", 'The plan\'s financial year ("2012/13").', True),
        Column("plan_version", "integer", "The published version of the plan.", True),
        Column(
            "reference",
            "string",
            'The item\'s stable reference, kept across years ("LIC-A03"; a milestone "LIC-A03.1").',
            True,
        ),
        Column("kind", "string", '"action", "milestone" or "project".', True),
        Column("parent_reference", "string", "A milestone's action."),
        Column("title", "string", "What will be done.", True),
        Column("objective", "string", "The plan objective an action delivers."),
        Column(
            "priorities",
            "string",
            "Codes of the corporate priorities it contributes to, separated by semicolons.",
        ),
        Column(
            "owner",
            "string",
            "The officer responsible (blank unless the council publishes officers' names).",
        ),
        Column("target_date", "date", "The date it is due (YYYY-MM-DD)."),
        Column(
            "status",
            "string",
            "Its latest progress (or, before any, what the plan says): " + PROGRESS_WORDS + ".",
            True,
        ),
        Column("percent_complete", "integer", "How complete it is, 0 to 100."),
        Column(
            "overdue",
            "boolean",
            "yes: past its target date at the end of the month and neither completed nor "
            "cancelled.",
            True,
        ),
        Column(
            "progress_as_at",
            "date",
            "The day the latest progress reports as at (a monitoring point); blank before any.",
        ),
        Column(
            "commentary",
            "string",
            "The service's commentary on its progress (blank when marked internal).",
        ),
    ),
    primary_key=("reference",),
    rows=plan_rows,
    last_change=plans_last_change,
)


# Budgets, staffing and savings -------------------------------------------------------------

TABLES = (("staffing", "staffing"), ("budget", "budget"), ("savings", "savings"))


def budget_rows(*, year: FinancialYear, as_at: Period) -> list[dict[str, Value]]:
    """The staff, budget and savings tables of each head of service with a published plan for
    the year, as the committee summary prints them, one figure a row, with their totals.
    Six queries."""
    heads = HeadOfService.objects.filter(services__in=services_public(year)).distinct()
    rows = []
    for portfolio in portfolio_tables(heads_of_service=heads.order_by("name"), year=year):
        for name, attribute in TABLES:
            table: FigureTable = getattr(portfolio, attribute)
            for row in (*table.rows, table.total):
                for column, cell in zip(table.columns, row.cells, strict=True):
                    rows.append(
                        {
                            "table": name,
                            "head_of_service": portfolio.head_of_service.name,
                            "line": row.label,
                            "line_kind": _line_kind(row),
                            "services": "; ".join(service.name for service in row.services),
                            "column": column.label,
                            "first_year": FinancialYear(start_year=column.first_year).label,
                            "last_year": FinancialYear(start_year=column.last_year).label,
                            "unit": table.unit or "FTE",
                            "value": None if cell.is_empty else Number(cell.value),
                            "forecast": cell.is_forecast,
                        }
                    )
    # In order already: heads of service by name, then each table's lines as printed (the
    # total last) and its columns from left to right.
    return rows


def _line_kind(row) -> str:
    if row.is_total:
        return "total"
    return "reporting line" if row.reporting_line_id else "service"


def budgets_last_change(*, year: FinancialYear, as_at: Period) -> datetime.datetime | None:
    """Budget figures record no time of change: the tables are as of the plans' publication.
    One query."""
    return _published(year)


BUDGETS = Dataset(
    slug="budgets",
    title="Budgets, staffing and savings",
    description=(
        "Each head of service's staffing (full-time equivalents), net budget and savings plan "
        "(£000) over several years, as the committee summary of service plans prints them, "
        "one figure a row, with each table's totals."
    ),
    columns=(
        Column("table", "string", '"staffing", "budget" or "savings".', required=True),
        Column("head_of_service", "string", "The portfolio the table is for.", True),
        Column(
            "line",
            "string",
            'A service, a reporting line covering several services, or "TOTAL" for the '
            "table's total.",
            True,
        ),
        Column("line_kind", "string", '"service", "reporting line" or "total".', True),
        Column("services", "string", "The services a line covers, separated by semicolons."),
        Column("column", "string", 'The column as printed ("Budget 2012/13").', True),
        Column("first_year", "string", "The first financial year the figure covers.", True),
        Column(
            "last_year",
            "string",
            "The last financial year it covers (savings can span several years).",
            True,
        ),
        Column("unit", "string", '"£000" for money, "FTE" for staff.', True),
        Column(
            "value",
            "decimal",
            "The figure; negative money is net income. Blank: no figure (not zero). Totals "
            "are added up from the lines.",
        ),
        Column("forecast", "boolean", "yes: a forecast rather than an approved figure.", True),
    ),
    primary_key=("table", "head_of_service", "line", "column"),
    rows=budget_rows,
    last_change=budgets_last_change,
)


DATASETS: dict[str, Dataset] = {dataset.slug: dataset for dataset in (PERFORMANCE, PLANS, BUDGETS)}


MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def month_of(year: FinancialYear, text: str, *, today: datetime.date) -> Period:
    """The month "2012-10" of the year, which has ended by today; ValueError says what is
    wrong otherwise."""
    try:
        as_at = periods.Period(*map(int, text.split("-"))) if MONTH.fullmatch(text) else None
    except ValueError:
        as_at = None
    if as_at is None:
        raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, for example 2012-10.")
    if as_at.financial_year != year.start_year:
        raise ValueError(
            f"{as_at.month_label} is not in {year.label}, which runs from April "
            f"{year.start_year} to March {year.start_year + 1}."
        )
    if as_at.end_date > today:
        raise ValueError(
            f"{as_at.month_label} has not ended yet: data is published for past months."
        )
    return as_at


def months_published(year: FinancialYear, *, today: datetime.date) -> list[Period]:
    """The months of the year with data to download: those that have ended."""
    return [month for month in periods.months_of_year(year.start_year) if month.end_date <= today]
