"""The rules of progress updates (plans.progress), table-driven with their boundaries. No
database: the monitoring point is built, not saved."""

import datetime

import pytest

from plans.progress import is_overdue, update_problems
from tests import factories

DUE = datetime.date(2012, 9, 30)
TODAY = datetime.date(2012, 10, 15)


@pytest.mark.parametrize(
    ("due", "status", "as_at", "overdue"),
    [
        (DUE, "on_track", DUE, False),  # due on the day: the last day to deliver, not late yet
        (DUE, "on_track", DUE + datetime.timedelta(days=1), True),  # the day after
        (DUE, "on_track", DUE - datetime.timedelta(days=1), False),
        (DUE, "not_started", datetime.date(2013, 3, 31), True),
        (DUE, "at_risk", datetime.date(2013, 3, 31), True),
        (DUE, "off_track", datetime.date(2013, 3, 31), True),
        (DUE, "completed", datetime.date(2013, 3, 31), False),  # completed: never overdue
        (DUE, "cancelled", datetime.date(2013, 3, 31), False),
        (None, "on_track", datetime.date(2013, 3, 31), False),  # no target date
    ],
)
def test_is_overdue(due, status, as_at, overdue):
    assert is_overdue(due=due, status=status, as_at=as_at) is overdue


@pytest.fixture
def point():
    year = factories.FinancialYearFactory.build(start_year=2012)
    return factories.MonitoringPointFactory.build(year=year)


def problems(point, kind="action", **fields):
    return update_problems(kind=kind, point=point, today=TODAY, **fields)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Status: one of the six, and commentary where members need to know why.
        ({"status": ""}, {"status"}),
        ({"status": "done"}, {"status"}),
        ({"status": "on_track"}, set()),
        ({"status": "not_started"}, set()),
        ({"status": "at_risk"}, {"commentary"}),
        ({"status": "off_track"}, {"commentary"}),
        ({"status": "cancelled"}, {"commentary"}),
        ({"status": "at_risk", "commentary": "   "}, {"commentary"}),
        ({"status": "at_risk", "commentary": "Supplier late."}, set()),
        ({"status": "off_track", "commentary": "No bids."}, set()),
        ({"status": "cancelled", "commentary": "No longer needed."}, set()),
        ({"status": "completed"}, set()),
        # % complete: 0 to 100; 100 (or blank) when completed; 0 when not started.
        ({"status": "on_track", "percent_complete": 0}, set()),
        ({"status": "on_track", "percent_complete": 100}, set()),
        ({"status": "on_track", "percent_complete": 101}, {"percent_complete"}),
        ({"status": "on_track", "percent_complete": -1}, {"percent_complete"}),
        ({"status": "completed", "percent_complete": 100}, set()),
        ({"status": "completed", "percent_complete": 99}, {"percent_complete"}),
        ({"status": "not_started", "percent_complete": 0}, set()),
        ({"status": "not_started", "percent_complete": 1}, {"percent_complete"}),
        # Only a milestone has a completion date.
        ({"status": "completed", "completed_on": TODAY}, {"completed_on"}),
        # Evidence links are web addresses.
        ({"status": "on_track", "evidence_link": "https://example.org/report"}, set()),
        ({"status": "on_track", "evidence_link": "javascript:alert(1)"}, {"evidence_link"}),
        ({"status": "on_track", "evidence_link": "file:///etc/passwd"}, {"evidence_link"}),
    ],
)
def test_action_update_problems(point, fields, expected):
    assert set(problems(point, **fields)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "completed", "completed_on": TODAY}, set()),  # today: not in the future
        (
            {"status": "completed", "completed_on": TODAY + datetime.timedelta(days=1)},
            {"completed_on"},
        ),
        ({"status": "completed", "completed_on": datetime.date(2012, 4, 1)}, set()),  # year start
        ({"status": "completed", "completed_on": datetime.date(2012, 3, 31)}, {"completed_on"}),
        ({"status": "completed"}, {"completed_on"}),  # completed: say when
        ({"status": "on_track", "completed_on": TODAY}, {"completed_on"}),  # not completed
        ({"status": "on_track"}, set()),
    ],
)
def test_milestone_completion_date(point, fields, expected):
    assert set(problems(point, kind="milestone", **fields)) == expected


def test_the_messages_say_what_to_do(point):
    assert problems(point, status="at_risk") == {
        "commentary": "Say why it is at risk, and what is being done about it."
    }
    found = problems(
        point, kind="milestone", status="completed", completed_on=TODAY.replace(2012, 3, 1)
    )
    assert found == {"completed_on": "The completion date must fall within 2012/13."}


@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"),
    [
        (1, 1, set()),
        (5, 5, set()),
        (0, 3, {"likelihood"}),
        (3, 6, {"impact"}),
        (None, None, {"likelihood", "impact"}),
    ],
)
def test_risk_scores_are_1_to_5(point, likelihood, impact, expected):
    found = problems(point, kind="risk", likelihood=likelihood, impact=impact)
    assert set(found) == expected


def test_a_risk_needs_no_status(point):
    assert problems(point, kind="risk", status="", likelihood=2, impact=2) == {}
