"""The reminder job on the embedded default: a thread of the web process runs it every hour
(settings.REMINDERS_IN_PROCESS, on when jobs run in the web process: REPORTS_WORKER=thread).
In production a systemd timer runs `manage.py send_reminders` hourly instead
(docs/deployment.md).

Hourly, not daily: the job tells each reminder once and sends one digest a day, so the extra
runs cost only a look, and they retry mail that failed and catch a machine that was asleep at
the hour. The thread starts with the first request the process serves (the middleware below),
so management commands and migrations never start it.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600
# The hours it runs in (local time): the digests go out from 07:00, none in the night.
WORKING_HOURS = range(7, 20)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def start_once() -> bool:
    """Start the hourly thread unless this process already has it; True if it started now."""
    global _thread
    with _lock:
        if _thread is not None:
            return False
        _thread = threading.Thread(target=_every_hour, name="reminders", daemon=True)
        _thread.start()
        return True


def run_once() -> None:
    """One run of the job; what goes wrong is logged, never raised into the web process."""
    from notifications.reminders import send_reminders

    try:
        run = send_reminders()
        logger.info(
            "Reminders: %d told, %d emails sent, %d not sent", run.told, run.sent, run.failed
        )
    except Exception:
        logger.exception("The reminder job failed; it runs again in an hour")
    finally:
        connections.close_all()


def _every_hour() -> None:
    from django.utils import timezone

    while True:
        if timezone.localtime().hour in WORKING_HOURS:
            run_once()
        time.sleep(INTERVAL_SECONDS)


class HourlyRemindersMiddleware:
    """Starts the hourly reminder thread with the first request, when the job runs in the web
    process; otherwise does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REMINDERS_IN_PROCESS and _thread is None:
            start_once()
        return self.get_response(request)
