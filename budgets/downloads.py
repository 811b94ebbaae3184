"""A budgets table (staffing, budget, savings plan) as the rows of a download: the rows and the
total the page shows, figures as numbers in the table's unit."""

from collections.abc import Sequence

from budgets.selectors import FigureTable, Row
from spreadsheets.writer import Cell, Number


def figure_table_columns(table: FigureTable) -> tuple[str, ...]:
    """ "Service", then each column as headed on the page, with the unit: "Budget 2012/13
    (£000)"."""
    unit = f" ({table.unit})" if table.unit else ""
    return ("Service", *(f"{column.label}{unit}" for column in table.columns))


def figure_table_rows(table: FigureTable) -> list[Sequence[Cell]]:
    return [_row(row) for row in (*table.rows, table.total)]


def _row(row: Row) -> Sequence[Cell]:
    return (row.label, *(None if cell.is_empty else Number(cell.value) for cell in row.cells))
