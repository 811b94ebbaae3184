"""The cells of every import: each spelling a reader accepts, once, and what it refuses.

The imports read their cells with these readers, so their own tests check only their rules
(which columns, which limits, what is written), not the spellings.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.db import models

from spreadsheets import cells

LARGEST = D(10) ** 14


class Status(models.TextChoices):
    AGREED = "agreed", "Agreed"
    AT_RISK = "at_risk", "At risk"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


STATUS = cells.Vocabulary.of(Status, "status")
SPEED = cells.Vocabulary.of(
    Status, "speed", synonyms={"on track": Status.AGREED}, hint="write agreed or at risk"
)


def refusal(read, text: str) -> str:
    with pytest.raises(ValueError) as error:
        read(text)
    return str(error.value)


# Numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("98.5", D("98.5")),
        (" 98.5% ", D("98.5")),
        ("£1,234", D("1234")),
        ("-£1,234.5", D("-1234.5")),
        ("(1,234)", D("-1234")),  # a negative, as council papers print it
        ("\u22121,234", D("-1234")),  # a typographic minus pasted from a report
        ("+3", D("3")),
        ("-0.5", D("-0.5")),
        (".5", D("0.5")),
        ("1e-05", D("0.0000")),  # how a spreadsheet cell holding a tiny number arrives
        ("12.34567", D("12.3457")),  # half up to the places asked for
        ("1,234,567.25", D("1234567.25")),
    ],
)
def test_number(text, value):
    assert cells.number(text, places=4, largest=LARGEST) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is not a number"),
        ("-", "is not a number"),
        ("abc", "'abc' is not a number"),
        ("1.2.3", "is not a number"),
        ("1,23", "commas only between thousands"),
        ("12,3456", "commas only between thousands"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("1e20", "is too large"),
        ("100000000000000", "is too large"),
        ("£", "is not a number"),
        ("5 %x", "is not a number"),
    ],
)
def test_not_a_number(text, words):
    assert words in refusal(lambda t: cells.number(t, places=4, largest=LARGEST), text)


# Money, in £000 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3662", D("3662")),
        ("3,662", D("3662")),
        ("-1,711", D("-1711")),
        ("\u22121,711", D("-1711")),  # a typographic minus
        ("(1,711)", D("-1711")),  # accountants' brackets
        ("0.9", D("0.9")),
        (" 12.25 ", D("12.25")),
        ("", None),  # not given
    ],
)
def test_money(text, value):
    assert cells.money(text, limit=D(10) ** 10) == value


@pytest.mark.parametrize(
    ("text", "negative", "words"),
    [
        ("£3,662", True, "leave out the £ sign"),
        ("n/a", True, "'n/a' is not a number; write figures like 1711, 3,662 or -1,711"),
        ("3,66", True, "is not a number"),
        ("1e5", True, "is not a number"),
        ("3.662", True, "more than 2 decimal places"),
        ("10000000000", True, "is too large"),
        ("-7", False, "cannot be negative"),
        ("(7)", False, "cannot be negative"),
    ],
)
def test_money_refused(text, negative, words):
    assert words in refusal(lambda t: cells.money(t, limit=D(10) ** 10, negative=negative), text)


# Financial years ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start_year"),
    [
        ("2012/13", 2012),
        ("2012-13", 2012),
        ("2012/2013", 2012),
        ("2012-2013", 2012),
        (" 2012 / 13 ", 2012),
        ("1999/00", 1999),
    ],
)
def test_financial_year(text, start_year):
    assert cells.financial_year(text) == start_year


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2012", "'2012' is not a financial year; write it like 2012/13"),
        ("12/13", "is not a financial year"),
        ("", "is not a financial year"),
        ("twenty12/13", "is not a financial year"),
        ("2012-12-01", "is not a financial year"),
        ("2012/14", "the second year must follow the first (write 2012/13)"),
        ("2012/12", "the second year must follow the first"),
        ("2012-2014", "the second year must follow the first"),
    ],
)
def test_not_a_financial_year(text, words):
    assert words in refusal(cells.financial_year, text)


@pytest.mark.parametrize(("start_year", "label"), [(2012, "2012/13"), (1999, "1999/00")])
def test_year_label(start_year, label):
    assert cells.year_label(start_year) == label


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2008/09-2009/10", ("2008/09", "2009/10")),
        ("2008/09 - 2009/10", ("2008/09", "2009/10")),
        ("2008/09 to 2009/10", ("2008/09", "2009/10")),
        ("2008/09–2009/10", ("2008/09", "2009/10")),  # an en dash
        (" 2008-09 TO 2009-10 ", ("2008-09", "2009-10")),
        ("2008-09-2009-10", ("2008-09", "2009-10")),
        ("2008/2009-2009/2010", ("2008/2009", "2009/2010")),
        ("2012/13", None),
        ("2012-13", None),
        ("2008 - 10", None),
        ("2008/09-", None),
        ("2008/09-x", None),
    ],
)
def test_year_span(text, span):
    assert cells.year_span(text) == span


# Months and dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2012-08", (2012, 8)),
        (" 2012-8 ", (2012, 8)),
        ("2012-08-31", (2012, 8)),
        ("2012-08-01", (2012, 8)),  # a spreadsheet cell showing "Aug-12"
        ("2012-02-29", (2012, 2)),  # a leap year
    ],
)
def test_month(text, month):
    assert cells.month(text) == month


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "'' is not a month; write the month, like 2012-08"),
        ("August 2012", "is not a month"),
        ("2012/13", "is not a month"),
        ("12-08", "is not a month"),
        ("2012-13", "13 is not a month"),
        ("2012-00", "0 is not a month"),
        ("2012-08-15", "is not a month end; write the month, like 2012-08"),
        ("2013-02-29", "is not a month end"),
    ],
)
def test_not_a_month(text, words):
    assert words in refusal(cells.month, text)


def test_a_month_is_named_as_the_column_names_it():
    message = refusal(lambda t: cells.month(t, what="period", hint="the month it ends in"), "x")
    assert message == "'x' is not a period; write the month it ends in, like 2012-08."


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2012-08-31", datetime.date(2012, 8, 31)),
        (" 2012-12-01 ", datetime.date(2012, 12, 1)),
        ("2012-08-31T09:30:00", datetime.date(2012, 8, 31)),  # a date and time cell
    ],
)
def test_date(text, day):
    assert cells.date(text) == day
    assert cells.is_date(text)


@pytest.mark.parametrize("text", ["", "31/08/2012", "2012-08", "2012-02-30", "2012/13", "today"])
def test_not_a_date(text):
    assert "is not a date; write it like 2012-08-31" in refusal(cells.date, text)
    assert not cells.is_date(text)


# Yes or no, codes and choices --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("1", True),
        ("corporate", True),
        ("Forecast", True),
        ("no", False),
        ("N", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_yes_no(text, value):
    assert cells.yes_no(text) is value


@pytest.mark.parametrize("text", ["maybe", "95", "x"])
def test_not_yes_or_no(text):
    assert refusal(cells.yes_no, text) == f"{text!r} is not yes or no."


def test_codes_are_compared_without_extra_spaces():
    assert cells.code("  NI   181 ") == "NI 181"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("agreed", "agreed"),  # the value
        ("AGREED", "agreed"),
        ("At risk", "at_risk"),  # the label
        ("at_risk", "at_risk"),
        ("AT-RISK", "at_risk"),
        (" not   achieved ", "not_achieved"),
    ],
)
def test_choice_by_value_or_label(text, value):
    assert STATUS(text) == value


def test_a_choice_lists_what_to_write():
    assert refusal(STATUS, "done") == (
        "'done' is not a status; use one of: agreed, at risk, not achieved."
    )


def test_a_choice_may_have_synonyms_and_say_what_to_write():
    assert SPEED("On-Track") == "agreed"
    assert refusal(SPEED, "fast") == "'fast' is not a speed; write agreed or at risk."
