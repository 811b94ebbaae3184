"""Benchmark: the performance overview, the corporate indicators and a priority's page for a
council of 300 services and 3,000 indicators with five years of monthly figures.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_overview \
        .venv/bin/python bench/bench_overview.py [--services 300] [--runs 5]

Migrates the database DATABASE_URL names and, the first time, generates the council with the
reminder benchmark's generator (a published 2012/13 plan and ten monthly indicators per
service, figures April to September 2012), then adds four years of monthly history
(April 2008 to March 2012), figures spread across green, amber and red, commentary on every
figure, forecasts on some, one indicator in ten corporate and one in six measuring a
corporate priority, and a progress update per action at the half-year with one action in
eight off track. The council stays in that database, so later runs (before and after a
change) measure the same data; drop the database to start again. Each page is read by a
member (no role: the published plans' services) `--runs` times after one warm-up; it prints
the median milliseconds, the queries and the size of the page.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models.functions import Mod  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.bench_send_reminders import generate_council  # noqa: E402
from organisation.models import MonitoringPoint, Priority, Service  # noqa: E402
from organisation.reporting_calendar import month_end  # noqa: E402
from performance.models import Actual, Indicator  # noqa: E402
from plans.models import Action, ProgressUpdate  # noqa: E402

HISTORY_YEARS = range(2008, 2012)  # April 2008 to March 2012, before the generated 2012/13
COMMENTARY = (
    "Performance this month reflects seasonal demand and the staffing position described in "
    "the service plan; the team expects the figure to recover as the new system beds in."
)


def build(services: int) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        generate_council(services, officers=1)
        indicators = list(Indicator.objects.values_list("pk", flat=True))
        Actual.objects.bulk_create(
            (
                Actual(
                    indicator_id=pk,
                    period_end=month_end(year + (month < 4), month),
                    value=Decimal(0),
                    commentary=COMMENTARY,
                )
                for pk in indicators
                for year in HISTORY_YEARS
                for month in (*range(4, 13), 1, 2, 3)
            ),
            batch_size=5000,
        )
        _spread_figures()
        _corporate_and_priority(indicators)
        _progress()
    if connection.vendor == "postgresql":  # statistics, as autovacuum would gather in time
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Generated the council in {time.perf_counter() - started:.0f} s")


def _spread_figures() -> None:
    """Figures from 75 to 94.5 against targets of 90: about a quarter green, the rest amber
    and red; one 2012/13 figure in four with a forecast. One statement each: a row at a
    time would take longer than the pages measured."""
    table = Actual._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET value = 75 + ((id * 7 + indicator_id) % 40) / 2.0")
    every_fourth = (
        Actual.objects.filter(period_end__gte=datetime.date(2012, 4, 30))
        .annotate(fourth=Mod("pk", 4))
        .filter(fourth=0)
    )
    Actual.objects.filter(pk__in=every_fourth.values("pk")).update(
        forecast_outturn=70 + Mod("indicator_id", 30)
    )
    Actual.objects.update(commentary=COMMENTARY)


def _corporate_and_priority(indicators: list[int]) -> None:
    Indicator.objects.filter(pk__in=indicators[::10]).update(is_corporate=True)
    priority = Priority.objects.create(
        code="BENCH-P1",
        theme="A thriving place",
        title="Bench priority: a clean and safe district",
        first_year=2010,
        last_year=2015,
    )
    priority.indicators.add(*indicators[::6])
    for plan_objective in Action.objects.filter(position=0).select_related("objective"):
        plan_objective.objective.priorities.add(priority)


def _progress() -> None:
    point = MonitoringPoint.objects.get(as_at=datetime.date(2012, 9, 30))
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            service_id=action.plan.service_id,
            point=point,
            kind=ProgressUpdate.Kind.ACTION,
            reference=action.reference,
            status=(
                ProgressUpdate.Status.OFF_TRACK
                if action.pk % 8 == 0
                else ProgressUpdate.Status.ON_TRACK
            ),
            percent_complete=40,
            commentary="Delayed by the procurement." if action.pk % 8 == 0 else "",
        )
        for action in Action.objects.select_related("plan")
    )


def measure(client: Client, label: str, url: str, runs: int) -> None:
    client.get(url)  # warm-up: templates, the first connection
    times, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(captured), len(response.content)
    print(
        f"{label:24} {statistics.median(times):8.0f} ms median {min(times):7.0f} ms best "
        f"{queries:4d} queries {size / 1024:7.0f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The pages from source, without `collectstatic` first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    if not Service.objects.filter(code="B000").exists():
        build(args.services)
    print(
        f"Database: {connection.vendor}; {Service.objects.count()} services, "
        f"{Indicator.objects.count()} indicators, {Actual.objects.count()} figures"
    )
    member, _ = get_user_model().objects.get_or_create(username="bench-member")
    client = Client()
    client.force_login(member)
    priority = Priority.objects.get(code="BENCH-P1")
    pages = [
        ("overview (opening)", "/performance/?year=2012"),
        ("overview at Aug 2012", "/performance/?year=2012&as_at=2012-08"),
        ("corporate indicators", "/performance/corporate/?year=2012&as_at=2012-08"),
        ("priority page", f"/priorities/{priority.pk}/?year=2012"),
    ]
    for label, url in pages:
        measure(client, label, url, args.runs)


if __name__ == "__main__":
    main()
