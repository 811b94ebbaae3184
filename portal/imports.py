"""Every import as a web upload with a preview: the administrators' way to load a council's
structure, indicators, targets, figures, budgets, savings, budget risks and reporting lines
without the command line.

Each kind runs the same service as its management command (same rules, same messages). The
preview runs it inside a transaction that is rolled back: what it would create, change and leave
alone, or every problem by row and column, with nothing written. The file waits in storage under
a random name until the administrator confirms (the same bytes are imported: a fingerprint is
checked) or cancels; each confirmed import is logged (ImportLog).
"""

import csv
import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from budgets.services import (
    BUDGET_COLUMNS,
    BUDGET_RISK_COLUMNS,
    REPORTING_LINE_COLUMNS,
    SAVING_COLUMNS,
    import_budget_risks,
    import_budgets,
    import_reporting_lines,
    import_savings,
)
from organisation.models import ImportLog
from organisation.services import STRUCTURE_COLUMNS, import_structure
from performance.models import FigureChange
from performance.services import (
    ACTUAL_COLUMNS,
    ACTUAL_OPTIONAL_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL_COLUMNS,
    TARGET_COLUMNS,
    TARGET_OPTIONAL_COLUMNS,
    import_actuals,
    import_indicators,
    import_targets,
)
from spreadsheets.results import ImportResult
from spreadsheets.writer import write_xlsx

DEMO_FILES = Path(settings.BASE_DIR) / "fixtures" / "demo"
PENDING = "imports/pending"


@dataclass(frozen=True)
class ImportKind:
    slug: str
    label: str
    about: str
    columns: tuple[str, ...]
    optional: tuple[str, ...]
    run: Callable[..., ImportResult]  # (content, filename, by) -> result
    example_file: str  # the demo council's file: the template's example row

    def example_row(self) -> list[str]:
        """The first row of the demo council's file, in this kind's column order."""
        with open(DEMO_FILES / self.example_file, newline="", encoding="utf-8") as handle:
            row = next(csv.DictReader(handle))
        return [row.get(column, "") for column in (*self.columns, *self.optional)]

    def template(self) -> bytes:
        """An XLSX file with the header row and one example row."""
        return write_xlsx(
            [*self.columns, *self.optional], [self.example_row()], sheet_title=self.label
        )


def _plain(service) -> Callable[..., ImportResult]:
    return lambda content, filename, by: service(content=content, filename=filename)


def _actuals(content, filename, by) -> ImportResult:
    return import_actuals(
        content=content, filename=filename, entered_by=by, route=FigureChange.Route.UPLOAD
    )


# In the order a new council loads them: each may refer to what an earlier one made.
KINDS = [
    ImportKind(
        "structure",
        "Structure",
        "Directorates, heads of service, services and the committees that review them.",
        STRUCTURE_COLUMNS,
        (),
        _plain(import_structure),
        "structure.csv",
    ),
    ImportKind(
        "indicators",
        "Indicators",
        "Performance indicators, by code, each with its service.",
        INDICATOR_COLUMNS,
        INDICATOR_OPTIONAL_COLUMNS,
        _plain(import_indicators),
        "indicators.csv",
    ),
    ImportKind(
        "targets",
        "Targets",
        "Each indicator's target for a year, and optionally for a period.",
        TARGET_COLUMNS,
        TARGET_OPTIONAL_COLUMNS,
        _plain(import_targets),
        "targets.csv",
    ),
    ImportKind(
        "actuals",
        "Figures (actuals)",
        "Each indicator's figure for a period, with its state and commentary.",
        ACTUAL_COLUMNS,
        ACTUAL_OPTIONAL_COLUMNS,
        _actuals,
        "actuals.csv",
    ),
    ImportKind(
        "reporting-lines",
        "Reporting lines",
        "Budget lines that report several services together.",
        REPORTING_LINE_COLUMNS,
        (),
        _plain(import_reporting_lines),
        "reporting_lines.csv",
    ),
    ImportKind(
        "budgets",
        "Budgets and staffing",
        "Each service's budget and staff (FTE) for a year.",
        BUDGET_COLUMNS,
        (),
        _plain(import_budgets),
        "budgets.csv",
    ),
    ImportKind(
        "savings",
        "Savings",
        "Each service's savings by period, with their status.",
        SAVING_COLUMNS,
        (),
        _plain(import_savings),
        "savings.csv",
    ),
    ImportKind(
        "budget-risks",
        "Budget risks",
        "Each head of service's budget risks for a year.",
        BUDGET_RISK_COLUMNS,
        ("title",),
        _plain(import_budget_risks),
        "budget_risks.csv",
    ),
]
BY_SLUG = {kind.slug: kind for kind in KINDS}


class Rollback(Exception):
    """Leaves the preview's transaction without writing anything."""


@dataclass(frozen=True)
class Pending:
    """An uploaded file waiting for the administrator to confirm or cancel it."""

    token: str
    kind: str
    filename: str
    fingerprint: str


def preview(kind: ImportKind, *, content: bytes, filename: str, by) -> ImportResult:
    """What importing the file would do, from the import itself, with nothing written. Raises
    ImportRejected (every problem by row and column) as the import would."""
    result = None
    try:
        with transaction.atomic():
            result = kind.run(content, filename, by)
            raise Rollback
    except Rollback:
        pass
    return result


def keep(kind: ImportKind, *, content: bytes, filename: str) -> Pending:
    """Keep an uploaded file until it is confirmed: in storage under a random name."""
    token = secrets.token_urlsafe(16)
    default_storage.save(f"{PENDING}/{token}", ContentFile(content))
    return Pending(token, kind.slug, filename, hashlib.sha256(content).hexdigest())


def discard(pending: Pending) -> None:
    default_storage.delete(f"{PENDING}/{pending.token}")


def confirm(pending: Pending, *, by) -> ImportResult:
    """Import the kept file for real, log it and forget the file. The file must be the one
    previewed (its fingerprint); ImportRejected if something changed meanwhile that makes a row
    wrong (the import checks again), and then nothing is written."""
    kind = BY_SLUG[pending.kind]
    with default_storage.open(f"{PENDING}/{pending.token}", "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != pending.fingerprint:
        raise ValueError("The file waiting to be imported is not the one previewed.")
    with transaction.atomic():
        result = kind.run(content, pending.filename, by)
        ImportLog.objects.create(
            kind=kind.slug,
            filename=pending.filename[:255],
            by=by,
            rows=result.rows,
            summary=result.describe(),
        )
    discard(pending)
    return result


def changes_by_record(result: ImportResult) -> list[tuple[str, int, int, int]]:
    """(kind of record, created, changed, removed) for each kind the import touches."""
    names = sorted(set(+result.created) | set(+result.changed) | set(+result.removed))
    return [(n, result.created[n], result.changed[n], result.removed[n]) for n in names]


def left_alone(result: ImportResult) -> int:
    """Rows that change nothing: read, and neither created nor changed anything."""
    return max(result.rows - sum(result.created.values()) - sum(result.changed.values()), 0)


def read_upload(upload) -> bytes:
    buffer = io.BytesIO()
    for chunk in upload.chunks():
        buffer.write(chunk)
    return buffer.getvalue()
