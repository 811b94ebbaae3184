"""The budget risks import: columns head_of_service, year, text and optionally title."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from budgets.models import BudgetRisk
from budgets.services.common import (
    BUDGET_RISK_COLUMNS,
    TITLE_LIMIT,
    ImportResult,
    Lookups,
    check,
    none_beside,
    read_file,
)
from organisation.models import FinancialYear, HeadOfService
from spreadsheets.reader import ImportRejected, RowError


@dataclass(frozen=True)
class _RiskRow:
    row: int
    head: HeadOfService
    year: FinancialYear
    title: str
    text: str  # "" says the head of service has no significant budget risks this year


def import_budget_risks(*, content: bytes, filename: str) -> ImportResult:
    """Replace the budget risks of each head of service and year in the file."""
    table = read_file(content, filename, BUDGET_RISK_COLUMNS)
    with transaction.atomic():
        lookups = Lookups.load()
        rows = _validate_risks(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_risks(rows, result)
    return result


def _validate_risks(raw_rows, lookups: Lookups) -> list[_RiskRow]:
    errors: list[RowError] = []
    rows: list[_RiskRow] = []
    seen: dict[tuple, int] = {}
    none_rows: dict[tuple, int] = {}
    risk_rows: dict[tuple, int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        head = check(row_errors, number, "head_of_service", lookups.head, cells["head_of_service"])
        year = check(row_errors, number, "year", lookups.year, cells["year"])
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
                        none_beside(number, "text", none_row=number, other_row=risk_rows[group])
                    )
                none_rows.setdefault(group, number)
            else:
                if group in none_rows:
                    row_errors.append(
                        none_beside(number, "text", none_row=none_rows[group], other_row=number)
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
