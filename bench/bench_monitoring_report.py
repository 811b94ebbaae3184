"""Benchmark: the monitoring report of a council of 300 services at the half-year.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_monitoring \
        .venv/bin/python bench/bench_monitoring_report.py [--services 300] [--runs 1]

Migrates the database DATABASE_URL names and, inside one transaction rolled back at the end
(so it leaves nothing behind), generates a council (below), then times the report for a
committee that reviews every service, in the three steps bench_reports.py times: gathering the
data, rendering the HTML, WeasyPrint (layout and writing the PDF). It prints pages, seconds,
pages per second, the share of time outside WeasyPrint (target: under 15%) and the number of
queries (which must not grow with --services).

The council: ten services to a head of service; each service with a published 2012/13 plan
(a key objective with four actions and another with two, milestones, two projects, three
risks) and four monthly indicators with targets and figures to September, some red. Progress
at the half-year is recorded through plans.progress.record_progress, as an officer's page
does: actions on track, at risk, off track and completed, milestones done and overdue,
projects, and risks re-scored up and down.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from organisation import access  # noqa: E402
from organisation.models import (  # noqa: E402
    Committee,
    CommitteeReview,
    FinancialYear,
    HeadOfService,
    Service,
)
from organisation.reporting_calendar import set_up_usual_points  # noqa: E402
from performance.models import Actual, Indicator, Target  # noqa: E402
from plans.models import Action, Milestone, Objective, Project, Risk, ServicePlan  # noqa: E402
from plans.progress import record_progress  # noqa: E402
from reports import pdf  # noqa: E402
from reports.base import get_report  # noqa: E402

SERVICES_PER_HEAD = 10
MONTHS = [datetime.date(2012, m, 28) for m in range(4, 10)]  # April to September 2012
# (status, % complete, commentary) of the half-year update of each of a plan's six actions.
ACTION_PROGRESS = [
    ("on_track", 40, "Work is going to plan; the second phase starts in October."),
    ("at_risk", 30, "The supplier is two months late; a penalty clause applies."),
    ("off_track", 10, "Staff shortages: the work is re-planned for next year."),
    ("completed", 100, "Delivered in July, under budget."),
    ("on_track", 60, "Consultation closed; the report goes to Cabinet in November."),
    ("not_started", 0, ""),
]


class Rollback(Exception):
    pass


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def generate_council(services: int) -> tuple[Committee, object]:
    """The council described above; returns the committee reviewing every service and the
    half-year monitoring point."""
    year, _ = FinancialYear.objects.get_or_create(start_year=2012)
    point = next(p for p in set_up_usual_points(year, "half-yearly") if p.name == "Half-year")
    cabinet = Committee.objects.create(name="Bench Cabinet", kind=Committee.Kind.CABINET)
    committee = Committee.objects.create(name="Bench Scrutiny Committee")
    officer = get_user_model().objects.create_user("bench-officer", first_name="Pat")
    officer.groups.add(Group.objects.get_or_create(name=access.ADMINISTRATORS)[0])
    for number in range(services):
        if number % SERVICES_PER_HEAD == 0:
            head = HeadOfService.objects.create(
                name=f"Bench portfolio {number // SERVICES_PER_HEAD:02d}", officer_name="Sam Head"
            )
        service = Service.objects.create(
            name=f"Bench service {number:03d}", code=f"B{number:03d}", head_of_service=head
        )
        CommitteeReview.objects.create(service=service, committee=committee)
        plan = ServicePlan.objects.create(
            service=service,
            year=year,
            status=ServicePlan.Status.PUBLISHED,
            endorsed_by=cabinet,
            endorsed_on=datetime.date(2012, 3, 8),
        )
        _plan_parts(plan)
        _indicators(service, year, number)
        _progress(plan, point, officer)
    return committee, point


def _plan_parts(plan: ServicePlan) -> None:
    key = Objective.objects.create(
        plan=plan, title="Improve the service residents see", is_key=True
    )
    other = Objective.objects.create(plan=plan, title="Run the service efficiently", position=1)
    for index in range(6):
        action = Action.objects.create(
            plan=plan,
            position=index,
            objective=key if index < 4 else other,
            title=f"Action {index + 1}: deliver the {index + 1}th improvement of the plan",
            responsible_officer="Alex Officer",
            target_date=datetime.date(2012, 8, 31) if index == 4 else datetime.date(2013, 3, 31),
        )
        if index < 3:
            for step, due in enumerate((datetime.date(2012, 7, 31), datetime.date(2012, 12, 31))):
                Milestone.objects.create(
                    action=action, position=step, title=f"Step {step + 1}", due_date=due
                )
    for index in range(2):
        Project.objects.create(
            plan=plan,
            position=index,
            title=f"Project {index + 1}: replace the case management system",
            target_date=datetime.date(2013, 3, 31),
            is_high_profile=True,
        )
    for index in range(3):
        Risk.objects.create(
            plan=plan,
            position=index,
            description=f"Risk {index + 1}: income falls short of the budget",
            category=Risk.Category.OPERATIONAL,
            likelihood=3,
            impact=3,
        )


def _indicators(service: Service, year: FinancialYear, number: int) -> None:
    for index in range(4):
        indicator = Indicator.objects.create(
            code=f"BENCH {number:03d}/{index}",
            title=f"Indicator {index + 1} of {service.name}",
            service=service,
            unit="%",
            decimal_places=1,
            frequency="monthly",
        )
        Target.objects.create(indicator=indicator, year=year, value=Decimal(90))
        # One indicator in four red at the half-year, the others green or amber.
        level = (70, 88, 93, 96)[(number + index) % 4]
        Actual.objects.bulk_create(
            Actual(
                indicator=indicator,
                period_end=month_end(month),
                value=Decimal(level + month.month % 3),
                state=Actual.State.VERIFIED,
                commentary="Figures from the case management system.",
                forecast_outturn=Decimal(level + 1),
            )
            for month in MONTHS
        )


def _progress(plan: ServicePlan, point, officer) -> None:
    """The half-year updates, through the same service the officers' pages call."""
    actions = list(plan.actions.order_by("position"))
    for action, (status, percent, commentary) in zip(actions, ACTION_PROGRESS, strict=True):
        record_progress(
            plan=plan,
            reference=action.reference,
            point=point,
            by=officer,
            status=status,
            percent_complete=percent,
            commentary=commentary,
        )
    for milestone in Milestone.objects.filter(action__plan=plan, due_date__month=7)[:2]:
        record_progress(
            plan=plan,
            reference=milestone.reference,
            point=point,
            by=officer,
            status="completed",
            completed_on=datetime.date(2012, 7, 20),
        )
    for project, status in zip(plan.projects.all(), ("on_track", "at_risk"), strict=True):
        record_progress(
            plan=plan,
            reference=project.reference,
            point=point,
            by=officer,
            status=status,
            commentary="Procurement is taking longer than planned.",
        )
    for risk, likelihood in zip(plan.risks.all(), (4, 2), strict=False):
        record_progress(
            plan=plan,
            reference=risk.reference,
            point=point,
            by=officer,
            likelihood=likelihood,
            impact=3,
            commentary="Re-scored after the budget monitoring in September.",
        )


def time_report(label: str, form_data: dict, runs: int) -> None:
    report = get_report("monitoring-report").from_form_data(form_data)
    best = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            data = report.data()
            gathered = time.perf_counter()
            html = report.html(data)
            written = time.perf_counter()
        result = pdf.html_to_pdf(html)
        finished = time.perf_counter()
        timing = (gathered - started, written - gathered, finished - written, result)
        if best is None or sum(timing[:3]) < sum(best[:3]):
            best = timing
    data_s, html_s, pdf_s, result = best
    total = data_s + html_s + pdf_s
    pages = result.page_count
    print(
        f"{label:<34} {pages:>5} pages {total:>7.2f} s {pages / total:>7.1f}"
        f" pages/s   data {data_s * 1000:>6.0f} ms  HTML {html_s * 1000:>5.0f} ms  "
        f"WeasyPrint {pdf_s:>6.2f} s  outside WeasyPrint {100 * (data_s + html_s) / total:>4.1f}%"
        f"  {len(queries)} queries"
    )


def _a_bench_head() -> HeadOfService:
    return HeadOfService.objects.filter(name__startswith="Bench portfolio").order_by("name")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            committee, point = generate_council(args.services)
            print(
                f"Generated {args.services} services with progress in "
                f"{time.perf_counter() - started:.0f} s"
            )
            form_data = {"point": str(point.pk), "committee": str(committee.pk)}
            time_report(f"Monitoring report ({args.services} services)", form_data, args.runs)
            time_report(
                "Monitoring report (one head)",
                {"point": str(point.pk), "head_of_service": str(_a_bench_head().pk)},
                args.runs,
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
