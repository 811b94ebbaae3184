"""Financial years, in one place.

A UK council's financial year runs from 1 April to 31 March and is written "2012/13".
Everything that needs a year's dates or label asks this module.
"""

import datetime
import re

FIRST_MONTH = 4  # April

_LABEL = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


def label_for(start_year: int) -> str:
    """2012 -> "2012/13"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_label(label: str) -> int:
    """ "2012/13", "2012-13" or "2012/2013" -> 2012. Raises ValueError naming what is wrong."""
    match = _LABEL.match(label or "")
    if not match:
        raise ValueError(f"{label!r} is not a financial year; write it like 2012/13.")
    start, end = int(match.group(1)), match.group(2)
    expected_end = start + 1
    if int(end) not in (expected_end, expected_end % 100):
        raise ValueError(
            f"{label!r} is not a financial year: the second year must follow the first "
            f"(write {label_for(start)})."
        )
    return start


def start_date(start_year: int) -> datetime.date:
    return datetime.date(start_year, FIRST_MONTH, 1)


def end_date(start_year: int) -> datetime.date:
    return datetime.date(start_year + 1, FIRST_MONTH, 1) - datetime.timedelta(days=1)


def start_year_of(day: datetime.date) -> int:
    """The financial year a date falls in: 2013-03-31 -> 2012, 2013-04-01 -> 2013."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1
