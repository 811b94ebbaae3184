"""Load test: gunicorn + PostgreSQL + the demo or the county council, driven by locust.

    .venv/bin/pip install -e '.[bench]'          # locust
    .venv/bin/python bench/loadtest.py [--users 20] [--seconds 30] [--keep]
    .venv/bin/python bench/loadtest.py --council county [--county-database sp_county]

Needs PostgreSQL on 127.0.0.1:5432 with the `postgres` user (as CI has). The script creates its
own database (sp_loadtest) and migrates it: with the demo council loaded, or, with
`--council county`, as a copy of the database bench/make_council.py made (300 services, 3,000
indicators, five years of figures), which is left as it was. It collects the static files,
starts gunicorn with gunicorn.conf.py on a free port of 127.0.0.1 and the report worker
(`manage.py db_worker`), then runs three measurements, each bounded in time:

1. ceiling: /healthz, a trivial Django view (no database, no session), users not pausing;
   and the same view for signed-in members (session and user look-ups, as every page has);
2. plan page: members reading published plans, users not pausing;
3. mixed: members browsing plans, the performance overview, corporate indicators, priorities,
   committees, heads of service and search, officers opening and saving plan sections and
   entering figures, all pausing 1-3 s between pages like people; meanwhile the committee
   summary pack for Services Select Committee is rendered again and again in the background by
   the report worker.

The people are found by their role (the first member and administrator, and officers of services
with a published plan, each on a service of their own where the council has enough), so the same
run works on either council. Before the plan page is measured, every published plan's page is
read once (a body is made once for every reader and kept until what it shows changes: the
steady state of a working day). It prints requests per second, p50/p95/p99 latency and errors
for each, the plan page's throughput as a share of the signed-in trivial view's, and checks the
load targets (zero errors at 20 users; plan page at least 40% of the signed-in trivial view;
p95 of pages under 150 ms while a pack renders). It stops gunicorn and the worker and drops its
database at the end (--keep keeps the database). Traffic only ever goes to 127.0.0.1.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from organisation.access import services_editable_by

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "sp_loadtest"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
HOST = "127.0.0.1"
TARGETS = {"ratio": 0.40, "p95_ms": 150}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run(*command: str, env: dict, timeout: int = 600) -> None:
    subprocess.run(
        command, cwd=ROOT, env=env, check=True, timeout=timeout, stdout=subprocess.DEVNULL
    )


def wait_until_up(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def prepare(users: int) -> dict:
    """Sessions for the demo users and the pages each simulated person visits."""
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from organisation.access import ADMINISTRATORS, MEMBERS, OFFICERS
    from organisation.models import Committee, HeadOfService, Priority
    from performance import periods
    from performance.selectors import entry_rows
    from plans import workflow
    from plans.models import ServicePlan
    from plans.sections import SECTIONS

    User = get_user_model()

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["security_seen"] = int(time.time())
        store.create()
        return store.session_key

    member = User.objects.filter(groups__name=MEMBERS).order_by("pk").first()
    published = ServicePlan.objects.published().select_related("year").order_by("pk")
    year = published.last().year
    officers = max(1, round(users * 0.3))
    # Each officer's services get a draft to edit: a new version of their published plan.
    drafts = []
    for officer in User.objects.filter(groups__name=OFFICERS).order_by("pk")[:officers]:
        for service in services_editable_by(officer).order_by("name"):
            plan = published.filter(service=service, year=year).first()
            if plan is not None:
                working = ServicePlan.objects.filter(
                    service=service, year=year, status__in=ServicePlan.WORKING_STATUSES
                ).first()
                draft = working or workflow.revise_plan(plan=plan, by=officer)
                drafts.append((draft, service, officer))
    narrative = [s for s in SECTIONS if not s.is_repeating and len(s.fields) == 1]
    months = [periods.Period(year.start_year + (m < 4), m) for m in (*range(4, 13), 1, 2, 3)]
    slots = []
    for index in range(officers):
        plan, service, officer = drafts[index % len(drafts)]
        section = narrative[(index // len(drafts)) % len(narrative)]
        period = months[index // len(drafts) % len(months)]
        rows = entry_rows(service=service, year=year, period=period)
        slots.append(
            {
                "session": session_for(officer),
                "section_url": f"/plans/{plan.pk}/sections/{section.slug}/",
                "section_field": section.fields[0],
                "figures_url": f"/performance/figures/{service.pk}/{period.name}/",
                "figures_fields": [f"i{row.indicator.pk}" for row in rows],
            }
        )
    reviewed = Committee.objects.filter(reviews__isnull=False).distinct().order_by("pk")
    return {
        "members": users - officers,
        "officers": officers,
        "member_sessions": [session_for(member) for _ in range(users)],
        "officer_slots": slots,
        "plans": [f"/plans/{plan.pk}/" for plan in published.filter(year=year)],
        "committees": [f"/committees/{c.pk}/" for c in reviewed],
        "heads": [f"/heads-of-service/{h.pk}/" for h in HeadOfService.objects.order_by("pk")],
        "priorities": [f"/priorities/{p.pk}/" for p in Priority.objects.order_by("pk")],
        "admin": User.objects.filter(groups__name=ADMINISTRATORS).order_by("pk").first().pk,
        "year": year.start_year,
        "pack_committee": Committee.objects.get(name="Services Select Committee").pk,
    }


def warm_plan_pages(url: str, config: dict) -> None:
    """Reads every published plan's page once, as a member, before the plan page is measured:
    a page body is made once for every reader and kept until what it shows changes, so the
    steady state of a working day is the kept body. (The first reading of each of the county's
    300 plans would otherwise be a third of the 30 seconds' work.) The mixed run that follows
    measures pages made again after officers' writes."""
    started = time.monotonic()
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"sessionid={config['member_sessions'][0]}")]
    for path in config["plans"]:
        opener.open(f"{url}{path}", timeout=30).read()
    print(f"  {len(config['plans'])} plan pages read once in {time.monotonic() - started:.0f} s")


class PackRenderer(threading.Thread):
    """Keeps one committee pack rendering on the report worker while the mixed run lasts."""

    def __init__(self, config: dict):
        super().__init__(daemon=True)
        self.config = config
        self.stop = threading.Event()
        self.seconds: list[float] = []
        self.failed = 0

    def run(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db import connection

        from reports.base import get_report
        from reports.models import GeneratedReport
        from reports.tasks import request_report

        admin = get_user_model().objects.get(pk=self.config["admin"])
        form = {
            "committee": str(self.config["pack_committee"]),
            "year": str(self.config["year"]),
            "as_at": f"{self.config['year']}-08",
        }
        try:
            while not self.stop.is_set():
                row = request_report(
                    report_class=get_report("committee-summary"), form_data=form, by=admin
                )
                started = time.monotonic()
                while not self.stop.is_set():
                    row.refresh_from_db()
                    if row.status in (GeneratedReport.Status.DONE, GeneratedReport.Status.FAILED):
                        break
                    time.sleep(0.2)
                if row.status == GeneratedReport.Status.DONE:
                    self.seconds.append(time.monotonic() - started)
                elif row.status == GeneratedReport.Status.FAILED:
                    self.failed += 1
        finally:
            connection.close()


def locust_command() -> str | None:
    """locust beside this Python (the bench extra), or any on the PATH: the locustfile needs
    nothing of the project's, so a virtual environment of its own will do."""
    return shutil.which("locust", path=str(Path(PYTHON).parent)) or shutil.which("locust")


def locust(scenario: str, *, users: int, seconds: int, url: str, config: dict, out: Path):
    prefix = out / scenario
    env = {**os.environ, "SCENARIO": scenario, "LOADTEST": json.dumps(config)}
    subprocess.run(
        [
            locust_command(),
            "-f", str(ROOT / "bench" / "loadtest_locustfile.py"),
            "--headless", "--only-summary", "--loglevel", "ERROR",
            "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "5",
            "--host", url, "--csv", str(prefix),
        ],
        cwd=ROOT, env=env, check=False, timeout=seconds + 90,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def figures(row: dict) -> tuple[float, int, int, int, int, int]:
    return (
        float(row["Requests/s"]),
        int(float(row["50%"])),
        int(float(row["95%"])),
        int(float(row["99%"])),
        int(row["Failure Count"]),
        int(row["Request Count"]),
    )


def print_table(title: str, rows: dict) -> None:
    print(f"\n{title}")
    print(f"  {'page':<58} {'req/s':>7} {'p50':>5} {'p95':>5} {'p99':>5} {'errors':>6} {'n':>6}")
    for name, row in sorted(rows.items(), key=lambda item: item[0] == "Aggregated"):
        rps, p50, p95, p99, errors, count = figures(row)
        label = "all requests" if name == "Aggregated" else name
        print(f"  {label:<58} {rps:7.1f} {p50:5d} {p95:5d} {p99:5d} {errors:6d} {count:6d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--council", choices=("demo", "county"), default="demo")
    parser.add_argument("--database", default=DATABASE, help="the run's own database")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: WEB_CONCURRENCY or 2 x cores + 1)"
    )
    parser.add_argument(
        "--county-database",
        default="sp_county",
        help="the database bench/make_council.py made (copied, never changed)",
    )
    options = parser.parse_args()
    if locust_command() is None:
        raise SystemExit("locust is not installed: .venv/bin/pip install -e '.[bench]'")

    database = options.database
    out = Path(tempfile.mkdtemp(prefix="serviceplans-loadtest-"))
    port = free_port()
    url = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "serviceplans.settings",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "HTTPS": "false",
        "REPORTS_WORKER": "process",
        "MEDIA_ROOT": str(out / "media"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_ACCESS_LOG": str(out / "access.log"),
    }
    if options.workers:
        env["WEB_CONCURRENCY"] = str(options.workers)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    processes: list[subprocess.Popen] = []
    subprocess.run(["dropdb", *PG, "--if-exists", database], check=True)
    if options.council == "county":
        # A copy, file by file: the run's drafts, figures and sessions stay out of the original.
        copy = ["createdb", *PG, "-T", options.county_database, database]
        if subprocess.run(copy, check=False).returncode:
            raise SystemExit(
                f"could not copy {options.county_database}: make it with bench/make_council.py,"
                " and close other connections to it"
            )
    else:
        subprocess.run(["createdb", *PG, database], check=True)
    try:
        started = time.monotonic()
        run(PYTHON, "manage.py", "migrate", "--no-input", env=env)
        if options.council == "demo":
            run(PYTHON, "manage.py", "load_demo", env=env)
        run(PYTHON, "manage.py", "collectstatic", "--no-input", env=env)
        config = prepare(options.users)
        print(
            f"database {database} ready with the {options.council} council"
            f" in {time.monotonic() - started:.0f} s"
        )

        log = open(out / "server.log", "w")  # noqa: SIM115 (open for the processes' lifetime)
        gunicorn = [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
        processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=log))
        # As docs/deployment.md runs it: at a lower CPU priority than the web workers.
        worker = ["nice", "-n", "10", PYTHON, "manage.py", "db_worker", "--interval", "0.5",
                  "--no-startup-delay"]  # fmt: skip
        processes.append(subprocess.Popen(worker, cwd=ROOT, env=env, stdout=log, stderr=log))
        wait_until_up(f"{url}/healthz")
        workers = os.environ.get("WEB_CONCURRENCY", os.cpu_count() * 2 + 1)
        print(f"gunicorn on {url} ({workers} workers), report worker running; logs in {out}")
        for path in config["plans"][:5] + ["/performance/", "/"] + config["committees"][:2]:
            urllib.request.urlopen(f"{url}/healthz").read()  # warm the workers up
            urllib.request.urlopen(f"{url}{path}").read()  # anonymous: a redirect, imports

        kwargs = {"users": options.users, "seconds": options.seconds, "url": url,
                  "config": config, "out": out}  # fmt: skip
        ceiling = locust("ceiling", **kwargs)
        print_table(f"1. ceiling: /healthz, {options.users} users, no pause", ceiling)
        signed_in = locust("ceiling-signed-in", **kwargs)
        print_table(f"1b. the same view signed in, {options.users} members, no pause", signed_in)
        warm_plan_pages(url, config)
        plan = locust("plan", **kwargs)
        print_table(f"2. plan page: {options.users} members, no pause", plan)

        packs = PackRenderer(config)
        packs.start()
        time.sleep(2)  # the first pack is rendering
        mixed = locust("mixed", **kwargs)
        packs.stop.set()
        packs.join(timeout=120)
        print_table(
            f"3. mixed: {config['members']} members and {config['officers']} officers pausing"
            f" 1-3 s, committee pack rendering throughout",
            mixed,
        )
        rendered = ", ".join(f"{s:.1f}" for s in packs.seconds) or "none finished"
        print(f"  committee packs rendered meanwhile: {len(packs.seconds)} ({rendered} s each)"
              f", failed: {packs.failed}")  # fmt: skip

        ceiling_rps = figures(ceiling["Aggregated"])[0]
        plan_rps = figures(plan["Aggregated"])[0]
        runs = (ceiling, signed_in, plan, mixed)
        errors = sum(figures(result["Aggregated"])[4] for result in runs)
        mixed_p95 = figures(mixed["Aggregated"])[2]
        server_errors = (out / "server.log").read_text().count("Traceback")
        print("\nTargets")
        verdict = "met" if errors == server_errors == 0 else "MISSED"
        print(f"  errors at {options.users} users: {errors} (server tracebacks: "
              f"{server_errors}) -> {verdict}")  # fmt: skip
        # The target is against the signed-in trivial view: every page a member reads has
        # the session and user look-ups, which the anonymous /healthz has not.
        signed_in_rps = figures(signed_in["Aggregated"])[0]
        ratio = plan_rps / signed_in_rps if signed_in_rps else 0
        print(f"  plan page throughput {plan_rps:.0f} req/s = {ratio:.0%} of the signed-in trivial"
              f" view's {signed_in_rps:.0f} (target >= {TARGETS['ratio']:.0%}) -> "
              f"{'met' if ratio >= TARGETS['ratio'] else 'MISSED'}")  # fmt: skip
        print(f"  (against the anonymous trivial view's {ceiling_rps:.0f} req/s: "
              f"{plan_rps / ceiling_rps if ceiling_rps else 0:.0%})")  # fmt: skip
        print(f"  p95 of pages while a pack renders: {mixed_p95} ms (target < {TARGETS['p95_ms']})"
              f" -> {'met' if mixed_p95 < TARGETS['p95_ms'] else 'MISSED'}")  # fmt: skip
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT if "db_worker" in process.args else signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if not options.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", "--force", database], check=False)


if __name__ == "__main__":
    main()
