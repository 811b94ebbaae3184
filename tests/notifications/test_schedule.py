"""The embedded default runs the reminder job in the web process, started by a request."""

import pytest
from django.test import RequestFactory

from notifications import schedule


@pytest.fixture
def no_thread(monkeypatch):
    """Stand in for the thread's start: the test checks when it starts, not the hour's wait."""
    started = []
    monkeypatch.setattr(schedule, "_thread", None)
    monkeypatch.setattr(
        schedule.threading, "Thread", lambda **kwargs: started.append(kwargs) or _Started()
    )
    return started


class _Started:
    def start(self):
        pass


def test_the_first_request_starts_the_hourly_job_once(settings, no_thread):
    settings.REMINDERS_IN_PROCESS = True
    middleware = schedule.HourlyRemindersMiddleware(lambda request: "page")
    assert middleware(RequestFactory().get("/")) == "page"
    middleware(RequestFactory().get("/"))
    assert [kwargs["name"] for kwargs in no_thread] == ["reminders"]


def test_production_leaves_it_to_the_timer(settings, no_thread):
    settings.REMINDERS_IN_PROCESS = False
    schedule.HourlyRemindersMiddleware(lambda request: "page")(RequestFactory().get("/"))
    assert no_thread == []


def test_a_failing_run_is_logged_not_raised(monkeypatch, caplog):
    from notifications import reminders

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(reminders, "send_reminders", broken)
    schedule.run_once()
    assert "The reminder job failed" in caplog.text
