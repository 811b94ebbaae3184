"""Every main page on the demo council and on the county council, side by side: queries and
median / p95 milliseconds.

    SECRET_KEY=x .venv/bin/python bench/bench_pages.py \
        --demo postgres://postgres@127.0.0.1:5432/sp_pages_demo \
        --county postgres://postgres@127.0.0.1:5432/sp_county [--requests 20]

For each council a process of its own (DATABASE_URL set to it) asks Django's test Client for
each page `--requests` times, after one request to warm up, signed in as the person who uses
the page: readers' pages as a councillor, the plan editor and the figures grid as an officer
of the service, chasing and reports as the policy team. The in-process cache is emptied
before every request, so each one does the page's whole work (what a reader whose page is not
cached waits for). Everything runs in a transaction rolled back at the end: the officer's
draft it opens (a revision of their published plan, and one with 50 actions for the editor's
target) leaves nothing behind.

The demo database is migrated and loaded with the demo council when empty; the county one must
have been made by bench/make_council.py (or --county may be left out). One process, no
server: the figures are the pages' own work (queries, Python, templates), not gunicorn's; the
load test (bench/loadtest.py) measures them under concurrent users.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITOR_ACTIONS = 50  # the section editor's target: under 150 ms with this many actions


def measure(requests: int) -> list[dict]:
    """Runs in the child process, on the database DATABASE_URL names."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
    import django

    django.setup()
    from django.conf import settings

    # Templates name static files; no collectstatic manifest is needed to measure pages.
    storage = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from organisation.models import Service

    call_command("migrate", verbosity=0)
    if not Service.objects.exists():
        call_command("load_demo", verbosity=0)
    results = []
    with transaction.atomic():
        pages = _pages()
        gc.collect()  # as each gunicorn worker does once it has loaded Django (gunicorn.conf.py)
        gc.freeze()
        for label, user, path in pages:
            client = Client()
            client.force_login(user)
            client.get(path)  # warm up: imports, template loading
            times, queries, status, size = [], 0, None, 0
            for _ in range(requests):
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                queries, status, size = len(captured), response.status_code, len(response.content)
                slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
            times.sort()
            results.append(
                {
                    "page": label,
                    "queries": queries,
                    "median": statistics.median(times),
                    "p95": times[min(len(times) - 1, round(len(times) * 0.95) - 1)],
                    "status": status,
                    "kb": size / 1024,
                    "slowest_query": [float(slowest["time"]) * 1000, slowest["sql"][:600]],
                }
            )
        transaction.set_rollback(True)
    return results


def _pages() -> list[tuple[str, object, str]]:
    """(label, who, path) of every main page, found in whatever council the database holds."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from organisation.access import ADMINISTRATORS, MEMBERS, OFFICERS
    from organisation.models import FinancialYear, Priority
    from performance.models import Actual
    from plans import workflow
    from plans.models import Action, ServicePlan

    User = get_user_model()
    year = FinancialYear.objects.get(is_current=True)
    published = ServicePlan.objects.published().filter(year=year)
    admin = User.objects.filter(groups__name=ADMINISTRATORS).order_by("pk").first()
    member = User.objects.filter(groups__name=MEMBERS).order_by("pk").first()
    officer = (
        User.objects.filter(groups__name=OFFICERS, edited_services__plans__in=published)
        .order_by("pk")
        .first()
    )
    own = published.filter(service__editors=officer).annotate(n=Count("actions")).order_by("-n")
    plan = own.first()
    biggest = published.annotate(n=Count("actions")).order_by("-n", "pk").first()
    priority = Priority.objects.annotate(n=Count("actions")).order_by("-n", "pk").first()
    last = Actual.objects.filter(indicator__service=plan.service).order_by("-period_end").first()
    draft = workflow.revise_plan(plan=plan, by=officer)
    other = published.exclude(pk=plan.pk).filter(service__editors__isnull=False).first()
    other_officer = other.service.editors.order_by("pk").first()
    big_draft = workflow.revise_plan(plan=other, by=other_officer)
    pages = [
        ("readers' home", member, "/"),
        (f"plan page ({biggest.n} actions)", member, f"/plans/{biggest.pk}/"),
        ("service performance", member, f"/performance/services/{plan.service_id}/"),
        ("performance overview", member, "/performance/"),
        ("corporate indicators", member, "/performance/corporate/"),
        ("priority page", member, f"/priorities/{priority.pk}/"),
        ("search 'licensing'", member, "/search/?q=licensing"),
        (f"section editor ({draft.actions.count()} actions)", officer, _actions_of(draft)),
    ]
    for n in range(big_draft.actions.count(), EDITOR_ACTIONS):
        Action.objects.create(plan=big_draft, position=n, title=f"Another action {n + 1}")
    label = f"section editor ({EDITOR_ACTIONS} actions)"
    pages.append((label, other_officer, _actions_of(big_draft)))
    pages += [
        ("figures entry", officer, f"/performance/figures/{plan.service_id}/{last.period.name}/"),
        ("chasing", admin, "/notifications/chasing/"),
        ("reports list", admin, "/reports/"),
        ("API indicator list", member, f"/api/v1/indicators/?year={year.start_year}"),
    ]
    return pages


def _actions_of(plan) -> str:
    return f"/plans/{plan.pk}/sections/actions/"


def run_child(database: str, requests: int) -> list[dict]:
    if database.startswith("postgres"):  # the demo's database is made when missing
        name = database.rsplit("/", 1)[1]
        pg = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
        subprocess.run(["createdb", *pg, name], check=False, capture_output=True)
    env = {**os.environ, "DATABASE_URL": database, "ALLOWED_HOSTS": "testserver"}
    env.setdefault("SECRET_KEY", "bench-pages")
    env.update({"DEBUG": "false", "HTTPS": "false", "LOG_LEVEL": "WARNING"})
    env.update({"REPORTS_WORKER": "process", "REMINDERS_IN_PROCESS": "false"})
    command = [sys.executable, __file__, "--child", "--requests", str(requests)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"measuring {database} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _size_label(page: str) -> str:
    """The editor rows are named by their number of actions, which differs between councils."""
    return page.split(" (")[0] + (" (50)" if f"({EDITOR_ACTIONS} actions)" in page else "")


def print_table(councils: dict[str, list[dict]]) -> None:
    names = list(councils)
    header = f"{'page':<34}" + "".join(
        f" | {name + ' q':>10} {'median':>7} {'p95':>7} {'KB':>6}" for name in names
    )
    print(header)
    print("-" * len(header))
    rows: dict[str, dict[str, dict]] = {}
    for name, results in councils.items():
        for result in results:
            rows.setdefault(_size_label(result["page"]), {})[name] = result
    for label, by_council in rows.items():
        line = f"{label:<34}"
        for name in names:
            r = by_council.get(name)
            if r is None:
                line += f" | {'-':>10} {'':>7} {'':>7} {'':>6}"
                continue
            flag = "" if r["status"] == 200 else f" [{r['status']}]"
            line += f" | {r['queries']:>10} {r['median']:>7.0f} {r['p95']:>7.0f} {r['kb']:>6.0f}"
            line += flag
        print(line)
    print("(ms; queries per request; the editor rows name how many actions each council's has)")
    for name, results in councils.items():
        for r in results:
            if "actions)" in r["page"]:
                print(f"  {name}: {r['page']}: median {r['median']:.0f} ms")


def print_slowest_queries(councils: dict[str, list[dict]]) -> None:
    """The slowest query of each page's last request: where to look with EXPLAIN."""
    for name, results in councils.items():
        print(f"\nSlowest query of each page, {name}:")
        for r in sorted(results, key=lambda r: -r["slowest_query"][0]):
            ms, sql = r["slowest_query"]
            print(f"  {ms:6.1f} ms  {r['page']}: {sql[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", default="postgres://postgres@127.0.0.1:5432/sp_pages_demo")
    parser.add_argument("--county", help="a database made by bench/make_council.py")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--queries", action="store_true", help="show each page's slowest query")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.requests)))
        return
    councils = {"demo": run_child(options.demo, options.requests)}
    if options.county:
        councils["county"] = run_child(options.county, options.requests)
    print(f"{options.requests} requests a page, after one to warm up; machine load shared.")
    print_table(councils)
    if options.queries:
        print_slowest_queries(councils)


if __name__ == "__main__":
    main()
