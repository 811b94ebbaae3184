"""Financial years, in one place.

A UK council's financial year runs from 1 April to 31 March and is written "2012/13".
Everything that needs a year's dates or label asks this module.
"""

import datetime

from spreadsheets import cells

FIRST_MONTH = 4  # April


def label_for(start_year: int) -> str:
    """2012 -> "2012/13"."""
    return cells.year_label(start_year)


def parse_label(label: str) -> int:
    """ "2012/13", "2012-13" or "2012/2013" -> 2012. Raises ValueError naming what is wrong.

    The spellings are spreadsheets.cells.financial_year's, the same for every import."""
    return cells.financial_year(label)


def start_date(start_year: int) -> datetime.date:
    return datetime.date(start_year, FIRST_MONTH, 1)


def end_date(start_year: int) -> datetime.date:
    return datetime.date(start_year + 1, FIRST_MONTH, 1) - datetime.timedelta(days=1)


def start_year_of(day: datetime.date) -> int:
    """The financial year a date falls in: 2013-03-31 -> 2012, 2013-04-01 -> 2013."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1
