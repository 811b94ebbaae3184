"""The savings import: columns service, period, amount, description, status."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from budgets.models import ReportingLine, Saving
from budgets.services.common import (
    DESCRIPTION_LIMIT,
    SAVING_COLUMNS,
    SAVING_STATUS,
    Claim,
    HolderKey,
    ImportResult,
    Lookups,
    NoneOrSome,
    clashes,
    holder_fields,
    holder_key,
    key_of,
    money,
    saving_clash,
    span_label,
    upsert,
)
from organisation import content_versions
from organisation.models import FinancialYear, Service
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import


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
        return (holder_key(self.holder), self.first_year.start_year, self.last_year.start_year)

    @property
    def says_none(self) -> bool:
        return self.amount is None


def import_savings(*, content: bytes, filename: str) -> ImportResult:
    """Create, update or remove savings: the file lists every saving of each service and period
    it names. A row with only a service and a period says it has no savings for that period."""
    table = read_import(content, filename=filename, required=SAVING_COLUMNS)
    with transaction.atomic():
        lookups = Lookups.load()
        rows = _validate_savings(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_savings(rows, result)
        # A plan page shows its service's resources, a reporting line's too.
        content_versions.council_content_changed()
    return result


def _validate_savings(raw_rows, lookups: Lookups) -> list[_SavingRow]:
    problems = Problems()
    rows: list[_SavingRow] = []
    seen: dict[tuple, int] = {}
    none_or_some = NoneOrSome("amount")
    for number, cells in raw_rows:
        found = len(problems)
        holder = problems.read(number, "service", lookups.holder, cells["service"])
        period = problems.read(number, "period", lookups.period, cells["period"])
        says_none = not (cells["amount"] or cells["description"] or cells["status"])
        saved = description = status = None
        if not says_none:
            saved, description, status = _saving_values(problems, number, cells)
        if holder is not None and period is not None:
            group = (holder_key(holder), period[0].start_year, period[1].start_year)
            none_or_some.check(problems, number, group, says_none=says_none)
            key = (*group, (description or "").casefold())
            if key in seen:
                problems.add(
                    number,
                    "amount" if says_none else "description",
                    f"repeats row {seen[key]}: the same service, period and description.",
                )
            seen.setdefault(key, number)
        if len(problems) == found:
            rows.append(_SavingRow(number, holder, *period, saved, description or "", status or ""))
    # Checked on the good rows even when others are bad, so that every problem is listed at once.
    _saving_overlaps(problems, rows, lookups)
    problems.raise_if_any(len(rows), "savings")
    return rows


def _saving_values(problems: Problems, number: int, cells: dict) -> tuple:
    saved = problems.read(number, "amount", money, cells["amount"])
    if not cells["amount"]:
        problems.add(number, "amount", "an amount (£000) is required.")
    description = cells["description"]
    if not description:
        problems.add(number, "description", "say what the saving is.")
    else:
        problems.check_length(number, "description", description, DESCRIPTION_LIMIT)
    status = None
    if not cells["status"]:
        problems.add(number, "status", f"a status is required; {SAVING_STATUS.hint}.")
    else:
        status = problems.read(number, "status", SAVING_STATUS, cells["status"])
    return saved, description, status


def _saving_overlaps(problems: Problems, rows: list[_SavingRow], lookups: Lookups) -> None:
    groups = {row.group for row in rows}  # the file replaces these periods' savings
    claims = [
        Claim(row.group[0], row.group[1], row.group[2], row.row, row.description)
        for row in rows
        if not row.says_none
    ]
    services = set().union(*(lookups.covers(row.group[0]) for row in rows))
    lines = {lookups.line_of[s] for s in services if s in lookups.line_of}
    recorded = Saving.objects.filter(Q(service_id__in=services) | Q(reporting_line_id__in=lines))
    for saving in recorded:
        group = (key_of(saving), saving.first_year_id, saving.last_year_id)
        if group not in groups:  # savings of a period in the file are replaced by the file's
            claims.append(Claim(*group, row=None, what=saving.description))
    for claim, other in clashes(claims, lookups.covers, saving_clash).items():
        problems.add(
            claim.row,
            "period",
            f"{span_label(claim)} overlaps the saving {other.what!r} of "
            f"{lookups.name_of(other.key)!r} for {span_label(other)} ({other.where()}). "
            "A service's savings for a year are either part of one span of years or on "
            "their own, so that no year is counted twice.",
        )


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
        recorded[(key_of(saving), saving.first_year_id, saving.last_year_id)].append(saving)
    for group, group_rows in by_group.items():
        existing = {saving.description.casefold(): saving for saving in recorded[group]}
        for row in group_rows:
            if row.says_none:
                continue
            saving = existing.pop(row.description.casefold(), None)
            identity = {
                **holder_fields(row.holder),
                "first_year": row.first_year,
                "last_year": row.last_year,
            }
            values = {"amount": row.amount, "description": row.description, "status": row.status}
            upsert(Saving, saving, identity, values, result)
        for saving in existing.values():
            saving.delete()
            result.removed[kind] += 1
