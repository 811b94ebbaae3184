"""The demo council: Sevenoaks District Council's 2012/13 structure, priorities and plans.

Loaded by `python manage.py load_demo`. Safe to run again: what exists is left as it is.
The data lives in fixtures/demo/.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from budgets import demo as budgets_demo
from organisation.access import ADMINISTRATORS, HEADS_OF_SERVICE, MEMBERS, OFFICERS, ROLE_GROUPS
from organisation.council import council_settings
from organisation.models import Committee, FinancialYear, HeadOfService, Priority, Service
from organisation.services import import_structure, update_council_settings
from performance import demo as performance_demo
from plans import demo as plans_demo
from plans.models import (
    Action,
    Consultation,
    Milestone,
    Objective,
    Project,
    Risk,
    ServicePlan,
    WorkStream,
)
from plans.sections import NARRATIVE_FIELDS

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_YEARS = (2011, 2012, 2013)
CURRENT_YEAR = 2012
PLAN_YEAR = 2012
ENDORSED_ON = datetime.date(2012, 3, 8)

COMMITTEES = [
    ("Environment Select Committee", Committee.Kind.SELECT),
    ("Social Affairs Select Committee", Committee.Kind.SELECT),
    ("Services Select Committee", Committee.Kind.SELECT),
    ("Cabinet", Committee.Kind.CABINET),
    ("Council", Committee.Kind.COUNCIL),
]

# Role groups. The demo gives each role one account; their password is DEMO_PASSWORD.
DEMO_PASSWORD = "serviceplans-demo"
DEMO_HEAD_OF_SERVICE = "Environmental & Operational Services"
DEMO_OFFICER_SERVICES = ("Licensing", "Direct Services")
DEMO_MEMBER_COMMITTEES = ("Environment Select Committee", "Cabinet")
DEMO_USERS = [
    # username, full name, group, superuser
    ("admin", ("Policy", "Team"), ADMINISTRATORS, True),
    ("head", ("Richard", "Wilson"), HEADS_OF_SERVICE, False),
    ("officer", ("Claire", "Stevens"), OFFICERS, False),
    ("member", ("Councillor", "Brown"), MEMBERS, False),
]


@transaction.atomic
def load_demo() -> None:
    _name_the_council()
    _load_years()
    _load_committees()
    import_structure(content=(DEMO_DIR / "structure.csv").read_bytes(), filename="structure.csv")
    _load_priorities()
    _load_plans()
    _load_users()
    performance_demo.load_demo()
    budgets_demo.load_demo()
    plans_demo.load_demo()


DEMO_COUNCIL_NAME = "Sevenoaks District Council"


def _name_the_council() -> None:
    """The demo is Sevenoaks: its name goes in the council's settings, which an install
    without the demo leaves for its administrator to fill. A name already given stays."""
    current = council_settings()
    if not (current.saved and current.name):
        update_council_settings(values={"name": DEMO_COUNCIL_NAME})


def _load_years() -> None:
    for start_year in DEMO_YEARS:
        FinancialYear.objects.get_or_create(start_year=start_year)
    if not FinancialYear.objects.filter(is_current=True).exists():
        FinancialYear.objects.filter(start_year=CURRENT_YEAR).update(is_current=True)


def _load_committees() -> None:
    for position, (name, kind) in enumerate(COMMITTEES, start=1):
        Committee.objects.get_or_create(name=name, defaults={"kind": kind, "position": position})


def _load_priorities() -> None:
    for item in json.loads((DEMO_DIR / "priorities.json").read_text()):
        code = item.pop("code")
        Priority.objects.get_or_create(code=code, defaults=item)


def _load_plans() -> None:
    year = FinancialYear.objects.get(start_year=PLAN_YEAR)
    cabinet = Committee.objects.get(name="Cabinet")
    priorities = {priority.code: priority for priority in Priority.objects.all()}
    content = json.loads((DEMO_DIR / "plans.json").read_text())
    for service in Service.objects.all():
        if ServicePlan.objects.filter(service=service, year=year).exists():
            continue
        _create_plan(service, year, cabinet, priorities, content[service.name])


def _create_plan(service, year, cabinet, priorities, data: dict) -> None:
    sections = {name: data[name] for name in NARRATIVE_FIELDS}
    plan = ServicePlan.objects.create(
        service=service,
        year=year,
        status=ServicePlan.Status.PUBLISHED,
        endorsed_by=cabinet,
        endorsed_on=ENDORSED_ON,
        **sections,
    )
    objectives = []
    for position, item in enumerate(data["objectives"]):
        objective = Objective.objects.create(
            plan=plan, position=position, title=item["title"], is_key=item["is_key"]
        )
        objective.priorities.set(priorities[code] for code in item["priorities"])
        objectives.append(objective)
    for position, item in enumerate(data["actions"]):
        _create_action(plan, position, objectives, priorities, dict(item))
    for position, item in enumerate(data["projects"]):
        item = dict(item)
        priority = priorities.get(item.pop("priority", None))
        Project.objects.create(plan=plan, position=position, priority=priority, **item)
    for model, key in (
        (Risk, "risks"),
        (Consultation, "consultations"),
        (WorkStream, "work_streams"),
    ):
        for position, item in enumerate(data[key]):
            model.objects.create(plan=plan, position=position, **item)


def _create_action(plan, position, objectives, priorities, item: dict) -> None:
    milestones = item.pop("milestones")
    codes = item.pop("priorities")
    objective = objectives[item.pop("objective")]
    action = Action.objects.create(plan=plan, position=position, objective=objective, **item)
    action.priorities.set(priorities[code] for code in codes)
    for index, milestone in enumerate(milestones):  # one by one: each is given a reference
        Milestone.objects.create(action=action, position=index, **milestone)


def _load_users() -> None:
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    users = {}
    for username, (first, last), group, superuser in DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(groups[group])
        users[username] = user
    HeadOfService.objects.filter(name=DEMO_HEAD_OF_SERVICE, user__isnull=True).update(
        user=users["head"]
    )
    for service in Service.objects.filter(name__in=DEMO_OFFICER_SERVICES):
        service.editors.add(users["officer"])
    for committee in Committee.objects.filter(name__in=DEMO_MEMBER_COMMITTEES):
        committee.members.add(users["member"])
