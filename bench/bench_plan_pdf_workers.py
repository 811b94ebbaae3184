"""Benchmark: the stored PDFs of N published plans rendered by 1, then 2, `manage.py db_worker`
processes, as the queue runs them in production.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_booklet \
        .venv/bin/python bench/bench_plan_pdf_workers.py [--plans 20] [--workers 1,2]

Uses the council in the database: the county council of bench/make_council.py, or the one
bench_booklet_memory.py generates (made here when no plan is published: 300 services with a
published 2012/13 plan each); `--plans 300 --workers 2` renders every plan of the county.
For each number of workers: the first N plans' stored PDFs are deleted (rows and files, so
that nothing is reused: reports.tasks._rendered_before), queued again as publishing queues
them, and the workers started with --batch (each stops when the queue is empty). Prints the
wall time, pages, pages a second, the largest worker's peak memory, and what that rate makes
of 300 plans of about 6,800 pages.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-plan-pdfs-"))
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from plans.models import ServicePlan  # noqa: E402
from reports import tasks  # noqa: E402
from reports.models import GeneratedReport  # noqa: E402

COUNTY_PAGES = 6800


def queue(plans: list[int]) -> None:
    for row in GeneratedReport.objects.filter(plan__in=plans):
        if row.file:
            row.file.delete(save=False)
    GeneratedReport.objects.filter(plan__in=plans).delete()
    DBTaskResult.objects.all().delete()
    for plan_id in plans:
        tasks.schedule_plan_pdf(plan_id=plan_id)


def run_workers(count: int) -> float:
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    environment = {**os.environ, "REPORTS_WORKER": "process", "MEDIA_ROOT": settings.MEDIA_ROOT}
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [*command, "--no-reload", "--worker-id", f"bench-{n}"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
        )
        for n in range(count)
    ]
    for worker in workers:
        worker.wait()
    return time.perf_counter() - started


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not ServicePlan.objects.published().exists():  # else the council made by make_council.py
        from bench_booklet_memory import generate

        generate(300)
    plans = list(
        ServicePlan.objects.published().order_by("pk").values_list("pk", flat=True)[: args.plans]
    )
    print(f"{len(plans)} plans, {os.cpu_count()} cores")
    for count in (int(n) for n in args.workers.split(",")):
        queue(plans)
        cpu_before = cpu_seconds()
        seconds = run_workers(count)
        cpu = cpu_seconds() - cpu_before
        rows = GeneratedReport.objects.filter(plan__in=plans)
        done = rows.filter(status=GeneratedReport.Status.DONE).count()
        pages = rows.aggregate(pages=Sum("page_count"))["pages"] or 0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rate = pages / seconds
        print(
            f"{count} worker{'s' if count > 1 else ' '}: {done}/{len(plans)} PDFs, {pages} pages "
            f"in {seconds:5.1f} s = {rate:4.1f} pages/s; largest worker's peak {peak:4.0f} MB "
            f"(so far); {COUNTY_PAGES:,} pages would take {COUNTY_PAGES / rate / 60:4.1f} min"
        )
        # On a machine shared with other work the wall time says little; the workers' CPU
        # time says what the same pages cost on cores of their own.
        per_page = cpu / pages
        print(
            f"          {cpu:6.1f} CPU s, {per_page:5.2f} CPU s a page: on {count} idle "
            f"core{'s' if count > 1 else ''}, {COUNTY_PAGES:,} pages in "
            f"{COUNTY_PAGES * per_page / count / 60:4.1f} min"
        )


if __name__ == "__main__":
    main()
