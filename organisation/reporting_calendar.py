"""The reporting calendar: when progress and figures are reported in a year.

Monitoring points are the dates progress is reported to members as at (quarter 1 to June, the
half-year to September, and so on) and when updates for each are due. A council reports
quarterly or half-yearly (settings.MONITORING_CADENCE); a year starts with its usual points,
which administrators may then change.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from organisation.models import FinancialYear, MonitoringPoint

# (name, month the point reports as at), by cadence.
CADENCES = {
    "quarterly": [("Quarter 1", 6), ("Half-year", 9), ("Quarter 3", 12), ("Year-end", 3)],
    "half-yearly": [("Half-year", 9), ("Year-end", 3)],
}


@dataclass(frozen=True)
class PointDates:
    name: str
    as_at: datetime.date
    due_date: datetime.date


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def usual_points(start_year: int, cadence: str | None = None) -> list[PointDates]:
    """The council's usual monitoring points for a financial year: each as at the end of its
    month, with updates due by the end of the month after."""
    points = []
    for name, month in CADENCES[cadence or settings.MONITORING_CADENCE]:
        calendar_year = start_year if month >= 4 else start_year + 1
        as_at = month_end(calendar_year, month)
        next_month = as_at + datetime.timedelta(days=1)
        points.append(PointDates(name, as_at, month_end(next_month.year, next_month.month)))
    return points


@transaction.atomic
def set_up_usual_points(year: FinancialYear, cadence: str | None = None) -> list[MonitoringPoint]:
    """Give a year the usual monitoring points it does not have yet (by month); returns the ones
    made. Points an administrator already set are left alone."""
    have = set(year.monitoring_points.values_list("as_at", flat=True))
    made = [
        MonitoringPoint(year=year, name=p.name, as_at=p.as_at, due_date=p.due_date)
        for p in usual_points(year.start_year, cadence)
        if p.as_at not in have
    ]
    for point in made:
        point.save()
    return made


def current_point(year: FinancialYear, today: datetime.date) -> MonitoringPoint | None:
    """The monitoring point officers are working towards on a day: the first of the year whose
    updates are not yet past due, else the year's last."""
    points = list(year.monitoring_points.all())
    for point in points:
        if today <= point.due_date:
            return point
    return points[-1] if points else None


def latest_point_as_at(year: FinancialYear, today: datetime.date) -> MonitoringPoint | None:
    """The last monitoring point of the year that has reached its as-at date by a day."""
    return year.monitoring_points.filter(as_at__lte=today).order_by("-as_at").first()
