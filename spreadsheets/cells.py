"""Reading the cells of an import: one reader for each kind of value, used by every import.

Every import (structure, indicators, targets, actuals, budgets, savings, budget risks,
reporting lines) reads its cells here, so all of them accept the same spellings of a number,
a sum of money, a financial year, a month, a yes or no, a date, a code or a choice.

Each reader takes a cell's text (spreadsheets.reader gives every cell as stripped text) and
returns the value, or raises ValueError with a message fit to show an officer beside the row
and column it came from (spreadsheets.problems.Problems.read records it).

This module knows none of the project's apps: a reader that needs a limit, a number of
decimal places or a vocabulary takes it as an argument.
"""

import calendar
import datetime
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Generic, TypeVar

T = TypeVar("T")

TYPOGRAPHIC_MINUS = "\u2212"  # "−", as pasted from a report

# Numbers -----------------------------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


def number(text: str, *, places: int, largest: Decimal) -> Decimal:
    """ "98.5", "98.5%", "£1,234", "-12", "(1,234)" (a negative, as council papers print it),
    "1e-05" (how a spreadsheet cell holding a tiny number arrives). Rounded half up to
    `places` decimal places; refuses NaN, infinity and anything of `largest` or more."""
    cleaned = text.strip().replace(" ", "").replace(TYPOGRAPHIC_MINUS, "-")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    sign = ""
    if cleaned[:1] in "+-" and cleaned:
        sign, cleaned = cleaned[0], cleaned[1:]
    cleaned = cleaned.removeprefix("£").removesuffix("%")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValueError(f"{text!r} is not a number (commas only between thousands).")
        cleaned = cleaned.replace(",", "")
    if not cleaned or not (cleaned[0].isdigit() or cleaned[0] == "."):
        raise ValueError(f"{text!r} is not a number.")
    try:
        value = Decimal(sign + cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number.") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number.")
    if negative:
        value = -value
    if abs(value) >= largest:
        raise ValueError(f"{text!r} is too large.")
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Money, in £000 ----------------------------------------------------------------------------------

MONEY_PLACES = 2
_MONEY = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def money(text: str, *, limit: Decimal, negative: bool = True) -> Decimal | None:
    """ "3662", "3,662", "-1,711", "(1,711)" (accountants' brackets) or "0.9", in £000, to at
    most two decimal places (never rounded) -> Decimal; "" -> None. Refuses a £ sign (the
    figures are thousands), anything of `limit` or more, and a negative unless `negative`."""
    text = text.strip().replace(TYPOGRAPHIC_MINUS, "-")
    if not text:
        return None
    if "£" in text:
        raise ValueError(f"{text!r}: leave out the £ sign; figures are in £000 (write 3662).")
    written = text
    if text.startswith("(") and text.endswith(")"):
        written = "-" + text[1:-1].strip()
    if not _MONEY.fullmatch(written):
        raise ValueError(f"{text!r} is not a number; write figures like 1711, 3,662 or -1,711.")
    value = Decimal(written.replace(",", ""))  # the pattern admits only numbers
    if value.as_tuple().exponent < -MONEY_PLACES:
        raise ValueError(f"{text!r} has more than {MONEY_PLACES} decimal places.")
    if abs(value) >= limit:
        raise ValueError(f"{text!r} is too large.")
    if value < 0 and not negative:
        raise ValueError(f"{text!r} cannot be negative.")
    return value


# Financial years ---------------------------------------------------------------------------------

# A financial year as written: "2012/13", "2012-13" or "2012/2013" (spaces allowed around "/").
_YEAR = r"\d{4}\s*[/-]\s*(?:\d{4}|\d{2})"
_LABEL = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")
_SPAN = re.compile(rf"^\s*({_YEAR})\s*(?:-|–|—|\bto\b)\s*({_YEAR})\s*$", re.IGNORECASE)


def year_label(start_year: int) -> str:
    """2012 -> "2012/13", the way a UK council writes its financial year."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year(text: str) -> int:
    """ "2012/13", "2012-13" or "2012/2013" -> 2012, the year it starts in."""
    match = _LABEL.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a financial year; write it like 2012/13.")
    start, end = int(match.group(1)), match.group(2)
    expected_end = start + 1
    if int(end) not in (expected_end, expected_end % 100):
        raise ValueError(
            f"{text!r} is not a financial year: the second year must follow the first "
            f"(write {year_label(start)})."
        )
    return start


def year_span(text: str) -> tuple[str, str] | None:
    """The two years of a span as written: "2008/09-2009/10", "2008-09 to 2009-10" or
    "2008/09 – 2009/10" -> ("2008/09", "2009/10"), each to read with financial_year. None when
    the text is not two years joined by a dash or "to"."""
    match = _SPAN.match(text or "")
    return (match.group(1), match.group(2)) if match else None


# Months and dates --------------------------------------------------------------------------------

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:T[\d:.+-]*)?\s*$")


def month(text: str, *, what: str = "month", hint: str = "the month") -> tuple[int, int]:
    """ "2012-08" -> (2012, 8). Also a date on the first or last day of the month ("2012-08-31",
    or "2012-08-01" as a spreadsheet stores a cell showing "Aug-12"). `what` and `hint` name the
    month in the messages: what="period", hint="the month it ends in"."""
    match = _MONTH.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a {what}; write {hint}, like 2012-08.")
    year, number = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 12:
        raise ValueError(f"{text!r} is not a {what}: {number} is not a month.")
    if match.group(3) is not None and int(match.group(3)) not in (
        1,
        calendar.monthrange(year, number)[1],
    ):
        raise ValueError(
            f"{text!r} is not a {what} end; write {hint}, like {year:04d}-{number:02d}."
        )
    return year, number


def date(text: str) -> datetime.date:
    """ "2012-08-31" (or "2012-08-31T09:30:00", a spreadsheet's date and time) -> the date."""
    match = _DATE.match(text or "")
    try:
        if match:
            return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass  # a day the month does not have
    raise ValueError(f"{text!r} is not a date; write it like 2012-08-31.")


def is_date(text: str) -> bool:
    """Whether the cell holds a date: a spreadsheet turns "2012-12" and some years into one."""
    try:
        date(text)
    except ValueError:
        return False
    return True


# Yes or no, codes and choices --------------------------------------------------------------------

# One vocabulary for every yes/no column. "corporate" and "forecast" are the columns' own names,
# which some councils write for yes.
YES = frozenset({"yes", "y", "true", "1", "corporate", "forecast"})
NO = frozenset({"no", "n", "false", "0", ""})


def yes_no(text: str) -> bool:
    word = text.strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"{text!r} is not yes or no.")


def code(text: str) -> str:
    """Codes and names match ignoring runs of spaces: "  NI   181 " -> "NI 181"."""
    return " ".join(text.split())


def word_key(text: str) -> str:
    """How a word is matched: ignoring case, spaces, "-" and "_": "At-Risk" -> "at risk"."""
    return " ".join(re.sub(r"[-_]", " ", text.casefold()).split())


class Vocabulary(Generic[T]):
    """The words a column accepts, each meaning a value; matched with word_key."""

    def __init__(self, words: Mapping[str, T], *, what: str, hint: str):
        self.words = {word_key(word): value for word, value in words.items()}
        self.what, self.hint = what, hint

    @classmethod
    def of(
        cls, choices: type, what: str, *, synonyms: Mapping[str, str] | None = None, hint: str = ""
    ) -> "Vocabulary[str]":
        """A Django TextChoices by its values and labels, and any synonyms. The message lists
        the values ("at risk" for at_risk) unless `hint` says what to write."""
        words = {label: value for value, label in choices.choices}
        words.update(synonyms or {})
        words.update({value: value for value, _ in choices.choices})
        allowed = ", ".join(value.replace("_", " ") for value, _ in choices.choices)
        return cls(words, what=what, hint=hint or f"use one of: {allowed}")

    def __call__(self, text: str) -> T:
        try:
            return self.words[word_key(text)]
        except KeyError:
            raise ValueError(f"{text!r} is not a {self.what}; {self.hint}.") from None
