"""Benchmark: the demo council's plans and committee summaries as Word documents (DOCX).

    SECRET_KEY=x DATABASE_URL=sqlite:////tmp/bench-docx.sqlite3 \
        .venv/bin/python bench/bench_docx.py [--runs 5]

Migrates the database DATABASE_URL names and, inside one transaction rolled back at the end,
loads the demo council if it is not there. Prints the milliseconds (best of the runs, the least
disturbed by the rest of the machine) to build the DOCX of the demo's largest plan (the most
objectives, actions, risks and indicators), which the web makes in the request, and of each
committee's summary, and the CPU time of the best run (this process's own: on a machine that is
busy with other work, steadier than the wall clock), with the file's size.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from organisation.models import Committee, Service  # noqa: E402
from performance.models import Indicator  # noqa: E402
from plans.models import ServicePlan  # noqa: E402
from reports.base import get_report  # noqa: E402
from reports.docx import render_docx  # noqa: E402


class Rollback(Exception):
    pass


def best_ms(label: str, slug: str, form_data: dict, runs: int) -> None:
    times, cpu_times, size = [], [], 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        rendered = render_docx(get_report(slug).from_form_data(form_data))
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        size = len(rendered.content)
    print(
        f"{label:55} {min(times):6.0f} ms best, {max(times):6.0f} ms worst, "
        f"{min(cpu_times):6.0f} ms CPU best, {size // 1024} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    try:
        with transaction.atomic():
            if not Service.objects.exists():
                call_command("load_demo", verbosity=0)
            plans = ServicePlan.objects.annotate(
                parts=Count("objectives", distinct=True)
                + Count("actions", distinct=True)
                + Count("risks", distinct=True)
            )
            indicators = dict(
                Indicator.objects.values("service")
                .annotate(n=Count("pk"))
                .values_list("service", "n")
            )
            largest = max(plans, key=lambda plan: plan.parts + indicators.get(plan.service_id, 0))
            best_ms(
                f"Service plan: {largest.service} {largest.year} v{largest.version}",
                "service-plan",
                {"plan": str(largest.pk)},
                args.runs,
            )
            for committee in Committee.objects.all():
                best_ms(
                    f"Committee summary: {committee.name}",
                    "committee-summary",
                    {"committee": str(committee.pk), "year": "2012", "as_at": "2012-08"},
                    args.runs,
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
