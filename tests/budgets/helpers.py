"""Files and snapshots for the budgets import tests."""

import pytest

from budgets.models import Budget, BudgetRisk, ReportingLineService, Saving, Staffing
from spreadsheets.reader import ImportRejected, RowError
from tests.helpers import csv_bytes, xlsx_bytes  # noqa: F401  (the budgets tests import them from here)


def snapshot() -> tuple:
    """Everything the budgets imports can write, in a comparable form."""
    return (
        sorted(ReportingLineService.objects.values_list("reporting_line__name", "service__name")),
        sorted(
            Budget.objects.values_list(
                "service__name",
                "reporting_line__name",
                "year__start_year",
                "net_budget",
                "gross_expenditure",
                "income",
                "is_forecast",
            ),
            key=str,
        ),
        sorted(
            Staffing.objects.values_list(
                "service__name", "reporting_line__name", "year__start_year", "fte"
            ),
            key=str,
        ),
        sorted(
            Saving.objects.values_list(
                "service__name",
                "reporting_line__name",
                "first_year",
                "last_year",
                "amount",
                "description",
                "status",
            ),
            key=str,
        ),
        list(
            BudgetRisk.objects.values_list(
                "head_of_service__name", "year__start_year", "position", "title", "text"
            )
        ),
    )


def rejected(importer, content: bytes, filename: str = "file.csv") -> list[RowError]:
    with pytest.raises(ImportRejected) as refusal:
        importer(content=content, filename=filename)
    return refusal.value.errors


def where(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in errors]
