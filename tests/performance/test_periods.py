"""Periods from the financial year and the monitoring frequency: tables of cases."""

import datetime

import pytest

from performance import periods
from performance.periods import Frequency, Period

MONTHLY, QUARTERLY, HALF, ANNUAL = Frequency


def p(name: str) -> Period:
    return periods.parse(name)


@pytest.mark.parametrize(
    ("frequency", "names"),
    [
        (
            MONTHLY,
            "2012-04 2012-05 2012-06 2012-07 2012-08 2012-09 2012-10 2012-11 2012-12 "
            "2013-01 2013-02 2013-03",
        ),
        (QUARTERLY, "2012-06 2012-09 2012-12 2013-03"),
        (HALF, "2012-09 2013-03"),
        (ANNUAL, "2013-03"),
    ],
)
def test_period_ends_of_a_financial_year(frequency, names):
    assert [period.name for period in periods.period_ends(frequency, 2012)] == names.split()


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("month", range(1, 13))
def test_is_period_end_agrees_with_period_ends(frequency, month):
    period = Period(2013 if month <= 3 else 2012, month)
    assert periods.is_period_end(frequency, period) == (
        period in periods.period_ends(frequency, 2012)
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("2012-08", "2012-08"),
        (" 2012-8 ", "2012-08"),
        ("2012-08-31", "2012-08"),
        ("2012-08-01", "2012-08"),  # a spreadsheet cell showing "Aug-12"
        ("2012-02-29", "2012-02"),  # leap year
        ("2013-02-28", "2013-02"),
        ("2013-03-31", "2013-03"),
    ],
)
def test_parse(text, name):
    assert periods.parse(text).name == name


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is not a period"),
        ("August 2012", "is not a period"),
        ("2012/13", "is not a period"),
        ("12-08", "is not a period"),
        ("2012-13", "13 is not a month"),
        ("2012-00", "0 is not a month"),
        ("2012-08-15", "is not a period end"),
        ("2012-08-30", "is not a period end"),
        ("2013-02-29", "is not a period end"),
    ],
)
def test_parse_refuses(text, words):
    with pytest.raises(ValueError, match=words):
        periods.parse(text)


def test_a_period_has_its_end_date_labels_and_year():
    period = Period(2013, 2)
    assert period.end_date == datetime.date(2013, 2, 28)
    assert str(period) == "2013-02"
    assert period.month_label == "February 2013"
    assert period.short_label == "Feb 13"
    assert period.financial_year == 2012
    assert Period(2012, 4).financial_year == 2012
    assert Period(2012, 3).financial_year == 2011
    assert Period.of(datetime.date(2012, 8, 31)) == Period(2012, 8)
    assert Period(2012, 3) < Period(2012, 4) < Period(2013, 1)
    with pytest.raises(ValueError):
        Period(2012, 13)


@pytest.mark.parametrize(
    ("frequency", "as_at", "due"),
    [
        (MONTHLY, "2012-04", "2012-04"),
        (MONTHLY, "2012-08", "2012-08"),
        (MONTHLY, "2013-03", "2013-03"),
        (QUARTERLY, "2012-04", None),
        (QUARTERLY, "2012-05", None),
        (QUARTERLY, "2012-06", "2012-06"),
        (QUARTERLY, "2012-08", "2012-06"),
        (QUARTERLY, "2012-09", "2012-09"),
        (QUARTERLY, "2013-01", "2012-12"),
        (QUARTERLY, "2013-03", "2013-03"),
        (HALF, "2012-08", None),
        (HALF, "2012-09", "2012-09"),
        (HALF, "2013-02", "2012-09"),
        (HALF, "2013-03", "2013-03"),
        (ANNUAL, "2012-04", None),
        (ANNUAL, "2012-08", None),
        (ANNUAL, "2013-02", None),
        (ANNUAL, "2013-03", "2013-03"),
    ],
)
def test_latest_due_stays_in_the_financial_year(frequency, as_at, due):
    result = periods.latest_due(frequency, p(as_at))
    assert (result.name if result else None) == due


@pytest.mark.parametrize(
    ("frequency", "period", "before"),
    [
        (MONTHLY, "2012-08", "2012-07"),
        (MONTHLY, "2012-04", "2012-03"),  # crosses into last year
        (MONTHLY, "2013-01", "2012-12"),  # crosses a calendar year, not a financial one
        (QUARTERLY, "2012-06", "2012-03"),
        (QUARTERLY, "2013-03", "2012-12"),
        (HALF, "2012-09", "2012-03"),
        (HALF, "2013-03", "2012-09"),
        (ANNUAL, "2013-03", "2012-03"),
    ],
)
def test_previous_period(frequency, period, before):
    assert periods.previous(frequency, p(period)).name == before


@pytest.mark.parametrize(
    ("period", "last_year"),
    [("2012-08", "2011-08"), ("2013-03", "2012-03"), ("2012-02", "2011-02")],
)
def test_same_period_last_year(period, last_year):
    assert periods.same_period_last_year(p(period)).name == last_year


@pytest.mark.parametrize(
    ("frequency", "period", "text"),
    [
        (MONTHLY, "2012-08", "August 2012"),
        (QUARTERLY, "2012-06", "Quarter 1 2012/13 (April to June 2012)"),
        (QUARTERLY, "2013-03", "Quarter 4 2012/13 (January to March 2013)"),
        (HALF, "2012-09", "Half-year 1 2012/13 (April to September 2012)"),
        (HALF, "2013-03", "Half-year 2 2012/13 (October 2012 to March 2013)"),
        (ANNUAL, "2013-03", "2012/13"),
    ],
)
def test_describe(frequency, period, text):
    assert periods.describe(frequency, p(period)) == text


def test_months_of_year_run_april_to_march():
    months = periods.months_of_year(2011)
    assert (months[0].name, months[-1].name, len(months)) == ("2011-04", "2012-03", 12)
