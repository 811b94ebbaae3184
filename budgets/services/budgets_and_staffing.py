"""The budgets import: net budgets and staff FTEs, columns service, year, net_budget,
gross_expenditure, income, fte, forecast."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from budgets.models import Budget, ReportingLine, Staffing
from budgets.services.common import (
    BUDGET_COLUMNS,
    Claim,
    HolderKey,
    ImportResult,
    Lookups,
    amount,
    budget_clash,
    clashes,
    fte,
    holder_fields,
    holder_key,
    key_of,
    money,
    upsert,
)
from organisation import content_versions
from organisation.models import FinancialYear, Service
from spreadsheets.cells import yes_no
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import


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
    table = read_import(content, filename=filename, required=BUDGET_COLUMNS)
    with transaction.atomic():
        lookups = Lookups.load()
        rows = _validate_budgets(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_budgets(rows, result)
        # A plan page shows its service's resources, a reporting line's too.
        content_versions.council_content_changed()
    return result


def _validate_budgets(raw_rows, lookups: Lookups) -> list[_BudgetRow]:
    problems = Problems()
    rows: list[_BudgetRow] = []
    seen: dict[tuple[HolderKey, int], int] = {}
    for number, cells in raw_rows:
        found = len(problems)
        holder = problems.read(number, "service", lookups.holder, cells["service"])
        year = problems.read(number, "year", lookups.year, cells["year"])
        net = problems.read(number, "net_budget", money, cells["net_budget"])
        gross = problems.read(number, "gross_expenditure", amount, cells["gross_expenditure"])
        income = problems.read(number, "income", amount, cells["income"])
        staff = problems.read(number, "fte", fte, cells["fte"])
        is_forecast = problems.read(number, "forecast", yes_no, cells["forecast"])
        if len(problems) == found:
            _budget_row_sense(problems, number, cells, net, gross, income, staff, is_forecast)
        if holder is not None and year is not None:
            key = (holder_key(holder), year.start_year)
            if key in seen:
                problems.add(
                    number,
                    "service",
                    f"{holder.name!r} for {year} is already given on row {seen[key]}.",
                )
            seen.setdefault(key, number)
        if len(problems) == found:
            rows.append(
                _BudgetRow(number, holder, year, net, gross, income, bool(is_forecast), staff)
            )
    _budget_double_counts(problems, rows, lookups)
    problems.raise_if_any(len(rows), "budgets")
    return rows


def _budget_row_sense(problems: Problems, number, cells, net, gross, income, staff, is_forecast):
    found = len(problems)
    if net is None:
        for column, value in (("gross_expenditure", gross), ("income", income)):
            if value is not None:
                problems.add(number, column, "given without a net_budget.")
        if is_forecast:
            problems.add(number, "forecast", "given without a net_budget.")
        if staff is None and len(problems) == found:
            problems.add(number, "net_budget", "the row has no net_budget and no fte; give one.")
    elif gross is not None and income is not None and gross - income != net:
        problems.add(
            number,
            "net_budget",
            f"{cells['net_budget']} is not gross_expenditure less income "
            f"({gross} - {income} = {gross - income}).",
        )


def _budget_double_counts(problems: Problems, rows: list[_BudgetRow], lookups: Lookups) -> None:
    years = {row.year.pk for row in rows}
    for model, what, attribute in ((Budget, "budget", "net_budget"), (Staffing, "staffing", "fte")):
        in_file = [row for row in rows if getattr(row, attribute) is not None]
        replaced = {(holder_key(row.holder), row.year.start_year) for row in in_file}
        claims = [
            Claim(holder_key(row.holder), row.year.start_year, row.year.start_year, row.row)
            for row in in_file
        ]
        for figure in model.objects.filter(year_id__in=years).select_related("year"):
            key = (key_of(figure), figure.year.start_year)
            if key not in replaced:
                claims.append(Claim(key[0], key[1], key[1], row=None))
        for claim, other in clashes(claims, lookups.covers, budget_clash).items():
            shared = sorted(
                lookups.service_names[s]
                for s in lookups.covers(claim.key) & lookups.covers(other.key)
            )
            year = FinancialYear(start_year=claim.first_year).label
            problems.add(
                claim.row,
                "service",
                f"the {year} {what} of {shared[0]!r} would be counted twice: "
                f"{lookups.name_of(other.key)!r} has one covering it too ({other.where()}). "
                f"A service's {what} is recorded on the service or on its reporting line, "
                "not both.",
            )


def _write_budgets(rows: list[_BudgetRow], result: ImportResult) -> None:
    years = {row.year.pk for row in rows}
    budgets = {
        (key_of(budget), budget.year_id): budget
        for budget in Budget.objects.filter(year_id__in=years)
    }
    staffing = {
        (key_of(item), item.year_id): item for item in Staffing.objects.filter(year_id__in=years)
    }
    for row in rows:
        key = (holder_key(row.holder), row.year.pk)
        if row.net_budget is not None:
            upsert(
                Budget,
                budgets.get(key),
                {**holder_fields(row.holder), "year": row.year},
                {
                    "net_budget": row.net_budget,
                    "gross_expenditure": row.gross_expenditure,
                    "income": row.income,
                    "is_forecast": row.is_forecast,
                },
                result,
            )
        if row.fte is not None:
            upsert(
                Staffing,
                staffing.get(key),
                {**holder_fields(row.holder), "year": row.year},
                {"fte": row.fte},
                result,
            )
