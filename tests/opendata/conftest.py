"""A small council for the open data tests, built once per module and rolled back after it.

Licensing (LIC) has a published 2012/13 plan; Finance (FIN), under the same head of service,
has only a draft; Zebraword Parks (ZEB), under another head, has only a draft too. Everything
of the drafts, and every commentary marked internal, carries a marker word that no dataset
may contain.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

DRAFT_MARKER = "Zebraword"
INTERNAL_MARKER = "Quokkaword"


@dataclass
class OpenWorld:
    year: object
    licensing: object
    finance: object
    parks: object
    monthly: object  # LIC 01: monthly, every figure to August signed off
    quarterly: object  # LIC 02: quarterly, September provisional
    action: object
    project: object


def council(**flags) -> None:
    """Save the council's public settings (public_pages, public_shows_provisional, …)."""
    from organisation.council import forget_cached_settings
    from organisation.models import CouncilSettings

    CouncilSettings.objects.update_or_create(pk=1, defaults={"name": "Riverside", **flags})
    forget_cached_settings()


def sign_off(service, *months: str) -> None:
    from performance.models import FigureSignOff
    from performance.periods import parse

    for month in months:
        FigureSignOff.objects.create(service=service, period_end=parse(month).end_date)


def build_open_world() -> OpenWorld:
    from tests import factories

    year = factories.FinancialYearFactory(start_year=2012, is_current=True)
    factories.FinancialYearFactory(start_year=2011)
    factories.FinancialYearFactory(start_year=2010)
    head = factories.HeadOfServiceFactory(name="Licensing & Finance")
    licensing = factories.ServiceFactory(name="Licensing", code="LIC", head_of_service=head)
    finance = factories.ServiceFactory(name="Finance", code="FIN", head_of_service=head)
    parks = factories.ServiceFactory(
        name=f"{DRAFT_MARKER} Parks",
        code="ZEB",
        head_of_service=factories.HeadOfServiceFactory(name=f"{DRAFT_MARKER} Portfolio"),
    )
    priority = factories.PriorityFactory(code="P7")

    plan = factories.ServicePlanFactory(service=licensing, year=year, published=True)
    factories.PlanEventFactory(plan=plan, kind="published")
    objective = factories.ObjectiveFactory(plan=plan, title="Licences issued on time")
    action = factories.ActionFactory(
        plan=plan,
        objective=objective,
        title="Move licence applications online",
        responsible_officer="Pat Example",
        target_date=datetime.date(2012, 7, 31),
    )
    action.priorities.add(priority)
    factories.MilestoneFactory(action=action, title="Online form live")
    project = factories.ProjectFactory(
        plan=plan, title="New licensing system", accountable_manager="Jo Manager", priority=priority
    )
    half_year = factories.MonitoringPointFactory(year=year)
    factories.ProgressUpdateFactory(
        item=action,
        point=half_year,
        status="at_risk",
        percent_complete=40,
        commentary=f"{INTERNAL_MARKER}: supplier trouble",
        commentary_internal=True,
    )
    factories.ProgressUpdateFactory(
        item=project, point=half_year, percent_complete=60, commentary="On schedule."
    )

    monthly = factories.IndicatorFactory(
        service=licensing, code="LIC 01", title="Licences issued within 10 days"
    )
    monthly.priorities.add(priority)
    factories.TargetFactory(indicator=monthly, year=year, value=Decimal("90"))
    values = {"2012-03": "85", "2012-04": "91", "2012-05": "88.44", "2012-06": "79"}
    values |= {"2012-07": "93", "2012-08": "90", "2012-09": "95"}
    for month, value in values.items():
        factories.ActualFactory(
            indicator=monthly,
            period_end=_end(month),
            value=Decimal(value),
            forecast_outturn=Decimal("91") if month == "2012-08" else None,
            commentary="Queue cleared." if month == "2012-07" else "",
        )
    factories.ActualFactory(
        indicator=monthly,
        period_end=_end("2011-08"),
        value=Decimal("87"),
    )
    quarterly = factories.IndicatorFactory(
        service=licensing,
        code="LIC 02",
        title="Days to process",
        unit="days",
        polarity="lower",
        frequency="quarterly",
    )
    factories.TargetFactory(indicator=quarterly, year=year, value=Decimal("5"))
    factories.ActualFactory(
        indicator=quarterly,
        period_end=_end("2012-06"),
        value=Decimal("6"),
        commentary=f"{INTERNAL_MARKER} staff off sick",
        commentary_internal=True,
    )
    factories.ActualFactory(indicator=quarterly, period_end=_end("2012-09"), value=Decimal("4.4"))
    sign_off(licensing, "2011-08", "2012-03", "2012-04", "2012-05", "2012-06", "2012-07")
    sign_off(licensing, "2012-08")  # September is provisional

    # The drafts: nothing of theirs is published.
    for service in (finance, parks):
        draft = factories.ServicePlanFactory(service=service, year=year)
        factories.ActionFactory(plan=draft, title=f"{DRAFT_MARKER} action")
        indicator = factories.IndicatorFactory(service=service, title=f"{DRAFT_MARKER} count")
        factories.ActualFactory(
            indicator=indicator, period_end=_end("2012-06"), commentary=DRAFT_MARKER
        )
        sign_off(service, "2012-06")

    for start, amount in ((2010, "120"), (2011, "-35.5"), (2012, "130")):
        budget_year = factories.FinancialYearFactory._meta.model.objects.get(start_year=start)
        factories.BudgetFactory(service=licensing, year=budget_year, net_budget=Decimal(amount))
        factories.BudgetFactory(service=finance, year=budget_year, net_budget=Decimal("1000"))
        factories.BudgetFactory(service=parks, year=budget_year, net_budget=Decimal("777"))
        factories.StaffingFactory(service=licensing, year=budget_year, fte=Decimal("4.5"))
    factories.SavingFactory(service=licensing, first_year=year, amount=Decimal("12"))
    return OpenWorld(year, licensing, finance, parks, monthly, quarterly, action, project)


def _end(month: str) -> datetime.date:
    from performance.periods import parse

    return parse(month).end_date


@pytest.fixture(scope="module")
def open_world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_open_world()
        transaction.set_rollback(True)


@pytest.fixture
def reader(db, open_world):
    """A member, signed in: open data reads the same for everyone signed in."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from organisation import access
    from tests import factories

    user = factories.UserFactory()
    user.groups.add(Group.objects.get_or_create(name=access.MEMBERS)[0])
    client = Client()
    client.force_login(user)
    return client
