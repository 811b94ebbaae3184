"""The read API's throughput: the indicator status list with a personal token, against the
signed-in trivial view, in one run on gunicorn + PostgreSQL + the demo council.

    .venv/bin/python bench/bench_api.py [--users 8] [--seconds 10] [--rounds 3] [--keep]
    .venv/bin/python bench/bench_api.py --bigger 40   # also 40 more generated services

Needs PostgreSQL on 127.0.0.1:5432 with the `postgres` user, as bench/loadtest.py does, and
sets up the same way: its own database (sp_bench_api), migrated, with the demo council (and,
with --bigger, that many more services with a published plan and indicators with a year of
monthly figures each), gunicorn with gunicorn.conf.py on a free port of 127.0.0.1.

Then `--users` threads, each with its own keep-alive connection and no pause, ask for:

- the signed-in trivial view: GET /healthz with a member's session cookie (bench/loadtest.py's
  "ceiling-signed-in": no database of its own; the session and user look-ups every page
  has), and
- the indicator status list: GET /api/v1/indicators/?year=…&page_size=… with the member's
  personal token (the token, the throttle's count in the shared cache, the person's roles, the
  readable services, then the four queries of the statuses). The throttle stays on, counting
  every request in the database cache as in production; only its limit is raised
  (API_RATE) so that the run measures the work, not 429s.

The two alternate in --rounds rounds of --seconds each, so that anything else the machine does
meanwhile weighs on both alike. It prints requests per second, p50 and p95 latency and errors
of each, and the ratio of the API's throughput to the trivial view's. Traffic only ever goes to
127.0.0.1. gunicorn is stopped and the database dropped at the end (--keep keeps it).
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "sp_bench_api"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run(*command: str, env: dict, timeout: int = 900) -> None:
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


def generate(more: int) -> None:
    """`more` services beside the demo's, each with a published plan for the demo's latest
    year and five monthly indicators with a target and a figure for every month so far."""
    import datetime
    from decimal import Decimal

    from organisation.models import Committee, HeadOfService, Service
    from performance import periods
    from performance.models import Actual, Indicator, Target
    from plans.models import ServicePlan

    year = ServicePlan.objects.published().order_by("-year__start_year").first().year
    head = HeadOfService.objects.order_by("pk").first()
    committee = Committee.objects.order_by("pk").first()
    months = periods.months_of_year(year.start_year)[:6]
    for i in range(more):
        service = Service.objects.create(
            name=f"Generated {i}", code=f"GEN{i}", head_of_service=head
        )
        ServicePlan.objects.create(
            service=service,
            year=year,
            status=ServicePlan.Status.PUBLISHED,
            endorsed_by=committee,
            endorsed_on=datetime.date(year.start_year, 3, 1),
        )
        for n in range(5):
            indicator = Indicator.objects.create(
                code=f"GEN{i} {n:02d}", title=f"Generated {i}.{n}", service=service, unit="%"
            )
            Target.objects.create(indicator=indicator, year=year, value=Decimal(90))
            Actual.objects.bulk_create(
                Actual(indicator=indicator, period_end=month.end_date, value=Decimal(85 + n))
                for month in months
            )


def prepare(bigger: int) -> dict:
    """A member's session and personal token, and the API address to read."""
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from api.services import create_token
    from performance.selectors import indicator_statuses, latest_reported_month
    from plans.access import services_readable_by
    from plans.models import ServicePlan

    if bigger:
        generate(bigger)
    member = get_user_model().objects.get(username="member")
    store = SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store["security_seen"] = int(time.time())
    store.create()
    _, token = create_token(user=member, name="bench", days=1)
    year = ServicePlan.objects.published().order_by("-year__start_year").first().year
    as_at = latest_reported_month(year)
    rows = len(
        indicator_statuses(year=year, as_at=as_at, services=services_readable_by(member, year))
    )
    return {
        "session": store.session_key,
        "token": token,
        "api_path": f"/api/v1/indicators/?year={year.start_year}&page_size=100",
        "rows": rows,
        "year": year.label,
        "as_at": as_at.name if as_at else "none",
    }


@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: set[int] = field(default_factory=set)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100)[round(share * 100) - 1] * 1000


def hammer(port: int, path: str, headers: dict, *, users: int, seconds: float) -> Result:
    """`users` threads asking for `path` again and again, for `seconds`."""
    result = Result()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        latencies, errors, statuses = [], 0, set()
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            statuses.add(response.status)
            if response.status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        connection.close()
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.statuses |= statuses

    threads = [threading.Thread(target=user) for _ in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def merge(results: list[Result]) -> Result:
    merged = Result()
    for result in results:
        merged.seconds += result.seconds
        merged.latencies += result.latencies
        merged.errors += result.errors
        merged.statuses |= result.statuses
    return merged


def line(label: str, result: Result) -> str:
    return (
        f"  {label:<52} {result.rps:8.1f} {result.percentile(0.5):6.1f} "
        f"{result.percentile(0.95):6.1f} {result.errors:6d} {len(result.latencies):7d}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bigger", type=int, default=0, help="generated services to add")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="serviceplans-bench-api-"))
    port = free_port()
    url = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "serviceplans.settings",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "HTTPS": "false",
        "REPORTS_WORKER": "process",
        "MEDIA_ROOT": str(out / "media"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        # Counted as in production, never refused: the run measures the work, not the limit.
        "API_RATE": "100000000/hour",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    gunicorn = None
    subprocess.run(["dropdb", *PG, "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", *PG, DATABASE], check=True)
    try:
        started = time.monotonic()
        run(PYTHON, "manage.py", "migrate", "--no-input", env=env)
        run(PYTHON, "manage.py", "load_demo", env=env)
        run(PYTHON, "manage.py", "collectstatic", "--no-input", env=env)
        config = prepare(options.bigger)
        print(
            f"database {DATABASE}: the demo council"
            + (f" and {options.bigger} generated services" if options.bigger else "")
            + f", ready in {time.monotonic() - started:.0f} s; the member reads "
            f"{config['rows']} indicators for {config['year']} as at {config['as_at']}"
        )
        log = open(out / "server.log", "w")  # noqa: SIM115 (open for gunicorn's lifetime)
        command = [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
        gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        wait_until_up(f"{url}/healthz")
        workers = os.environ.get("WEB_CONCURRENCY", os.cpu_count() * 2 + 1)
        print(f"gunicorn on {url} ({workers} workers), {options.users} users, no pause")

        trivial = ("/healthz", {"Cookie": f"sessionid={config['session']}"})
        api = (config["api_path"], {"Authorization": f"Bearer {config['token']}"})
        for path, headers in (trivial, api):  # warm every worker up
            hammer(port, path, headers, users=options.users, seconds=2)
        rounds = {"trivial": [], "api": []}
        for _ in range(options.rounds):
            for name, (path, headers) in (("trivial", trivial), ("api", api)):
                rounds[name].append(
                    hammer(port, path, headers, users=options.users, seconds=options.seconds)
                )
        trivial_result, api_result = merge(rounds["trivial"]), merge(rounds["api"])

        print(f"\n  {'':<52} {'req/s':>8} {'p50 ms':>6} {'p95 ms':>6} {'errors':>6} {'n':>7}")
        print(line("GET /healthz, signed in (the trivial view)", trivial_result))
        print(line(f"GET {config['api_path']} (token)", api_result))
        ratio = api_result.rps / trivial_result.rps if trivial_result.rps else 0
        print(
            f"\n  indicator status list: {api_result.rps:.0f} req/s, p95 "
            f"{api_result.percentile(0.95):.0f} ms = {ratio:.0%} of the signed-in trivial "
            f"view's {trivial_result.rps:.0f} req/s (p95 {trivial_result.percentile(0.95):.0f} ms)"
        )
        unexpected = (trivial_result.statuses | api_result.statuses) - {200}
        if unexpected or trivial_result.errors or api_result.errors:
            print(f"  errors: statuses {sorted(unexpected)}; see {out / 'server.log'}")
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if not options.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", *PG, "--if-exists", "--force", DATABASE], check=False)


if __name__ == "__main__":
    main()
