import datetime

import pytest

from organisation import years


@pytest.mark.parametrize(
    ("start_year", "label"), [(2012, "2012/13"), (1999, "1999/00"), (2099, "2099/00")]
)
def test_label(start_year, label):
    assert years.label_for(start_year) == label


@pytest.mark.parametrize(
    ("label", "start_year"),
    [
        ("2012/13", 2012),
        ("2012-13", 2012),
        ("2012/2013", 2012),
        (" 2012 / 13 ", 2012),
        ("1999/00", 1999),
    ],
)
def test_parse_label(label, start_year):
    assert years.parse_label(label) == start_year


@pytest.mark.parametrize("label", ["2012", "2012/14", "2012/12", "12/13", "", "twenty12/13"])
def test_parse_label_refuses_what_is_not_a_year(label):
    with pytest.raises(ValueError, match="financial year"):
        years.parse_label(label)


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (datetime.date(2012, 4, 1), 2012),
        (datetime.date(2013, 3, 31), 2012),
        (datetime.date(2013, 4, 1), 2013),
        (datetime.date(2013, 1, 1), 2012),
        (datetime.date(2012, 12, 31), 2012),
    ],
)
def test_start_year_of(day, start_year):
    assert years.start_year_of(day) == start_year


def test_year_runs_from_april_to_march():
    assert years.start_date(2012) == datetime.date(2012, 4, 1)
    assert years.end_date(2012) == datetime.date(2013, 3, 31)
