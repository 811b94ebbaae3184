"""Benchmark: import 50,000 actuals through the service function the upload and command use.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_performance \
        .venv/bin/python bench/bench_import_actuals.py [--rows 50000]

Migrates the database DATABASE_URL names, then, inside one transaction that is rolled back at
the end (so it leaves nothing behind), creates a service and enough monthly indicators for
two years of figures, writes a CSV of that many actual rows and imports it three times:
new figures (inserts), the same file again (nothing to write), and changed figures (updates).
The timings include reading and checking the file and the real writes. Prints rows, seconds,
rows per second and the number of queries for each run.
"""

import argparse
import datetime
import math
import os
import sys
import time
import uuid
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from organisation.models import HeadOfService, Service  # noqa: E402
from performance.models import Indicator  # noqa: E402
from performance.periods import months_of_year  # noqa: E402
from performance.services import import_actuals  # noqa: E402

MONTHS = months_of_year(2011) + months_of_year(2012)
TODAY = datetime.date(2013, 4, 30)


def actuals_csv(codes: list[str], rows: int, bump: str = "") -> bytes:
    lines = ["code,period_end,value,state,commentary"]
    for n in range(rows):
        code = codes[n // len(MONTHS)]
        period = MONTHS[n % len(MONTHS)]
        state = "estimate" if n % 7 == 0 else "verified"
        note = "Staff shortage in the team; backlog cleared by month end" if n % 5 == 0 else ""
        lines.append(f"{code},{period.name},{(n * 37) % 1000}.{n % 10}{bump},{state},{note}")
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, content: bytes, rows: int) -> None:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = import_actuals(content=content, filename="bench.csv", today=TODAY)
        seconds = time.perf_counter() - started
    print(
        f"{label:<28} {rows:>7,} rows {seconds:>7.2f} s {rows / seconds:>9,.0f} rows/s "
        f"{queries:>3} queries  ({result.describe()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    rows = parser.parse_args().rows
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"Database: {vendor} ({connection.settings_dict['NAME']}); file of {rows:,} rows")
    with transaction.atomic():
        tag = uuid.uuid4().hex[:8]
        head = HeadOfService.objects.create(name=f"Benchmark {tag}")
        service = Service.objects.create(name=f"Benchmark {tag}", head_of_service=head)
        codes = [f"BENCH {tag} {n:05d}" for n in range(math.ceil(rows / len(MONTHS)))]
        Indicator.objects.bulk_create(
            Indicator(code=code, title=code, service=service, frequency="monthly") for code in codes
        )
        content = actuals_csv(codes, rows)
        print(f"{len(codes):,} monthly indicators; CSV of {len(content) / 1e6:.1f} MB")
        timed("import (new figures)", content, rows)
        timed("same file again", content, rows)
        timed("changed figures (updates)", actuals_csv(codes, rows, bump="5"), rows)
        transaction.set_rollback(True)  # leave the database as it was


if __name__ == "__main__":
    main()
