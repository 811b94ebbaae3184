"""The monitoring points a year starts with, and which one officers are working towards."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from organisation import reporting_calendar
from organisation.models import MonitoringPoint
from tests import factories

D = datetime.date


@pytest.mark.parametrize(
    "cadence, expected",
    [
        (
            "half-yearly",
            [
                ("Half-year", D(2012, 9, 30), D(2012, 10, 31)),
                ("Year-end", D(2013, 3, 31), D(2013, 4, 30)),
            ],
        ),
        (
            "quarterly",
            [
                ("Quarter 1", D(2012, 6, 30), D(2012, 7, 31)),
                ("Half-year", D(2012, 9, 30), D(2012, 10, 31)),
                ("Quarter 3", D(2012, 12, 31), D(2013, 1, 31)),
                ("Year-end", D(2013, 3, 31), D(2013, 4, 30)),
            ],
        ),
    ],
)
def test_usual_points(cadence, expected):
    points = reporting_calendar.usual_points(2012, cadence)
    assert [(p.name, p.as_at, p.due_date) for p in points] == expected


def test_the_councils_cadence_is_the_default(settings):
    settings.MONITORING_CADENCE = "quarterly"
    assert len(reporting_calendar.usual_points(2012)) == 4


def test_february_of_a_leap_year_ends_on_the_29th():
    assert reporting_calendar.month_end(2016, 2) == D(2016, 2, 29)


@pytest.mark.django_db
def test_set_up_leaves_points_an_administrator_set_alone():
    year = factories.FinancialYearFactory(start_year=2012)
    MonitoringPoint.objects.create(
        year=year, name="Mid-term", as_at=D(2012, 9, 30), due_date=D(2012, 11, 15)
    )
    made = reporting_calendar.set_up_usual_points(year, "quarterly")
    assert [p.name for p in made] == ["Quarter 1", "Quarter 3", "Year-end"]
    assert reporting_calendar.set_up_usual_points(year, "quarterly") == []
    names = list(year.monitoring_points.values_list("name", flat=True))
    assert names == ["Quarter 1", "Mid-term", "Quarter 3", "Year-end"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2012, 4, 1), "Half-year"),
        (D(2012, 10, 31), "Half-year"),  # the due day itself
        (D(2012, 11, 1), "Year-end"),
        (D(2013, 4, 30), "Year-end"),
        (D(2014, 1, 1), "Year-end"),  # after the year: its last point
    ],
)
def test_current_point(today, expected):
    year = factories.FinancialYearFactory(start_year=2012)
    reporting_calendar.set_up_usual_points(year, "half-yearly")
    assert reporting_calendar.current_point(year, today).name == expected


@pytest.mark.django_db
def test_a_point_outside_its_year_or_due_before_it_reports_is_refused():
    year = factories.FinancialYearFactory(start_year=2012)
    point = MonitoringPoint(year=year, name="Odd", as_at=D(2013, 6, 30), due_date=D(2013, 7, 31))
    with pytest.raises(ValidationError, match="must fall within 2012/13"):
        point.full_clean()
    with pytest.raises(IntegrityError):
        MonitoringPoint.objects.create(
            year=year, name="Early", as_at=D(2012, 9, 30), due_date=D(2012, 9, 1)
        )
