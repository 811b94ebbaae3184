"""Reporting periods, in one place.

A period is named by the month it ends in, "YYYY-MM": "2012-06" is the quarter April to June
2012 for a quarterly indicator and the month of June 2012 for a monthly one. Which months end a
period follows from the indicator's monitoring frequency and the financial year (1 April to
31 March, from organisation.years):

    monthly       every month, April to March
    quarterly     June, September, December, March
    half-yearly   September, March
    annual        March

Everything that needs to know whether a month ends a period, which period was the last one due
at a given month, or which period came before, asks this module.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.db import models

from organisation import years
from spreadsheets import cells

MONTH_NAMES = tuple(calendar.month_name)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half-yearly", "Half-yearly"
    ANNUAL = "annual", "Annual"


# How many months each period of a frequency spans; a period ends every this many months
# counted from the start of the financial year.
MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.ANNUAL: 12,
}


@dataclass(frozen=True, order=True)
class Period:
    """The month a reporting period ends in."""

    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"{self.month} is not a month.")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """ "2012-08"."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def end_date(self) -> datetime.date:
        """The last day of the month: the date stored for the period."""
        return _last_day(self.year, self.month)

    @property
    def month_label(self) -> str:
        """ "August 2012"."""
        return f"{MONTH_NAMES[self.month]} {self.year}"

    @property
    def short_label(self) -> str:
        """ "Aug 12", for chart axes."""
        return f"{MONTH_NAMES[self.month][:3]} {self.year % 100:02d}"

    @property
    def financial_year(self) -> int:
        """Start year of the financial year the period ends in: 2013-03 -> 2012."""
        return years.start_year_of(self.end_date)

    @classmethod
    def of(cls, day: datetime.date) -> "Period":
        return cls(day.year, day.month)


def parse(text: str) -> Period:
    """ "2012-08" -> Period(2012, 8). Also accepts a date on the first or last day of the month
    ("2012-08-31", or "2012-08-01" as a spreadsheet stores a cell showing "Aug-12"): the
    spellings of spreadsheets.cells.month, the same for every import.

    Raises ValueError with a message an officer can act on.
    """
    return Period(*cells.month(text, what="period", hint="the month it ends in"))


def months_of_year(start_year: int) -> list[Period]:
    """April to March of the financial year starting in start_year."""
    first = years.start_date(start_year)
    return [_add_months(Period.of(first), offset) for offset in range(12)]


def period_ends(frequency: str, start_year: int) -> list[Period]:
    """The periods of a financial year for a frequency, in order."""
    step = MONTHS_PER_PERIOD[Frequency(frequency)]
    return months_of_year(start_year)[step - 1 :: step]


def is_period_end(frequency: str, period: Period) -> bool:
    return _position_in_year(period) % MONTHS_PER_PERIOD[Frequency(frequency)] == 0


def latest_due(frequency: str, as_at: Period) -> Period | None:
    """The last period of this frequency ending at or before `as_at`, in the same financial
    year; None when none has ended yet this year (an annual indicator in August: not due)."""
    step = MONTHS_PER_PERIOD[Frequency(frequency)]
    position = _position_in_year(as_at)
    if position < step:
        return None
    return _add_months(as_at, -(position % step))


def previous(frequency: str, period: Period) -> Period:
    """The period before, crossing into last year where needed: monthly 2012-04 -> 2012-03."""
    return _add_months(period, -MONTHS_PER_PERIOD[Frequency(frequency)])


def same_period_last_year(period: Period) -> Period:
    return Period(period.year - 1, period.month)


def describe(frequency: str, period: Period) -> str:
    """How a council paper names the period: "August 2012", "Quarter 1 2012/13 (April to
    June 2012)", "Half-year 1 2012/13 (April to September 2012)", "2012/13"."""
    frequency = Frequency(frequency)
    step = MONTHS_PER_PERIOD[frequency]
    if frequency == Frequency.MONTHLY:
        return period.month_label
    label = years.label_for(period.financial_year)
    if frequency == Frequency.ANNUAL:
        return label
    first = _add_months(period, 1 - step)
    number = _position_in_year(period) // step
    kind = "Quarter" if frequency == Frequency.QUARTERLY else "Half-year"
    start = MONTH_NAMES[first.month] if first.year == period.year else first.month_label
    return f"{kind} {number} {label} ({start} to {period.month_label})"


@functools.cache
def _last_day(year: int, month: int) -> datetime.date:
    # Cached: imports ask for the same few month ends tens of thousands of times.
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _position_in_year(period: Period) -> int:
    """1 for April ... 12 for March."""
    return (period.month - years.FIRST_MONTH) % 12 + 1


def _add_months(period: Period, months: int) -> Period:
    index = period.year * 12 + period.month - 1 + months
    return Period(index // 12, index % 12 + 1)
