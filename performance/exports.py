"""Exports of indicator status, as CSV or XLSX: one row per indicator as at a month.

Columns: code, title, service, head_of_service, period_end, target, actual, rag, forecast,
forecast_rag, direction, commentary.

- period_end: the period the figure is for ("2012-06" for a quarterly indicator in August);
  blank when no period has ended yet this year (rag "not-due").
- rag and forecast_rag: green, amber, red, awaited, data-only, not-due. forecast_rag is blank
  when no forecast outturn has been given.
- direction: improving, no-change or worse against the same period last year, which allows
  for seasons (sickness in winter, planning applications in spring); blank when there is no
  figure for one of the two periods.
- target, actual and forecast are numbers at the indicator's decimal places.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from organisation.models import FinancialYear, Service
from performance.periods import Period
from performance.selectors import IndicatorStatus, indicator_statuses
from spreadsheets.writer import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Number, write_csv, write_xlsx

COLUMNS = (
    "code",
    "title",
    "service",
    "head_of_service",
    "period_end",
    "target",
    "actual",
    "rag",
    "forecast",
    "forecast_rag",
    "direction",
    "commentary",
)
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def status_row(status: IndicatorStatus) -> list:
    indicator = status.indicator
    places = indicator.decimal_places

    def number(value):
        return None if value is None else Number(value, places)

    return [
        indicator.code,
        indicator.title,
        indicator.service.name,
        indicator.service.head_of_service.name,
        status.period.name if status.period else "",
        number(status.target),
        number(status.value),
        status.rag.value,
        number(status.forecast),
        status.forecast_rag.value if status.forecast_rag else "",
        status.direction_last_year.value if status.direction_last_year else "",
        status.commentary,
    ]


class IndicatorStatusExporter:
    identifier = "indicator-status"
    verbose_name = "Indicator status (CSV or XLSX)"

    def render(
        self,
        *,
        year: FinancialYear,
        as_at: Period,
        file_format: str = "csv",
        services: Iterable[Service] | None = None,
        corporate_only: bool = False,
    ) -> ExportFile:
        if file_format not in FORMATS:
            raise ValueError(f"{file_format!r} is not an export format; use csv or xlsx.")
        statuses = indicator_statuses(
            year=year, as_at=as_at, services=services, corporate_only=corporate_only
        )
        rows = [status_row(status) for status in statuses]
        filename = f"indicator-status-{as_at.name}.{file_format}"
        if file_format == "csv":
            return ExportFile(filename, CSV_CONTENT_TYPE, write_csv(COLUMNS, rows))
        title = f"Indicators at {as_at.month_label}"
        return ExportFile(filename, XLSX_CONTENT_TYPE, write_xlsx(COLUMNS, rows, sheet_title=title))
