"""Who runs the queued report jobs.

settings.REPORTS_WORKER = "thread" (the embedded default, on SQLite): a thread of the web
process runs django-tasks-db's own worker loop until the queue is empty, then stops; enqueuing
a job starts it again, as does the button a waiting job's page offers when no thread runs (a job
queued before the web process restarted). "process" (production): the jobs
wait for `python manage.py db_worker`, a process of its own, and this module does nothing.

The thread uses the same worker code, queue and database rows as the separate process; it only
saves starting one. It never blocks a request: kick() returns at once.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_again = False


def runs_in_process() -> bool:
    return settings.REPORTS_WORKER == "thread"


def kick() -> None:
    """Make sure queued jobs get run: start the worker thread, or tell the running one to look
    again before it stops."""
    global _thread, _again
    if not runs_in_process():
        return
    with _lock:
        if _thread is not None:
            _again = True
            return
        _thread = threading.Thread(target=_run, name="report-worker", daemon=True)
        _thread.start()


def is_running() -> bool:
    """Whether this process's worker thread is running (always False with REPORTS_WORKER=process:
    the jobs are another process's)."""
    return _thread is not None


def _run() -> None:
    global _thread, _again
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        while True:
            Worker(
                queue_names=["*"],
                excluded_queue_names=[],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"web-{os.getpid()}-{threading.get_ident()}"[:64],
            ).run()
            with _lock:
                if not _again:
                    _thread = None
                    return
                _again = False
    except BaseException:
        logger.exception("The in-process report worker stopped")
        with _lock:
            _thread = None
        raise
    finally:
        connections.close_all()


def wait(timeout: float = 60) -> bool:
    """For tests and the benchmark: wait until the worker thread has stopped; True if it has."""
    thread = _thread
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True
