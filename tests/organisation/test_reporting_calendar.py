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


# --- Working days --------------------------------------------------------------------------

ENGLAND, SCOTLAND, NORTHERN_IRELAND = "england-and-wales", "scotland", "northern-ireland"
REGIONS = [ENGLAND, SCOTLAND, NORTHERN_IRELAND]


@pytest.mark.parametrize(
    "day, working_in",
    [
        # Weekends, and an ordinary week either side.
        (D(2023, 6, 2), REGIONS),  # Friday
        (D(2023, 6, 3), []),  # Saturday
        (D(2023, 6, 4), []),  # Sunday
        (D(2023, 6, 5), REGIONS),  # Monday
        # Christmas on a Saturday (2021): both days move to Monday and Tuesday.
        (D(2021, 12, 24), REGIONS),
        (D(2021, 12, 27), []),
        (D(2021, 12, 28), []),
        (D(2021, 12, 29), REGIONS),
        # Christmas on a Sunday (2022): Boxing Day stays, Christmas moves to Tuesday.
        (D(2022, 12, 26), []),
        (D(2022, 12, 27), []),
        (D(2022, 12, 28), REGIONS),
        # New Year's Day on a Sunday (2023); Scotland has 2 January too, moved to the 3rd.
        (D(2023, 1, 2), []),
        (D(2023, 1, 3), [ENGLAND, NORTHERN_IRELAND]),
        (D(2024, 1, 2), [ENGLAND, NORTHERN_IRELAND]),
        # Easter: Good Friday everywhere, Easter Monday not in Scotland.
        (D(2023, 4, 7), []),
        (D(2023, 4, 10), [SCOTLAND]),
        # The summer bank holiday: first Monday of August in Scotland, last elsewhere.
        (D(2023, 8, 7), [ENGLAND, NORTHERN_IRELAND]),
        (D(2023, 8, 28), [SCOTLAND]),
        # St Andrew's Day in Scotland, moved to Monday when it falls at a weekend.
        (D(2022, 11, 30), [ENGLAND, NORTHERN_IRELAND]),
        (D(2024, 12, 2), [ENGLAND, NORTHERN_IRELAND]),
        (D(2025, 12, 1), [ENGLAND, NORTHERN_IRELAND]),
        # St Patrick's Day and the Battle of the Boyne in Northern Ireland (12 July 2020 was a
        # Sunday: the 13th instead).
        (D(2023, 3, 17), [ENGLAND, SCOTLAND]),
        (D(2023, 7, 12), [ENGLAND, SCOTLAND]),
        (D(2020, 7, 13), [ENGLAND, SCOTLAND]),
        # One-off holidays: the Platinum Jubilee, the Queen's state funeral, the coronation.
        (D(2022, 6, 3), []),
        (D(2022, 9, 19), []),
        (D(2023, 5, 8), []),
        (D(2023, 5, 9), REGIONS),
    ],
)
@pytest.mark.parametrize("region", REGIONS)
def test_is_working_day(settings, region, day, working_in):
    settings.BANK_HOLIDAYS = region
    assert reporting_calendar.is_working_day(day) is (region in working_in)


@pytest.mark.parametrize(
    "region, day, count, expected",
    [
        (ENGLAND, D(2023, 6, 5), 0, D(2023, 6, 5)),
        (ENGLAND, D(2023, 6, 3), 0, D(2023, 6, 3)),  # 0 leaves even a Saturday alone
        (ENGLAND, D(2023, 6, 5), 1, D(2023, 6, 6)),
        (ENGLAND, D(2023, 6, 2), 1, D(2023, 6, 5)),  # Friday + 1: over the weekend
        (ENGLAND, D(2023, 6, 3), 1, D(2023, 6, 5)),  # from a Saturday
        (ENGLAND, D(2023, 6, 5), 5, D(2023, 6, 12)),
        # Over the Easter weekend: Good Friday and Easter Monday skipped, but not in Scotland.
        (ENGLAND, D(2023, 4, 6), 1, D(2023, 4, 11)),
        (SCOTLAND, D(2023, 4, 6), 1, D(2023, 4, 10)),
        (NORTHERN_IRELAND, D(2023, 4, 6), 1, D(2023, 4, 11)),
        # Over Christmas and New Year into the next calendar year.
        (ENGLAND, D(2022, 12, 23), 6, D(2023, 1, 5)),
        (SCOTLAND, D(2022, 12, 23), 6, D(2023, 1, 6)),
        # Backwards.
        (ENGLAND, D(2023, 6, 5), -1, D(2023, 6, 2)),
        (ENGLAND, D(2023, 6, 4), -1, D(2023, 6, 2)),  # from a Sunday
        (ENGLAND, D(2023, 4, 11), -1, D(2023, 4, 6)),
        (SCOTLAND, D(2023, 4, 11), -1, D(2023, 4, 10)),
        (ENGLAND, D(2023, 1, 4), -4, D(2022, 12, 28)),
    ],
)
def test_add_working_days(settings, region, day, count, expected):
    settings.BANK_HOLIDAYS = region
    assert reporting_calendar.add_working_days(day, count) == expected


@pytest.mark.parametrize(
    "region, start, end, expected",
    [
        (ENGLAND, D(2023, 6, 5), D(2023, 6, 5), 0),
        (ENGLAND, D(2023, 6, 3), D(2023, 6, 4), 0),  # a weekend: no working days
        (ENGLAND, D(2023, 6, 2), D(2023, 6, 5), 1),  # Friday to Monday
        (ENGLAND, D(2023, 6, 5), D(2023, 6, 9), 4),
        (ENGLAND, D(2023, 6, 5), D(2023, 6, 12), 5),
        (ENGLAND, D(2023, 4, 6), D(2023, 4, 14), 4),  # Easter: 11th to 14th
        (SCOTLAND, D(2023, 4, 6), D(2023, 4, 14), 5),  # Easter Monday is worked
        (ENGLAND, D(2022, 12, 23), D(2023, 1, 6), 7),
        (SCOTLAND, D(2022, 12, 23), D(2023, 1, 6), 6),
        (ENGLAND, D(2023, 1, 1), D(2023, 12, 31), 251),  # 260 weekdays less 9 holidays
    ],
)
def test_working_days_between_both_ways(settings, region, start, end, expected):
    settings.BANK_HOLIDAYS = region
    assert reporting_calendar.working_days_between(start, end) == expected
    assert reporting_calendar.working_days_between(end, start) == -expected


@pytest.mark.parametrize("count", [-12, -5, -1, 1, 3, 10, 40])
@pytest.mark.parametrize("region", REGIONS)
def test_working_days_between_counts_what_add_working_days_added(settings, region, count):
    settings.BANK_HOLIDAYS = region
    start = D(2022, 12, 20)  # a working day everywhere
    end = reporting_calendar.add_working_days(start, count)
    assert reporting_calendar.working_days_between(start, end) == count


@pytest.mark.parametrize(
    "period_end, after, region, expected",
    [
        # Easter 2023 (Good Friday 7 April, Easter Monday 10 April outside Scotland).
        (D(2023, 3, 31), 0, ENGLAND, D(2023, 3, 31)),
        (D(2023, 3, 31), 5, ENGLAND, D(2023, 4, 11)),
        (D(2023, 3, 31), 10, ENGLAND, D(2023, 4, 18)),
        (D(2023, 3, 31), 0, SCOTLAND, D(2023, 3, 31)),
        (D(2023, 3, 31), 5, SCOTLAND, D(2023, 4, 10)),
        (D(2023, 3, 31), 10, SCOTLAND, D(2023, 4, 17)),
        (D(2023, 3, 31), 0, NORTHERN_IRELAND, D(2023, 3, 31)),
        (D(2023, 3, 31), 5, NORTHERN_IRELAND, D(2023, 4, 11)),
        (D(2023, 3, 31), 10, NORTHERN_IRELAND, D(2023, 4, 18)),
        # May Day (1 May) and the coronation (8 May) 2023, everywhere.
        (D(2023, 4, 30), 0, ENGLAND, D(2023, 4, 30)),
        (D(2023, 4, 30), 5, ENGLAND, D(2023, 5, 9)),
        (D(2023, 4, 30), 10, ENGLAND, D(2023, 5, 16)),
        (D(2023, 4, 30), 0, SCOTLAND, D(2023, 4, 30)),
        (D(2023, 4, 30), 5, SCOTLAND, D(2023, 5, 9)),
        (D(2023, 4, 30), 10, SCOTLAND, D(2023, 5, 16)),
        (D(2023, 4, 30), 0, NORTHERN_IRELAND, D(2023, 4, 30)),
        (D(2023, 4, 30), 5, NORTHERN_IRELAND, D(2023, 5, 9)),
        (D(2023, 4, 30), 10, NORTHERN_IRELAND, D(2023, 5, 16)),
        # New Year 2023 (2 January; Scotland the 3rd too).
        (D(2022, 12, 31), 0, ENGLAND, D(2022, 12, 31)),
        (D(2022, 12, 31), 5, ENGLAND, D(2023, 1, 9)),
        (D(2022, 12, 31), 10, ENGLAND, D(2023, 1, 16)),
        (D(2022, 12, 31), 0, SCOTLAND, D(2022, 12, 31)),
        (D(2022, 12, 31), 5, SCOTLAND, D(2023, 1, 10)),
        (D(2022, 12, 31), 10, SCOTLAND, D(2023, 1, 17)),
        (D(2022, 12, 31), 0, NORTHERN_IRELAND, D(2022, 12, 31)),
        (D(2022, 12, 31), 5, NORTHERN_IRELAND, D(2023, 1, 9)),
        (D(2022, 12, 31), 10, NORTHERN_IRELAND, D(2023, 1, 16)),
    ],
)
def test_figure_due_date(settings, period_end, after, region, expected):
    settings.BANK_HOLIDAYS = region
    settings.FIGURES_DUE_WORKING_DAYS = after
    assert reporting_calendar.figure_due_date(period_end) == expected


def test_figures_are_due_ten_working_days_after_by_default():
    assert reporting_calendar.figure_due_date(D(2023, 3, 31)) == D(2023, 4, 18)


def test_progress_is_due_when_the_administrator_said():
    point = MonitoringPoint(name="Half-year", as_at=D(2012, 9, 30), due_date=D(2012, 11, 2))
    assert reporting_calendar.progress_due_date(point) == D(2012, 11, 2)


# --- Planning round deadlines --------------------------------------------------------------


@pytest.mark.parametrize(
    "plans_due, approvals_due",
    [
        (None, None),
        (D(2013, 2, 28), None),
        (None, D(2013, 3, 15)),
        (D(2013, 2, 28), D(2013, 3, 15)),
    ],
)
def test_plan_deadlines_are_the_years(plans_due, approvals_due):
    year = factories.FinancialYearFactory.build(plans_due=plans_due, approvals_due=approvals_due)
    assert reporting_calendar.plan_deadlines(year) == reporting_calendar.PlanDeadlines(
        submit_by=plans_due, approve_by=approvals_due
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "plans_due, approvals_due, refused",
    [
        (None, None, False),
        (D(2013, 2, 28), None, False),
        (None, D(2013, 3, 15), False),
        (D(2013, 2, 28), D(2013, 3, 15), False),
        (D(2013, 2, 28), D(2013, 2, 28), False),  # the same day
        (D(2013, 2, 28), D(2013, 2, 27), True),
    ],
)
def test_plans_cannot_be_due_for_approval_before_submission(plans_due, approvals_due, refused):
    year = factories.FinancialYearFactory.build(plans_due=plans_due, approvals_due=approvals_due)
    if refused:
        with pytest.raises(ValidationError) as raised:
            year.full_clean()
        assert raised.value.message_dict == {
            "approvals_due": ["Plans cannot be due for approval before they are submitted."]
        }
        with pytest.raises(IntegrityError):
            year.save()
    else:
        year.full_clean()
        year.save()
