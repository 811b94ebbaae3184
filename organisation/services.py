"""Writes to the organisation and plans. Every write is a function here, inside a transaction."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from organisation import content_versions, council, reporting_calendar, years
from organisation.models import (
    Committee,
    CommitteeReview,
    CouncilSettings,
    Directorate,
    FinancialYear,
    HeadOfService,
    Service,
)
from security.audit import audit
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import
from spreadsheets.results import ImportResult

STRUCTURE_COLUMNS = ("directorate", "head_of_service", "service", "shared_with", "committees")
NAME_LIMIT = 120
SCOPE_LIMIT = 200


# --- Financial years ---------------------------------------------------------------------------


def create_next_year() -> FinancialYear:
    """The year after the latest one (the year after the current calendar year's, in an empty
    database), with the council's usual monitoring points. It is not made current."""
    with transaction.atomic():
        latest = FinancialYear.objects.select_for_update().order_by("-start_year").first()
        if latest is not None:
            start_year = latest.start_year + 1
        else:
            start_year = years.start_year_of(timezone.localdate())
        year = FinancialYear(start_year=start_year)
        year.full_clean()
        year.save()
        reporting_calendar.set_up_usual_points(year)
    return year


def make_current(*, year: FinancialYear) -> FinancialYear:
    """Make this the current year, in one step: the year that was current stops being it in
    the same transaction, so there is never none and never two."""
    with transaction.atomic():
        FinancialYear.objects.select_for_update().filter(is_current=True).exclude(
            pk=year.pk
        ).update(is_current=False)
        FinancialYear.objects.filter(pk=year.pk).update(is_current=True)
        content_versions.council_content_changed()
    year.is_current = True
    return year


def set_plan_deadlines(
    *, year: FinancialYear, plans_due: datetime.date | None, approvals_due: datetime.date | None
) -> FinancialYear:
    """When the year's plans are due for submission and for approval (None: no deadline).
    ValidationError (from the year's clean) if approval would come before submission."""
    with transaction.atomic():
        locked = FinancialYear.objects.select_for_update().get(pk=year.pk)
        locked.plans_due, locked.approvals_due = plans_due, approvals_due
        locked.full_clean()
        locked.save(update_fields=["plans_due", "approvals_due"])
    year.plans_due, year.approvals_due = plans_due, approvals_due
    return year


@dataclass(frozen=True)
class StructureRow:
    row: int
    directorate: str
    head_of_service: str
    service: str
    shared_with: str
    committees: dict[str, str]  # committee name -> scope note ("" for the whole service)


def import_structure(*, content: bytes, filename: str) -> ImportResult:
    """Create or update directorates, heads of service, services and committee reviews.

    The file is the truth for each service it names: its head of service, partner and the
    committees that review it. Services not in the file are left alone. Any bad row rejects
    the whole file (ImportRejected lists every problem) and nothing is written.
    """
    table = read_import(content, filename=filename, required=STRUCTURE_COLUMNS)
    rows = _validate_structure(table.rows)
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        for row in rows:
            _write_structure_row(row, result)
        content_versions.council_content_changed()  # names of services and heads of service
    return result


def _validate_structure(raw_rows: list[tuple[int, dict[str, str]]]) -> list[StructureRow]:
    problems = Problems()
    rows: list[StructureRow] = []
    service_rows: dict[str, int] = {}
    directorate_of: dict[str, tuple[str, int]] = {}
    for number, cells in raw_rows:
        found = len(problems)
        for column in ("directorate", "head_of_service", "service"):
            problems.check_length(number, column, cells[column], NAME_LIMIT)
        problems.check_length(number, "shared_with", cells["shared_with"], SCOPE_LIMIT)
        if not cells["service"]:
            problems.add(number, "service", "a service name is required.")
        if not cells["head_of_service"]:
            problems.add(number, "head_of_service", "a head of service is required.")
        service_key = cells["service"].casefold()
        if service_key and service_key in service_rows:
            problems.add(
                number,
                "service",
                f"{cells['service']!r} is already listed on row {service_rows[service_key]}.",
            )
        service_rows.setdefault(service_key, number)
        head_key = cells["head_of_service"].casefold()
        if head_key in directorate_of:
            earlier, earlier_row = directorate_of[head_key]
            if earlier.casefold() != cells["directorate"].casefold():
                problems.add(
                    number,
                    "directorate",
                    f"{cells['head_of_service']!r} is under {earlier or 'no directorate'!r}"
                    f" on row {earlier_row}; a head of service has one directorate.",
                )
        else:
            directorate_of[head_key] = (cells["directorate"], number)
        committees = _parse_committees(problems, number, cells["committees"])
        if len(problems) == found:
            rows.append(
                StructureRow(
                    row=number,
                    directorate=cells["directorate"],
                    head_of_service=cells["head_of_service"],
                    service=cells["service"],
                    shared_with=cells["shared_with"],
                    committees=committees,
                )
            )
    problems.raise_if_any(len(rows), "services")
    return rows


def _parse_committees(problems: Problems, number: int, text: str) -> dict[str, str]:
    """ "Environment: Street Cleaning; Services" -> {"Environment": "Street Cleaning", ...}"""
    committees: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        name, _, scope = (part.strip() for part in item.partition(":"))
        if not name:
            problems.add(number, "committees", f"{item!r} has no committee name.")
        elif len(name) > NAME_LIMIT or len(scope) > SCOPE_LIMIT:
            problems.add(number, "committees", f"{item!r} is too long.")
        elif name.casefold() in (known.casefold() for known in committees):
            problems.add(number, "committees", f"{name!r} is listed twice.")
        else:
            committees[name] = scope
    return committees


def _write_structure_row(row: StructureRow, result: ImportResult) -> None:
    directorate = None
    if row.directorate:
        directorate = _get_or_create_named(Directorate, row.directorate, result)
    head = _get_or_create_named(HeadOfService, row.head_of_service, result, directorate=directorate)
    service = _get_or_create_named(
        Service,
        row.service,
        result,
        head_of_service=head,
        is_shared=bool(row.shared_with),
        shared_with=row.shared_with,
    )
    wanted = {
        _get_or_create_named(Committee, name, result, only_when_created=True).pk: scope
        for name, scope in row.committees.items()
    }
    _sync_reviews(service, wanted, result)


def _get_or_create_named(
    model: type[models.Model],
    name: str,
    result: ImportResult,
    *,
    only_when_created: bool = False,
    **values,
) -> models.Model:
    """Find a row by name, ignoring case, or create it; bring `values` up to date."""
    kind = model._meta.verbose_name_plural
    instance = model.objects.filter(name__iexact=name).first()
    if instance is None:
        if model is Committee:
            values.setdefault("kind", _committee_kind(name))
            values.setdefault("position", Committee.objects.count() + 1)
        result.created[kind] += 1
        return model.objects.create(name=name, **values)
    if only_when_created:
        return instance
    stale = {key: value for key, value in values.items() if getattr(instance, key) != value}
    if stale:
        result.note_changes(kind, instance, stale, instance)
        for key, value in stale.items():
            setattr(instance, key, value)
        instance.save(update_fields=list(stale))
        result.changed[kind] += 1
    return instance


def _committee_kind(name: str) -> str:
    lowered = name.casefold()
    if "cabinet" in lowered or "executive" in lowered:
        return Committee.Kind.CABINET
    if lowered in ("council", "full council"):
        return Committee.Kind.COUNCIL
    if "select" in lowered or "scrutiny" in lowered:
        return Committee.Kind.SELECT
    return Committee.Kind.OTHER


def _sync_reviews(service: Service, wanted: dict[int, str], result: ImportResult) -> None:
    kind = CommitteeReview._meta.verbose_name_plural
    existing = {review.committee_id: review for review in service.reviews.all()}
    for committee_id, review in existing.items():
        if committee_id not in wanted:
            review.delete()
            result.removed[kind] += 1
        elif review.scope_note != wanted[committee_id]:
            review.scope_note = wanted[committee_id]
            review.save(update_fields=["scope_note"])
            result.changed[kind] += 1
    for committee_id, scope in wanted.items():
        if committee_id not in existing:
            CommitteeReview.objects.create(
                service=service, committee_id=committee_id, scope_note=scope
            )
            result.created[kind] += 1


# --- The council's settings ------------------------------------------------------------------


@dataclass(frozen=True)
class Logo:
    """An uploaded logo whose content has been checked (security.documents.image_type)."""

    content: bytes
    content_type: str


@transaction.atomic
def update_council_settings(
    *,
    values: dict[str, Any],
    logo: Logo | None = None,
    remove_logo: bool = False,
    changed_by=None,
    ip: str = "",
) -> list[str]:
    """Save the council's settings (creating the row from the environment's first values when
    there is none) and return the names of the fields that changed. Each change is in the
    security log as `council_settings_changed`, old → new (never the logo's bytes); every
    reader sees the new values from the next request of this process (organisation.council)."""
    row = CouncilSettings.objects.select_for_update().filter(pk=1).first()
    created = row is None
    if created:
        row = council.settings_for_editing()
    changes: dict[str, Any] = {}
    for field, new in values.items():
        old = getattr(row, field)
        if old != new:
            changes[field] = [old, new]
            setattr(row, field, new)
    if logo is not None:
        changes["logo"] = f"new {logo.content_type} image, {len(logo.content)} bytes"
        row.logo, row.logo_type = logo.content, logo.content_type
    elif remove_logo and row.logo_type:
        changes["logo"] = "removed"
        row.logo, row.logo_type = b"", ""
    if changes or created:
        row.save()
    if changes:
        audit(
            "council_settings_changed",
            username=changed_by.get_username() if changed_by is not None else "",
            ip=ip,
            changed=changes,
        )
    # Now, for the rest of this request, and again once the transaction commits, so that no
    # request in between caches the old row for CACHE_SECONDS.
    council.forget_cached_settings()
    transaction.on_commit(council.forget_cached_settings)
    if changes:
        content_versions.council_content_changed()
    return list(changes)
