"""How long a search of the published plans takes on a county-sized council: 300 services,
each with a published plan of 5 objectives and 25 actions (7,500 actions), made through the
models inside one transaction that is rolled back at the end (nothing is left behind).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_bench_search .venv/bin/python \
        bench/bench_search.py [--plans 300] [--actions 25] [--repeat 20] [--explain WORDS]
    .venv/bin/python bench/bench_search.py          # SQLite, in a temporary file

The database is migrated first (PostgreSQL: it must exist). It prints the median and p95 time
of `plans.browse.search_published` and of the whole search page (GET /search/ for a member,
through Django's test client, so without a web server) for a few searches: a common word, a
hyphenated one, a plural, one found only inside other words ("bin" in "combined") and one that
matches nothing. --explain prints the database's
plan of each query of a search (PostgreSQL: EXPLAIN ANALYZE, after ANALYZE of the new rows).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCHES = ("waste", "fly-tipping", "licences", "bin", "zzzqqq")
LINES = (
    "review the combined recycling service for residents and deliver savings in waste collection",
    "improve the licence conditions of taxis and premises with fewer complaints in the district",
    "reduce fly-tips on the highway by working with parish councils and the police",
    "publish the housing strategy and consult tenants on new allocations policy",
)
WORDS = [word for line in LINES for word in line.split()]


def sentence(n: int, length: int = 12) -> str:
    return " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize()


def generate(plans: int, actions: int) -> tuple:
    from django.contrib.auth.models import Group, User

    from organisation import access
    from organisation.models import Committee, FinancialYear, HeadOfService, Service
    from plans.models import Action, Objective, ServicePlan

    year, _ = FinancialYear.objects.get_or_create(start_year=2031)
    cabinet = Committee.objects.create(name="Bench cabinet", kind=Committee.Kind.CABINET)
    head = HeadOfService.objects.create(name="Bench portfolio", officer_name="Bench head")
    services = Service.objects.bulk_create(
        Service(name=f"Bench service {n}", code=f"B{n:03d}", head_of_service=head)
        for n in range(plans)
    )
    made = ServicePlan.objects.bulk_create(
        ServicePlan(
            service=service,
            year=year,
            status=ServicePlan.Status.PUBLISHED,
            endorsed_by=cabinet,
            endorsed_on=datetime.date(2031, 3, 1),
            introduction=sentence(n, 60),
            key_achievements=sentence(n + 1, 40),
            structure=sentence(n + 2, 20),
        )
        for n, service in enumerate(services)
    )
    objectives = Objective.objects.bulk_create(
        Objective(plan=plan, title=sentence(n * 5 + i), position=i)
        for n, plan in enumerate(made)
        for i in range(5)
    )
    Action.objects.bulk_create(
        Action(
            plan=objective.plan,
            objective=objective,
            title=sentence(n * 5 + i, 16),
            reference=f"B{n:05d}-{i}",
            position=i,
        )
        for n, objective in enumerate(objectives)
        for i in range(actions // 5)
    )
    member = User.objects.create_user("bench-member")
    member.groups.add(Group.objects.get_or_create(name=access.MEMBERS)[0])
    return year, member


def timed(function, repeat: int) -> tuple[float, float]:
    function()  # warm: the first run pays for the connection and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--actions", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--explain", metavar="WORDS", help="also print the query plans of a search for WORDS"
    )
    args = parser.parse_args()

    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench_search.sqlite3"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from plans.browse import search_published

    settings.ALLOWED_HOSTS = ["*"]
    # Hashed static file names need collectstatic; the page's work is the same without them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        start = time.perf_counter()
        year, member = generate(args.plans, args.actions)
        made = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the statistics a council's database has
                cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: {args.plans} published plans × {args.actions} actions "
            f"made in {made:.1f} s; {args.repeat} runs each"
        )
        client = Client()
        client.force_login(member)
        print(
            f"{'search':<16} {'hits':>5} {'select p50':>11} {'p95':>7} {'page p50':>9} {'p95':>7}"
        )
        for text in SEARCHES:
            hits = len(search_published(text, year))
            select = timed(lambda text=text: search_published(text, year), args.repeat)
            url = f"/search/?q={text}&year={year.start_year}"
            assert client.get(url).status_code == 200, url
            page = timed(lambda url=url: client.get(url), args.repeat)
            print(
                f"{text:<16} {hits:>5} {select[0]:>8.1f} ms {select[1]:>4.1f} ms"
                f" {page[0]:>6.1f} ms {page[1]:>4.1f} ms"
            )
        if args.explain:
            explain(args.explain, year)
        transaction.set_rollback(True)


def explain(text: str, year) -> None:
    """The database's plan of each of the search's queries (PostgreSQL: EXPLAIN ANALYZE)."""
    from django.db import connection

    from plans import browse
    from plans.models import ServicePlan

    search = (
        browse._search_postgresql if connection.vendor == "postgresql" else browse._search_sqlite
    )
    published = ServicePlan.objects.published().filter(year=year).order_by().values("pk").query
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        for _, table in browse.SEARCHED:
            sql, params = search(table, browse.search_words(text), published.sql_with_params())
            cursor.execute(prefix + sql, params)
            print(f"--- {table}")
            for row in cursor.fetchall():
                print(" ".join(str(column) for column in row))


if __name__ == "__main__":
    main()
