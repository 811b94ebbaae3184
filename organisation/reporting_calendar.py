"""The reporting calendar: the one place that says when things are due.

Every due date the product knows:

- **Plan submission** (`plan_deadlines(year).submit_by`): when officers must submit the year's
  service plans to their heads of service. Set by administrators on the financial year
  (`FinancialYear.plans_due`, in the admin); none until they do.
- **Plan approval** (`plan_deadlines(year).approve_by`): when heads of service must have
  approved them (`FinancialYear.approvals_due`), never before submission.
- **Progress updates** (`progress_due_date(point)`): each monitoring point's due date. Monitoring
  points are the dates progress is reported to members as at (quarter 1 to June, the half-year
  to September, and so on). A council reports quarterly or half-yearly (its settings); a year
  starts with its usual points (`usual_points`: due the end of the month after), which
  administrators may then change.
- **Indicator figures** (`figure_due_date(period_end)`): the council's figures_due_working_days
  working days after the period's last day; their **sign-off** by the head of service
  (`sign_off_due_date(period_end)`) SIGN_OFF_WORKING_DAYS working days after that.

Working days are Monday to Friday less the bank holidays of the council's part of the UK
(its bank_holidays setting), substitute days and one-off holidays included, from the
`holidays` library. `add_working_days` and `working_days_between` count in them ("3 working
days late").

The cadence, the working days for figures and the bank holidays are the council's settings,
read through organisation.council.council_settings() (edited by administrators on the settings
page; the environment's MONITORING_CADENCE, FIGURES_DUE_WORKING_DAYS and BANK_HOLIDAYS are their
first values).
"""

import calendar
import datetime
import functools
from dataclasses import dataclass

import holidays
from django.db import transaction

from organisation.council import council_settings
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
    for name, month in CADENCES[cadence or council_settings().monitoring_cadence]:
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


# --- Working days --------------------------------------------------------------------------

# The council's bank_holidays setting -> the holidays library's subdivision of the United
# Kingdom ("GB"). Wales shares England's bank holidays.
BANK_HOLIDAY_REGIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@functools.cache  # an unbounded functools.lru_cache
def bank_holidays(region: str, year: int) -> frozenset[datetime.date]:
    """The bank holidays of a part of the UK in a calendar year, substitute days included.
    Cached: computing thousands of due dates builds each year's set once."""
    return frozenset(
        holidays.country_holidays("GB", subdiv=BANK_HOLIDAY_REGIONS[region], years=year)
    )


def is_working_day(day: datetime.date, region: str | None = None) -> bool:
    """Monday to Friday and not a bank holiday of the council's part of the UK (or of
    `region`, which the counting functions below read once, not once a day)."""
    region = region or council_settings().bank_holidays
    return day.weekday() < 5 and day not in bank_holidays(region, day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days after `day` (before it when negative); `day` itself
    when count is 0, working day or not."""
    step = datetime.timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    region = council_settings().bank_holidays if remaining else ""
    while remaining:
        day += step
        if is_working_day(day, region):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days after `start`, up to and including `end`: 3 when something due on
    `start` came on `end`, 3 working days late. Negative when `end` is before `start`, so that
    working_days_between(a, b) == -working_days_between(b, a); 0 when they are the same day."""
    if end < start:
        return -working_days_between(end, start)
    region = council_settings().bank_holidays
    return sum(
        is_working_day(start + datetime.timedelta(days=n), region)
        for n in range(1, (end - start).days + 1)
    )


# --- Due dates -----------------------------------------------------------------------------


def figure_due_date(period_end: datetime.date) -> datetime.date:
    """When an indicator's figure for a period is due: the council's figures_due_working_days
    working days after the period's last day."""
    return add_working_days(period_end, council_settings().figures_due_working_days)


# Heads of service sign off a period's figures this many working days after they are due.
SIGN_OFF_WORKING_DAYS = 5


def sign_off_due_date(period_end: datetime.date) -> datetime.date:
    """When a head of service should have signed off a period's figures: SIGN_OFF_WORKING_DAYS
    working days after the figures are due."""
    return add_working_days(figure_due_date(period_end), SIGN_OFF_WORKING_DAYS)


def progress_due_date(point: MonitoringPoint) -> datetime.date:
    """When progress updates for a monitoring point are due: the date its administrator set."""
    return point.due_date


@dataclass(frozen=True)
class PlanDeadlines:
    """When a year's service plans are due for submission and approval; None: not set."""

    submit_by: datetime.date | None
    approve_by: datetime.date | None


def plan_deadlines(year: FinancialYear) -> PlanDeadlines:
    """The planning round's deadlines for a year, as administrators set them on the year."""
    return PlanDeadlines(submit_by=year.plans_due, approve_by=year.approvals_due)
