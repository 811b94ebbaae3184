"""Benchmark: the reminder job (manage.py send_reminders) for a council of 300 services and
3,000 indicators.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_reminders \
        .venv/bin/python bench/bench_send_reminders.py [--services 300] [--officers 2]

Migrates the database DATABASE_URL names and, inside one transaction rolled back at the end
(so it leaves nothing behind), generates a council: ten services to a head of service (each
head a user), `--officers` editors per service with email addresses, a published 2012/13 plan
per service (six actions, two projects, three risks, no progress yet), ten monthly indicators
per service with figures April to August and September's missing in one service in three,
the half-year monitoring point (updates due 31 October 2012). Then it runs the job as on
four days of the chase: figures due soon, one working day late, escalated to heads of service,
and progress updates late as well — each day twice, the second run sending nothing — and
prints for each run the seconds, the queries, the outstanding items, the notifications made
and the emails sent (to Django's in-memory mail backend: the product's cost, not a mail
server's). The queries must be the same for --services 30 and 300, and for --officers 1 and 3.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from notifications.reminders import send_reminders  # noqa: E402
from organisation.models import (  # noqa: E402
    Committee,
    FinancialYear,
    HeadOfService,
    MonitoringPoint,
    Service,
)
from organisation.reporting_calendar import month_end  # noqa: E402
from performance.models import Actual, Indicator, Target  # noqa: E402
from plans.models import Action, Objective, Project, Risk, ServicePlan  # noqa: E402

SERVICES_PER_HEAD = 10
INDICATORS_PER_SERVICE = 10
DAYS = [
    (datetime.date(2012, 10, 5), "September figures due soon"),
    (datetime.date(2012, 10, 15), "September figures a working day late"),
    (datetime.date(2012, 10, 26), "escalated to heads of service"),
    (datetime.date(2012, 11, 5), "progress updates late too"),
]


class Rollback(Exception):
    pass


def generate_council(services: int, officers: int) -> None:
    User = get_user_model()
    year, _ = FinancialYear.objects.get_or_create(start_year=2012)
    MonitoringPoint.objects.get_or_create(
        year=year,
        as_at=datetime.date(2012, 9, 30),
        defaults={"name": "Half-year", "due_date": datetime.date(2012, 10, 31)},
    )
    cabinet = Committee.objects.create(name="Bench Cabinet", kind=Committee.Kind.CABINET)
    for number in range(services):
        if number % SERVICES_PER_HEAD == 0:
            portfolio = number // SERVICES_PER_HEAD
            head = HeadOfService.objects.create(
                name=f"Bench portfolio {portfolio:02d}",
                officer_name="Sam Head",
                user=User.objects.create_user(
                    f"bench-head-{portfolio}", email=f"head{portfolio}@bench.example"
                ),
            )
        service = Service.objects.create(
            name=f"Bench service {number:03d}", code=f"B{number:03d}", head_of_service=head
        )
        service.editors.set(
            User.objects.create_user(
                f"bench-officer-{number}-{n}", email=f"officer{number}.{n}@bench.example"
            )
            for n in range(officers)
        )
        plan = ServicePlan.objects.create(
            service=service,
            year=year,
            status=ServicePlan.Status.PUBLISHED,
            endorsed_by=cabinet,
            endorsed_on=datetime.date(2012, 3, 8),
        )
        _plan_parts(plan)
        _indicators(service, year, number)


def _plan_parts(plan: ServicePlan) -> None:
    objective = Objective.objects.create(plan=plan, title="Improve the service", is_key=True)
    for index in range(6):
        Action.objects.create(
            plan=plan,
            position=index,
            objective=objective,
            title=f"Action {index + 1}",
            target_date=datetime.date(2013, 3, 31),
        )
    for index in range(2):
        Project.objects.create(plan=plan, position=index, title=f"Project {index + 1}")
    for index in range(3):
        Risk.objects.create(
            plan=plan,
            position=index,
            description=f"Risk {index + 1}",
            category=Risk.Category.OPERATIONAL,
            likelihood=3,
            impact=3,
        )


def _indicators(service: Service, year: FinancialYear, number: int) -> None:
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH {number:03d}/{index}",
            title=f"Indicator {index + 1} of {service.name}",
            service=service,
            frequency="monthly",
        )
        for index in range(INDICATORS_PER_SERVICE)
    )
    Target.objects.bulk_create(
        Target(indicator=indicator, year=year, value=Decimal(90)) for indicator in indicators
    )
    last_month = 9 if number % 3 else 8  # one service in three is late with September's
    Actual.objects.bulk_create(
        Actual(indicator=indicator, period_end=month_end(2012, month), value=Decimal(91))
        for indicator in indicators
        for month in range(4, last_month + 1)
    )
    from performance.models import FigureSignOff

    FigureSignOff.objects.bulk_create(
        FigureSignOff(service=service, period_end=month_end(2012, month))
        for month in range(4, last_month + 1)
    )


def run_on(day: datetime.date, label: str) -> None:
    for attempt in ("first run", "again"):
        moment = datetime.datetime.combine(day, datetime.time(7), tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as q:
            sent_before = len(mail.outbox)
            started = time.perf_counter()
            run = send_reminders()
            seconds = time.perf_counter() - started
        print(
            f"{day:%d %b %Y} {label:38} {attempt:9}: {seconds:6.2f} s, {len(q):3d} queries, "
            f"{len(run.items):5d} items, {run.told:5d} told, "
            f"{len(mail.outbox) - sent_before:4d} emails"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--officers", type=int, default=2)
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            generate_council(args.services, args.officers)
            print(
                f"Generated {args.services} services, "
                f"{args.services * INDICATORS_PER_SERVICE} indicators, "
                f"{args.services * args.officers} officers in {time.perf_counter() - started:.0f} s"
            )
            for day, label in DAYS:
                run_on(day, label)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
