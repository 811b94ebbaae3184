"""Demo council progress: the half-year (September 2012) monitoring of the 2012/13 plans.

Loaded by `python manage.py load_demo` after the plans. fixtures/demo/progress.json holds the
exceptions a half-year report leads with, in the officers' words: actions and projects at risk,
off track or cancelled, milestones missed, risks re-scored. Everything else progresses as its
plan expected: milestones due by September are done on their dates, open actions and projects
are on track, risks keep their scores. Every update goes through plans.progress.record_progress,
as an officer's would. Safe to run again: a point that already has updates is left alone.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from organisation import reporting_calendar
from organisation.models import FinancialYear
from plans import progress
from plans.models import ProgressUpdate, ServicePlan

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "progress.json"
DEMO_YEAR = 2012
# The policy & performance team records the demo's updates, as councils often do from returns.
DEMO_RECORDED_BY = "admin"
Kind, Status = ProgressUpdate.Kind, ProgressUpdate.Status


@transaction.atomic
def load_demo() -> None:
    year = FinancialYear.objects.get(start_year=DEMO_YEAR)
    reporting_calendar.set_up_usual_points(year, "half-yearly")
    demo = json.loads(DEMO_FILE.read_text())
    point = year.monitoring_points.get(name=demo["point"])
    if ProgressUpdate.objects.filter(point=point).exists():
        return
    by = get_user_model().objects.get(username=DEMO_RECORDED_BY)
    written = {update["reference"]: update for update in demo["updates"]}
    overdue = set(demo["overdue_milestones"])
    plans = ServicePlan.objects.filter(year=year, status=ServicePlan.Status.PUBLISHED)
    for plan in plans.select_related("service", "year"):
        for item in progress.plan_items(plan).values():
            values = written.get(item.reference) or _as_planned(item, point, overdue)
            if values:
                values = {k: v for k, v in values.items() if k != "reference"}
                progress.record_progress(
                    plan=plan, reference=item.reference, point=point, by=by, **values
                )
    # Recorded when the officers sent their returns, not when the demo was loaded.
    recorded = datetime.datetime.fromisoformat(demo["recorded_on"]).replace(tzinfo=datetime.UTC)
    ProgressUpdate.objects.filter(point=point).update(at=recorded)


def _as_planned(item: progress.Item, point, overdue: set[str]) -> dict | None:
    """The update of an item that went as its plan expected by the point."""
    as_at = point.as_at
    if item.kind == Kind.RISK:
        return {"likelihood": item.row.likelihood, "impact": item.row.impact}
    if item.kind == Kind.MILESTONE:
        if item.due is None or item.due > as_at or item.reference in overdue:
            return None
        return {"status": Status.COMPLETED, "completed_on": item.due}
    if item.planned_status == Status.COMPLETED:
        return {"status": Status.COMPLETED, "percent_complete": 100}
    started = item.kind == Kind.PROJECT or item.planned_status != Status.NOT_STARTED
    if not started and not _has_milestone_due(item, as_at):
        return {"status": Status.NOT_STARTED, "percent_complete": 0}
    return {"status": Status.ON_TRACK, "percent_complete": 50}


def _has_milestone_due(item: progress.Item, as_at: datetime.date) -> bool:
    return any(m.due_date and m.due_date <= as_at for m in item.row.milestones.all())
