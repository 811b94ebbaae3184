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
    Claim,
    HolderKey,
    ImportResult,
    Lookups,
    check,
    clashes,
    holder_fields,
    holder_key,
    key_of,
    none_beside,
    parse_money,
    parse_status,
    read_file,
    saving_clash,
    span_label,
    upsert,
)
from organisation.models import FinancialYear, Service
from spreadsheets.reader import ImportRejected, RowError


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
    table = read_file(content, filename, SAVING_COLUMNS)
    with transaction.atomic():
        lookups = Lookups.load()
        rows = _validate_savings(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_savings(rows, result)
    return result


def _validate_savings(raw_rows, lookups: Lookups) -> list[_SavingRow]:
    errors: list[RowError] = []
    rows: list[_SavingRow] = []
    seen: dict[tuple, int] = {}
    none_rows: dict[tuple, int] = {}
    saving_rows: dict[tuple, int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        holder = check(row_errors, number, "service", lookups.holder, cells["service"])
        period = check(row_errors, number, "period", lookups.period, cells["period"])
        says_none = not (cells["amount"] or cells["description"] or cells["status"])
        amount = description = status = None
        if not says_none:
            amount, description, status = _saving_values(number, cells, row_errors)
        if holder is not None and period is not None:
            group = (holder_key(holder), period[0].start_year, period[1].start_year)
            if says_none:
                if group in saving_rows:
                    row_errors.append(
                        none_beside(number, "amount", none_row=number, other_row=saving_rows[group])
                    )
                none_rows.setdefault(group, number)
            else:
                if group in none_rows:
                    row_errors.append(
                        none_beside(number, "amount", none_row=none_rows[group], other_row=number)
                    )
                saving_rows.setdefault(group, number)
            key = (*group, (description or "").casefold())
            if key in seen:
                column = "amount" if says_none else "description"
                row_errors.append(
                    RowError(
                        number,
                        column,
                        f"repeats row {seen[key]}: the same service, period and description.",
                    )
                )
            seen.setdefault(key, number)
        errors += row_errors
        if not row_errors:
            rows.append(
                _SavingRow(number, holder, *period, amount, description or "", status or "")
            )
    # Checked on the good rows even when others are bad, so that every problem is listed at once.
    errors += _saving_overlaps(rows, lookups)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "", "the file has a header but no savings.")])
    return rows


def _saving_values(number: int, cells: dict, errors: list[RowError]) -> tuple:
    amount = check(errors, number, "amount", parse_money, cells["amount"])
    if not cells["amount"]:
        errors.append(RowError(number, "amount", "an amount (£000) is required."))
    description = cells["description"]
    if not description:
        errors.append(RowError(number, "description", "say what the saving is."))
    elif len(description) > DESCRIPTION_LIMIT:
        errors.append(
            RowError(number, "description", f"longer than {DESCRIPTION_LIMIT} characters.")
        )
    status = None
    if not cells["status"]:
        allowed = ", ".join(status.label.lower() for status in Saving.Status)
        errors.append(RowError(number, "status", f"a status is required: one of {allowed}."))
    else:
        status = check(errors, number, "status", parse_status, cells["status"])
    return amount, description, status


def _saving_overlaps(rows: list[_SavingRow], lookups: Lookups) -> list[RowError]:
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
    errors = []
    for claim, other in clashes(claims, lookups.covers, saving_clash).items():
        errors.append(
            RowError(
                claim.row,
                "period",
                f"{span_label(claim)} overlaps the saving {other.what!r} of "
                f"{lookups.name_of(other.key)!r} for {span_label(other)} ({other.where()}). "
                "A service's savings for a year are either part of one span of years or on "
                "their own, so that no year is counted twice.",
            )
        )
    return errors


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
