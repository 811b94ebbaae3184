"""The rows of the performance pages' downloads: the tables the pages show, one row a line,
statuses and directions as words, figures as numbers at the indicator's decimal places."""

from collections.abc import Iterable, Sequence

from organisation.models import FinancialYear
from performance.periods import Period
from performance.selectors import HeadOfServiceSummary, IndicatorStatus, StatusCounts
from spreadsheets.writer import Cell, Number

OVERVIEW_COLUMNS = (
    "Head of service",
    "Service",
    "Green",
    "Amber",
    "Red",
    "Without data",
    "Overall performance",
    "Provisional figures",
)
STATUS_COLUMNS = (
    "Code",
    "Indicator",
    "Service",
    "Unit",
    "Period",
    "Target",
    "Actual",
    "Estimate",
    "Provisional",
    "Status",
    "Forecast for the year",
    "Forecast status",
    "Compared with last period",
    "Compared with last year",
    "Commentary",
)
TOTAL = "All services"


def overview_rows(summaries: Iterable[HeadOfServiceSummary]) -> list[Sequence[Cell]]:
    """Each service's counts, then its head of service's totals (the table's footer)."""
    rows: list[Sequence[Cell]] = []
    for summary in summaries:
        head = str(summary.head_of_service)
        for service in summary.services:
            rows.append((head, service.service.name, *_counts(service.counts), service.provisional))
        provisional = sum(service.provisional for service in summary.services)
        rows.append((head, TOTAL, *_counts(summary.counts), provisional))
    return rows


def _counts(counts: StatusCounts) -> tuple[Cell, ...]:
    overall = counts.overall
    return (counts.green, counts.amber, counts.red, counts.without_data, _word(overall))


def status_rows(statuses: Iterable[IndicatorStatus]) -> list[Sequence[Cell]]:
    return [_status_row(status) for status in statuses]


def _status_row(status: IndicatorStatus) -> Sequence[Cell]:
    indicator = status.indicator
    places = indicator.decimal_places

    def number(value) -> Number | None:
        return None if value is None else Number(value, places)

    return (
        indicator.code,
        indicator.title,
        indicator.service.name,
        indicator.unit,
        status.period_label,
        number(status.target),
        number(status.value),
        status.state == "estimate",
        status.provisional,
        _word(status.rag),
        number(status.forecast),
        _word(status.forecast_rag),
        _word(status.direction_previous),
        _word(status.direction_last_year),
        status.commentary,
    )


def _word(choice) -> str:
    """A status or direction as the page says it ("Green", "No change"); blank for none."""
    return choice.label if choice else ""


def filename(what: str, year: FinancialYear | None, as_at: Period | None) -> str:
    """ "performance-overview-2012-13-2012-08": the page, its year and its month."""
    parts = [what]
    if year is not None:
        parts.append(year.label.replace("/", "-"))
    if as_at is not None:
        parts.append(as_at.name)
    return "-".join(parts)
