"""Benchmark: peak memory and time of the KPI booklet for a council of 300 services and 3,000
indicators, rendered as one document and in parts joined into one.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_booklet \
        .venv/bin/python bench/bench_booklet_memory.py [--services 300] [--out booklet.pdf]

Migrates the database DATABASE_URL names and, if it holds no council yet, generates one there
with bench_send_reminders' generator (ten services to a head of service, ten monthly
indicators a service with figures April to September) and commits it: use a database of your
own, thrown away afterwards. The county council of bench/make_council.py (figures to August
2012) is used as it is: `--as-at 2012-08`. Then each way of rendering runs in a process of its
own, so that its peak resident memory (getrusage's ru_maxrss) is the render's alone, and prints
pages, seconds and the peak.

- whole: the booklet as one HTML document through reports.pdf.html_to_pdf (the way every
  report rendered before the booklet was rendered in parts).
- parts: KpiBookletReport.render(), which lays out the booklet in parts and joins them
  (reports.booklet, reports.joining).

--commentary gives every figure of the month three lines of commentary (in the render's own
transaction, rolled back), which makes a booklet of about twice the pages.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from organisation.models import Service  # noqa: E402
from performance import periods  # noqa: E402
from performance.models import Actual  # noqa: E402
from reports import pdf  # noqa: E402
from reports.base import get_report  # noqa: E402

FORM = {"year": "2012", "as_at": "2012-09"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(services: int) -> None:
    from bench_send_reminders import INDICATORS_PER_SERVICE, generate_council

    if Service.objects.filter(name__startswith="Bench service").exists():
        return
    started = time.perf_counter()
    with transaction.atomic():
        generate_council(services, 1)
    print(
        f"Generated {services} services, {services * INDICATORS_PER_SERVICE} indicators "
        f"in {time.perf_counter() - started:.0f} s (kept for the next run)"
    )


COMMENTARY = (
    "Performance this month reflects the seasonal pattern seen in previous years. The team "
    "expects the position to improve as the new arrangements bed in; the figure will be "
    "reviewed with the head of service at the next quarterly meeting."
)


def render(mode: str, out: str, commentary: bool, as_at: str) -> None:
    with transaction.atomic():
        if commentary:  # a county's officers write a few lines for most figures
            month_end = periods.parse(as_at).end_date
            Actual.objects.filter(period_end=month_end).update(commentary=COMMENTARY)
        _render(mode, out, as_at)
        transaction.set_rollback(True)


def _render(mode: str, out: str, as_at: str) -> None:
    report = get_report("kpi-booklet").from_form_data({**FORM, "as_at": as_at})
    started = time.perf_counter()
    if mode == "whole":
        result = pdf.html_to_pdf(report.html(report.data()))
        content, pages = result.content, result.page_count
    else:
        rendered = report.render()
        content, pages = rendered.content, rendered.page_count
    seconds = time.perf_counter() - started
    if out:
        Path(out).write_bytes(content)
    print(
        f"{mode:6}: {pages:4d} pages, {len(content) / 1e6:5.1f} MB, {seconds:6.1f} s, "
        f"{pages / seconds:5.1f} pages/s, peak memory {peak_mb():6.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--modes", default="whole,parts")
    parser.add_argument("--out", default="", help="Keep the PDFs: MODE is put before .pdf")
    parser.add_argument(
        "--commentary", action="store_true", help="Three lines of commentary on each figure"
    )
    parser.add_argument("--as-at", default=FORM["as_at"], help="the booklet's month, YYYY-MM")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        render(args.child, args.out, args.commentary, args.as_at)
        return
    call_command("migrate", verbosity=0)
    if not Service.objects.exists():
        generate(args.services)
    for mode in args.modes.split(","):
        out = args.out.replace(".pdf", f"-{mode}.pdf") if args.out else ""
        command = [sys.executable, __file__, "--child", mode, "--out", out, "--as-at", args.as_at]
        command += ["--commentary"] if args.commentary else []
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
