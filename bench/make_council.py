"""Make a whole council of any size, through the product's own imports and services.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_county \
        .venv/bin/python bench/make_council.py --services 300 --indicators 3000 --years 5

The county council of the scale benchmarks (the defaults): 8 directorates, 40 heads of
service, 300 services, a published plan per service for the current year with 25 actions,
3,000 monthly indicators with a target per year and figures from the April four years back to
the current August (about 156,000), and the people who use it: an administrator, a head of
service per portfolio, an officer per service and twenty councillors on the committees, all
with the password printed at the end. Small sizes (`--services 30 --indicators 300`) make a
district council for a quick run.

It migrates the database DATABASE_URL names, which must hold no council yet, and builds the
council the way a council loads itself, so the build proves those routes at scale:
- structure, indicators, targets and four years and a bit of figures (one file a year) go
  through the spreadsheet imports an administrator uploads (`portal.imports.KINDS`), and the
  people through the user import (their invitations go to Django's in-memory mailbox);
- each plan is started, written in the plan editor's forms (narrative, objectives, the action
  plan), submitted, approved by its head of service and published, through the plan workflow;
- the current month's figures are typed into each service's figures grid (`record_figures`)
  and signed off by the head of service, as every month of the current year before it.
What has no service of its own is written directly and says so: the corporate priorities
(the administration site's form), committee members and the one shared password.

The PDFs that publishing queues (one per plan, rendered by the report worker) are withdrawn
at the end unless `--keep-plan-pdfs`: otherwise the next worker to start would spend half an
hour rendering them. It prints each step's rows, seconds and rows per second.
"""

import argparse
import datetime
import logging
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serviceplans.settings")
# Jobs queued while building wait for `manage.py db_worker`: never rendered in this process.
os.environ["REPORTS_WORKER"] = "process"
os.environ["REMINDERS_IN_PROCESS"] = "false"
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402

from organisation import reporting_calendar  # noqa: E402
from organisation.models import (  # noqa: E402
    Committee,
    FinancialYear,
    HeadOfService,
    Priority,
    Service,
)
from organisation.services import update_council_settings  # noqa: E402
from organisation.user_import import import_users  # noqa: E402
from performance import periods  # noqa: E402
from performance.models import Indicator  # noqa: E402
from performance.services import (  # noqa: E402
    FigureEntry,
    figures_fingerprint,
    record_figures,
    sign_off_figures,
)
from plans import workflow  # noqa: E402
from plans.editing import save_narrative, save_parts  # noqa: E402
from plans.forms import narrative_form, part_formset  # noqa: E402
from plans.models import Action, ServicePlan  # noqa: E402
from plans.sections import SECTIONS_BY_SLUG, fingerprint, section_content  # noqa: E402
from portal.imports import BY_SLUG  # noqa: E402
from reports.models import GeneratedReport  # noqa: E402

COUNCIL_NAME = "Wealdshire County Council"  # made up: no real council's figures
PASSWORD = "serviceplans-county"
DOMAIN = "county.example"
CURRENT_YEAR = 2012
LAST_MONTH = periods.Period(2012, 8)  # the month the officers are entering now
ENDORSED_ON = datetime.date(2012, 3, 8)
DIRECTORATES = [
    "Adults & Health",
    "Children, Young People & Education",
    "Environment & Transport",
    "Growth & Communities",
    "Finance & Corporate Services",
    "Strategic Commissioning",
    "People & Communications",
    "Governance & Law",
]
HEADS_PER_DIRECTORATE = 5
PORTFOLIOS = [
    "Highways",
    "Waste",
    "Libraries",
    "Trading Standards",
    "Public Health",
    "Social Care",
    "Schools",
    "Property",
    "Finance",
    "Licensing",
]
SERVICE_TOPICS = [
    "Licensing",
    "Waste Collection",
    "Recycling",
    "Parking",
    "Council Tax",
    "Housing Benefit",
    "Libraries",
    "Road Safety",
    "Street Lighting",
    "Trading Standards",
    "Public Health",
    "Adult Social Care",
    "Fostering",
    "School Admissions",
    "Country Parks",
    "Coroners",
    "Registration",
    "Emergency Planning",
    "Archives",
    "Youth Services",
]
SELECT_COMMITTEES = [
    "Environment Select Committee",
    "Social Affairs Select Committee",
    "Services Select Committee",
    "Growth Select Committee",
]
MEMBERS = 20
OBJECTIVES_PER_PLAN = 3


@dataclass
class Sizes:
    services: int = 300
    indicators: int = 3000
    years: int = 5
    actions: int = 25

    @property
    def heads(self) -> int:
        return max(1, min(len(DIRECTORATES) * HEADS_PER_DIRECTORATE, self.services // 7))

    @property
    def start_years(self) -> list[int]:
        return list(range(CURRENT_YEAR - self.years + 1, CURRENT_YEAR + 1))

    @property
    def months(self) -> list[periods.Period]:
        """Every month with figures: from the first year's April to the current August."""
        months = [p for year in self.start_years for p in periods.months_of_year(year)]
        return [month for month in months if month.end_date <= LAST_MONTH.end_date]


@dataclass
class Council:
    """What was made: what the benchmarks sign in as and visit."""

    sizes: Sizes
    accounts: dict[str, str] = field(default_factory=dict)  # role -> username
    steps: list[tuple[str, int, float]] = field(default_factory=list)


# --- Names --------------------------------------------------------------------------------


def head_name(number: int) -> str:
    return f"{PORTFOLIOS[number % len(PORTFOLIOS)]} {number // len(PORTFOLIOS) + 1}"


def service_name(number: int) -> str:
    return f"{SERVICE_TOPICS[number % len(SERVICE_TOPICS)]} {number // len(SERVICE_TOPICS) + 1}"


def indicator_code(service: int, index: int) -> str:
    return f"CC {service:03d}/{index:02d}"


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def csv_file(header: list[str], rows: Iterator[list]) -> bytes:
    def cell(value) -> str:
        text = str(value)
        return f'"{text}"' if "," in text else text

    lines = [",".join(header), *(",".join(cell(value) for value in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


# --- Building -------------------------------------------------------------------------------


@contextmanager
def step(council: Council, label: str, rows: Callable[[], int] | int):
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    count = rows() if callable(rows) else rows
    council.steps.append((label, count, seconds))
    rate = count / seconds if seconds else 0
    print(f"  {label:<52} {count:>8,} rows {seconds:>7.1f} s {rate:>8,.0f} rows/s", flush=True)


def build_council(sizes: Sizes) -> Council:
    council = Council(sizes=sizes)
    per_service = max(1, sizes.indicators // sizes.services)
    with step(council, "council's name, years and corporate priorities", sizes.years + 10):
        _years_and_priorities(sizes)
    with step(council, "structure (import)", sizes.services):
        _import("structure", _structure_file(sizes))
    with step(council, "people (user import)", lambda: get_user_model().objects.count()):
        _people(sizes, council)
    admin = _user(council, "admin")
    with step(council, "indicators (import)", sizes.services * per_service):
        _import("indicators", _indicators_file(sizes, per_service), by=admin)
    with step(council, "targets, one a year (import)", sizes.services * per_service * sizes.years):
        _import("targets", _targets_file(sizes, per_service), by=admin)
    months = sizes.months[:-1]  # the last month is typed into the grid below
    for start_year in sizes.start_years:
        in_year = [m for m in months if m.financial_year == start_year]
        figures = len(in_year) * sizes.services * per_service
        with step(council, f"figures {year_label(start_year)}, one file (import)", figures):
            _import("actuals", _actuals_file(sizes, per_service, in_year), by=admin)
    plan_rows = sizes.services * (sizes.actions + OBJECTIVES_PER_PLAN + 1)
    with step(council, "plans written, approved, published (editor + workflow)", plan_rows):
        _plans(sizes, council)
    with step(council, f"{LAST_MONTH.month_label} figures (figures grid)", sizes.indicators):
        _grid_figures(council)
    signed = _months_to_sign_off(sizes)
    with step(council, "figures signed off (current year)", sizes.services * len(signed)):
        _sign_off(council, signed)
    return council


def _import(slug: str, content: bytes, by=None) -> None:
    """An administrator's upload, confirmed: the same service the page and command run."""
    BY_SLUG[slug].run(content, f"{slug}.csv", by)


def _years_and_priorities(sizes: Sizes) -> None:
    update_council_settings(values={"name": COUNCIL_NAME})
    for start_year in [*sizes.start_years, CURRENT_YEAR + 1]:
        FinancialYear.objects.get_or_create(start_year=start_year)
    FinancialYear.objects.filter(start_year=CURRENT_YEAR).update(is_current=True)
    reporting_calendar.set_up_usual_points(
        FinancialYear.objects.get(start_year=CURRENT_YEAR), "half-yearly"
    )
    # Priorities have no import: the administration site's form is their only route.
    Priority.objects.bulk_create(
        Priority(
            code=f"P{number + 1}",
            theme=["A safe county", "A green county", "A prosperous county"][number % 3],
            title=f"Priority {number + 1}: better {SERVICE_TOPICS[number].lower()}",
            first_year=sizes.start_years[0],
            last_year=CURRENT_YEAR + 2,
        )
        for number in range(10)
    )


def _structure_file(sizes: Sizes) -> bytes:
    def rows():
        for number in range(sizes.services):
            head = number % sizes.heads
            directorate = DIRECTORATES[head % len(DIRECTORATES)]
            committees = f"{SELECT_COMMITTEES[head % len(SELECT_COMMITTEES)]}; Cabinet"
            yield [directorate, head_name(head), service_name(number), "", committees]

    return csv_file(
        ["directorate", "head_of_service", "service", "shared_with", "committees"], rows()
    )


def _people(sizes: Sizes, council: Council) -> None:
    User = get_user_model()

    def rows():
        yield ["Policy Team", f"admin@{DOMAIN}", "administrator", "", ""]
        for head in range(sizes.heads):
            yield [
                f"Head Number{head}",
                f"head{head}@{DOMAIN}",
                "head of service",
                "",
                head_name(head),
            ]
        for number in range(sizes.services):
            yield [
                f"Officer Number{number}",
                f"officer{number}@{DOMAIN}",
                "officer",
                service_name(number),
                "",
            ]
        for member in range(MEMBERS):
            yield [f"Councillor Number{member}", f"member{member}@{DOMAIN}", "member", "", ""]

    header = ["name", "email", "role", "services", "head_of_service"]
    import_users(content=csv_file(header, rows()), filename="users.csv")
    # One hash for every account: hashing 360 passwords would take minutes and prove nothing.
    User.objects.filter(email__endswith=f"@{DOMAIN}").update(password=make_password(PASSWORD))
    # Committee membership is set on the committee's admin page: no import.
    members = list(User.objects.filter(username__startswith="member"))
    for committee in Committee.objects.all():
        committee.members.add(*members)
    council.accounts = {
        "admin": f"admin@{DOMAIN}",
        "head": f"head0@{DOMAIN}",
        "officer": f"officer0@{DOMAIN}",
        "member": f"member0@{DOMAIN}",
    }


def _user(council: Council, role: str):
    return get_user_model().objects.get(username=council.accounts[role])


def _indicators_file(sizes: Sizes, per_service: int) -> bytes:
    header = ["code", "title", "service", "unit", "polarity", "frequency", "tolerance", "corporate"]
    header += ["accountable_manager", "definition", "type", "decimal_places", "priorities"]

    def rows():
        for number in range(sizes.services):
            name = service_name(number)
            for index in range(per_service):
                yield [
                    indicator_code(number, index),
                    f"{name}: measure {index + 1} of {per_service}",
                    name,
                    "%",
                    "lower" if index % 4 == 3 else "higher",
                    "monthly",
                    "",
                    "yes" if index == 0 else "no",
                    f"{name} manager",
                    f"Cases of {name.lower()} dealt with on time, as a share of all cases.",
                    "local",
                    1,
                    f"P{number % 10 + 1}",
                ]

    return csv_file(header, rows())


def _target(number: int, index: int) -> Decimal:
    return Decimal(80 + (number * 7 + index * 3) % 15)


def _targets_file(sizes: Sizes, per_service: int) -> bytes:
    rows = (
        [indicator_code(number, index), year_label(year), _target(number, index)]
        for year in sizes.start_years
        for number in range(sizes.services)
        for index in range(per_service)
    )
    return csv_file(["code", "year", "target"], rows)


def _figure(number: int, index: int, month: periods.Period) -> Decimal:
    """Near the target: most green, some amber, a few red, the same on every run."""
    chance = random.Random(f"{number}/{index}/{month.name}")
    return _target(number, index) + Decimal(chance.randint(-120, 60)) / 10


def _actuals_file(sizes: Sizes, per_service: int, months: list[periods.Period]) -> bytes:
    def rows():
        for number in range(sizes.services):
            for index in range(per_service):
                code = indicator_code(number, index)
                target = _target(number, index)
                for month in months:
                    value = _figure(number, index, month)
                    # A figure far from target needs its reason (red ones must have one).
                    note = "Backlog after staff sickness." if abs(value - target) >= 5 else ""
                    yield [code, month.name, value, "verified", note]

    return csv_file(["code", "period_end", "value", "state", "commentary"], rows())


def _formset_data(prefix: str, rows: list[dict]) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for number, row in enumerate(rows):
        data[f"{prefix}-{number}-ORDER"] = str(number + 1)
        for name, value in row.items():
            if isinstance(value, list):
                data.setlist(f"{prefix}-{number}-{name}", [str(item) for item in value])
            else:
                data[f"{prefix}-{number}-{name}"] = str(value)
    return data


def _save_section(plan: ServicePlan, slug: str, rows: list[dict]) -> None:
    """What the plan editor's page does when an officer saves a section."""
    section = SECTIONS_BY_SLUG[slug]
    base = fingerprint(section_content(plan, section))
    formset = part_formset(section)(
        _formset_data(slug, rows),
        queryset=section.model.objects.filter(plan=plan),
        prefix=slug,
        form_kwargs={"plan": plan, "choice_cache": {}},
    )
    if not formset.is_valid():
        raise SystemExit(f"{slug} of {plan} refused: {formset.errors} {formset.non_form_errors()}")
    save_parts(plan=plan, section=section, formset=formset, base=base)


def _write_plan(plan: ServicePlan, number: int, actions: int) -> None:
    name = service_name(number)
    introduction = SECTIONS_BY_SLUG["introduction"]
    text = {
        "introduction": f"{name} serves every resident of the county. This plan sets out how "
        "the service will improve waste, licensing, parking and benefit outcomes this year."
    }
    base = fingerprint(section_content(plan, introduction))  # before the form changes `plan`
    form = narrative_form(introduction)(text, instance=plan)
    if not form.is_valid():
        raise SystemExit(f"introduction of {plan} refused: {form.errors}")
    save_narrative(plan=plan, section=introduction, form=form, base=base)
    priorities = list(Priority.objects.order_by("code").values_list("pk", flat=True))
    objectives = [
        {
            "title": f"Objective {n + 1} of {name}",
            "is_key": "on" if n == 0 else "",
            "priorities": [priorities[(number + n) % len(priorities)]],
        }
        for n in range(OBJECTIVES_PER_PLAN)
    ]
    _save_section(plan, "objectives", objectives)
    objective_ids = list(plan.objectives.order_by("position").values_list("pk", flat=True))
    statuses = [choice for choice, _ in Action.Status.choices]
    rows = [
        {
            "title": f"Action {n + 1}: review the {name.lower()} process",
            "objective": objective_ids[n % len(objective_ids)],
            "responsible_officer": f"{name} manager",
            "target_date": datetime.date(CURRENT_YEAR + 1, 3, 31).isoformat(),
            "status": statuses[n % 3],
            "success_measure": "Done on time and within budget.",
        }
        for n in range(actions)
    ]
    _save_section(plan, "actions", rows)


def _plans(sizes: Sizes, council: Council) -> None:
    year = FinancialYear.objects.get(start_year=CURRENT_YEAR)
    cabinet = Committee.objects.get(name="Cabinet")
    admin = _user(council, "admin")
    User = get_user_model()
    services = Service.objects.select_related("head_of_service__user").order_by("pk")
    officers = {user.username: user for user in User.objects.filter(username__startswith="officer")}
    names = {service_name(number): number for number in range(sizes.services)}
    for service in services:
        number = names[service.name]
        officer = officers[f"officer{number}@{DOMAIN}"]
        plan = workflow.start_plan(service=service, year=year, by=officer)
        _write_plan(plan, number, sizes.actions)
        plan = workflow.submit_plan(plan=plan, by=officer)
        plan = workflow.approve_plan(plan=plan, by=service.head_of_service.user)
        workflow.publish_plan(plan=plan, by=admin, committee=cabinet, meeting_date=ENDORSED_ON)


def _grid_figures(council: Council) -> None:
    """Each service's officer types the month's figures into the grid and saves."""
    officers = {
        service.pk: user
        for user in get_user_model().objects.filter(username__startswith="officer")
        for service in user.edited_services.all()
    }
    indicators = Indicator.objects.order_by("service_id", "code")
    by_service: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_service.setdefault(indicator.service_id, []).append(indicator)
    for service_id, mine in by_service.items():
        base = figures_fingerprint(mine, LAST_MONTH)
        entries = [
            FigureEntry(
                indicator=indicator,
                value=Decimal(85) + Decimal(indicator.pk % 15),
                state="verified",
                commentary="Checked by the team.",
                forecast_outturn=None,
            )
            for indicator in mine
        ]
        record_figures(
            period=LAST_MONTH, entries=entries, base=base, entered_by=officers[service_id]
        )


def _months_to_sign_off(sizes: Sizes) -> list[periods.Period]:
    """The current year's months before the one being entered: the heads sign off monthly."""
    return [m for m in sizes.months if m.financial_year == CURRENT_YEAR and m != LAST_MONTH]


def _sign_off(council: Council, months: list[periods.Period]) -> None:
    services = Service.objects.select_related("head_of_service__user").order_by("pk")
    for service in services:
        for month in months:
            sign_off_figures(service=service, period=month, by=service.head_of_service.user)


def withdraw_plan_pdfs() -> int:
    """Take the plan PDFs that publishing queued off the worker's queue."""
    from django_tasks_db.models import DBTaskResult

    queued = GeneratedReport.objects.filter(plan__isnull=False, status="queued")
    task_ids = list(queued.values_list("task_id", flat=True))
    DBTaskResult.objects.filter(id__in=task_ids).delete()
    return queued.delete()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=3000)
    parser.add_argument("--years", type=int, default=5, help="years of figures and targets")
    parser.add_argument("--actions", type=int, default=25, help="actions in each plan")
    parser.add_argument("--keep-plan-pdfs", action="store_true", help="leave them queued")
    options = parser.parse_args()
    sizes = Sizes(options.services, options.indicators, options.years, options.actions)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    logging.disable(logging.INFO)  # the audit log's line per invited person
    call_command("migrate", verbosity=0)
    where = f"{connection.vendor} {connection.settings_dict['NAME']}"
    if Service.objects.exists() or HeadOfService.objects.exists():
        raise SystemExit(f"{where} already holds a council: give a new database.")
    print(f"Making a council of {sizes.services} services in {where}", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        council = build_council(sizes)
    if not options.keep_plan_pdfs:
        print(f"  plan PDFs withdrawn from the queue: {withdraw_plan_pdfs()}")
    seconds = time.perf_counter() - started
    rows = sum(count for _, count, _ in council.steps)
    print(f"Done: {rows:,} rows in {seconds:.0f} s ({rows / seconds:,.0f} rows/s)")
    print(f"Invitations not sent (in-memory mailbox): {len(mail.outbox)}")
    print(f"Sign in with password {PASSWORD!r} as:")
    for role, username in council.accounts.items():
        print(f"  {role:<8} {username}")
    print(f"  (and head0..head{sizes.heads - 1}, officer0..officer{sizes.services - 1}, "
          f"member0..member{MEMBERS - 1} @{DOMAIN})")  # fmt: skip


if __name__ == "__main__":
    main()
