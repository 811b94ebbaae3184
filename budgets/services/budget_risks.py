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
    NoneOrSome,
)
from organisation import content_versions
from organisation.models import FinancialYear, HeadOfService
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import


@dataclass(frozen=True)
class _RiskRow:
    row: int
    head: HeadOfService
    year: FinancialYear
    title: str
    text: str  # "" says the head of service has no significant budget risks this year


def import_budget_risks(*, content: bytes, filename: str) -> ImportResult:
    """Replace the budget risks of each head of service and year in the file."""
    table = read_import(content, filename=filename, required=BUDGET_RISK_COLUMNS)
    with transaction.atomic():
        lookups = Lookups.load()
        rows = _validate_risks(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_risks(rows, result)
        # A plan page shows its service's resources, a reporting line's too.
        content_versions.council_content_changed()
    return result


def _validate_risks(raw_rows, lookups: Lookups) -> list[_RiskRow]:
    problems = Problems()
    rows: list[_RiskRow] = []
    seen: dict[tuple, int] = {}
    none_or_some = NoneOrSome("text")
    for number, cells in raw_rows:
        found = len(problems)
        head = problems.read(number, "head_of_service", lookups.head, cells["head_of_service"])
        year = problems.read(number, "year", lookups.year, cells["year"])
        title, text = cells.get("title", ""), cells["text"]
        problems.check_length(number, "title", title, TITLE_LIMIT)
        if title and not text:
            problems.add(number, "text", f"describe the risk titled {title!r}.")
        if head is not None and year is not None:
            group = (head.pk, year.pk)
            none_or_some.check(problems, number, group, says_none=not text and not title)
            key = (*group, title.casefold(), text)
            if key in seen:
                problems.add(number, "text", f"repeats row {seen[key]}.")
            seen.setdefault(key, number)
        if len(problems) == found:
            rows.append(_RiskRow(number, head, year, title, text))
    problems.raise_if_any(len(rows), "budget risks")
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
