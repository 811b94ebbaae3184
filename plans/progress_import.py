"""Progress updates from a spreadsheet, for councils that collect them in one.

The columns are reference, monitoring_point, status, percent_complete and commentary, and
optionally completed_on (a milestone's completion date) and likelihood and impact (a risk's
new scores). Each row is an update on the item of the published plan that has the reference,
in the monitoring point's year. The same rules as the progress page apply (plans.progress);
a file with any bad row is refused whole, every problem listed by row and column.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction

from organisation import content_versions, years
from organisation.models import MonitoringPoint, Service
from plans import progress
from plans.models import ProgressUpdate, ServicePlan
from spreadsheets import cells
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import
from spreadsheets.results import ImportResult

PROGRESS_COLUMNS = ("reference", "monitoring_point", "status", "percent_complete", "commentary")
COMMENTARY_LIMIT = 5000
STATUS = cells.Vocabulary.of(ProgressUpdate.Status, "status")
# "Half-year 2012/13": a point's name and its year.
_NAMED_POINT = re.compile(r"^(?P<name>.+?)\s+(?P<year>\d{4}\s*[/-]\s*\d{2,4})$")


@dataclass
class _Row:
    number: int
    plan: ServicePlan
    item: progress.Item
    point: MonitoringPoint
    values: dict


def import_progress(
    *,
    content: bytes,
    filename: str,
    recorded_by=None,
    services=None,
    today: datetime.date | None = None,
) -> ImportResult:
    """Record the file's updates. `services` (a queryset) limits it to those services' plans:
    a row for any other service is a problem."""
    table = read_import(content, filename=filename, required=PROGRESS_COLUMNS)
    lookup = _Lookup(services)
    problems = Problems()
    rows, seen = [], {}
    for number, row_cells in table.rows:
        row = _read_row(problems, number, row_cells, lookup, today)
        if row is None:
            continue
        key = (row.plan.service_id, row.item.reference, row.point.pk)
        if key in seen:
            problems.add(
                number, "reference", f"{row.item.reference} is already on row {seen[key]}."
            )
            continue
        seen[key] = number
        rows.append(row)
    problems.raise_if_any(len(table.rows), "progress updates")
    updates = [
        ProgressUpdate(
            service_id=row.plan.service_id,
            point=row.point,
            kind=row.item.kind,
            reference=row.item.reference,
            by=recorded_by,
            **row.values,
        )
        for row in rows
    ]
    with transaction.atomic():
        ProgressUpdate.objects.bulk_create(updates)
        content_versions.service_content_changed(update.service_id for update in updates)
    result = ImportResult(rows=len(table.rows))
    result.created[ProgressUpdate._meta.verbose_name_plural] = len(updates)
    return result


def _read_row(problems: Problems, number: int, row_cells: dict, lookup, today) -> _Row | None:
    found = len(problems)
    reference = cells.code(row_cells["reference"]).upper()
    point = problems.read(number, "monitoring_point", lookup.point, row_cells["monitoring_point"])
    plan_and_item = None
    if point is not None:
        plan_and_item = problems.read(
            number, "reference", lambda text: lookup.item(text, point), reference
        )
    values = _values(problems, number, row_cells)
    problems.check_length(number, "commentary", row_cells["commentary"], COMMENTARY_LIMIT)
    if plan_and_item is None or len(problems) > found:
        return None
    plan, item = plan_and_item
    values = _for_kind(item.kind, values)
    for column, message in progress.update_problems(
        kind=item.kind, point=point, today=today, **values
    ).items():
        problems.add(number, column, message)
    if len(problems) > found:
        return None
    return _Row(number, plan, item, point, values)


def _values(problems: Problems, number: int, row_cells: dict) -> dict:
    def optional(column, parse):
        text = row_cells.get(column, "")
        return problems.read(number, column, parse, text) if text else None

    return {
        "status": optional("status", STATUS) or "",
        "percent_complete": optional("percent_complete", _percent),
        "commentary": row_cells["commentary"].strip(),
        "completed_on": optional("completed_on", cells.date),
        "likelihood": optional("likelihood", _whole_number),
        "impact": optional("impact", _whole_number),
    }


def _for_kind(kind: str, values: dict) -> dict:
    """A risk is re-scored and has no status; anything else has no scores."""
    if kind == progress.Kind.RISK:
        return {**values, "status": "", "percent_complete": None}
    return {**values, "likelihood": None, "impact": None}


def _whole_number(text: str) -> int:
    cleaned = text.strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,3}(\.0+)?", cleaned):
        raise ValueError(f"{text!r} is not a whole number.")
    return int(float(cleaned))


def _percent(text: str) -> int:
    value = _whole_number(text)
    if value > 100:
        raise ValueError(f"{text!r} is more than 100%.")
    return value


class _Lookup:
    """Monitoring points, services and their published plans' items, each read once."""

    def __init__(self, services):
        self.services = services
        self.points = list(MonitoringPoint.objects.select_related("year"))
        self.service_by_code = {s.code.upper(): s for s in Service.objects.all()}
        self.allowed = None if services is None else set(services.values_list("pk", flat=True))
        self.plans: dict[tuple[int, int], tuple[ServicePlan | None, dict]] = {}

    def point(self, text: str) -> MonitoringPoint:
        """ "2012-09" (the month it reports as at) or "Half-year 2012/13"."""
        text = text.strip()
        named = _NAMED_POINT.match(text)
        if named:
            start_year = years.parse_label(named.group("year"))
            for point in self.points:
                same_name = cells.word_key(point.name) == cells.word_key(named.group("name"))
                if same_name and point.year.start_year == start_year:
                    return point
            raise ValueError(f"{text!r}: {years.label_for(start_year)} has no such point.")
        year, month = cells.month(
            text, what="monitoring point", hint='its name and year ("Half-year 2012/13")'
        )
        for point in self.points:
            if (point.as_at.year, point.as_at.month) == (year, month):
                return point
        raise ValueError(f"No monitoring point reports as at {text}.")

    def item(self, reference: str, point: MonitoringPoint):
        code = reference.split("-", 1)[0]
        service = self.service_by_code.get(code)
        if service is None:
            raise ValueError(f"{reference!r} is not a reference of any service's plan.")
        if self.allowed is not None and service.pk not in self.allowed:
            raise ValueError(f"{reference} belongs to {service}, whose progress you do not record.")
        plan, items = self._plan(service, point)
        if plan is None:
            raise ValueError(f"{service} has no published plan for {point.year}.")
        if reference not in items:
            raise ValueError(progress.not_in_plan(plan, reference))
        return plan, items[reference]

    def _plan(self, service: Service, point: MonitoringPoint):
        key = (service.pk, point.year_id)
        if key not in self.plans:
            plan = progress.published_plan(service, point.year)
            self.plans[key] = (plan, progress.plan_items(plan) if plan else {})
        return self.plans[key]
