"""The demo council matches the Sevenoaks 2012/13 summary of service plans."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands, load_command_class
from django.db.models import CharField, TextField

from organisation.models import (
    Committee,
    CommitteeReview,
    FinancialYear,
    HeadOfService,
    Priority,
    Service,
)
from plans.models import Action, Objective, ServicePlan
from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_council):
    """Loaded once for the module (see tests/conftest.py)."""


def test_structure_matches_the_guidance_page(demo):
    assert HeadOfService.objects.count() == 7
    assert Service.objects.count() == 28
    assert Committee.objects.filter(kind=Committee.Kind.SELECT).count() == 3
    assert CommitteeReview.objects.count() == 32
    scope_notes = set(
        CommitteeReview.objects.exclude(scope_note="").values_list(
            "service__name", "committee__name", "scope_note"
        )
    )
    assert scope_notes == {
        ("Direct Services", "Environment Select Committee", "Street Cleaning"),
        ("Direct Services", "Social Affairs Select Committee", "CCTV, Pest Control & WC's"),
        ("Elections & Land Charges", "Environment Select Committee", "Land Charges"),
        ("Elections & Land Charges", "Services Select Committee", "Elections"),
    }


@pytest.mark.parametrize(
    ("committee", "services"),
    [
        ("Environment Select Committee", 8),
        ("Social Affairs Select Committee", 5),
        ("Services Select Committee", 19),
    ],
)
def test_each_committee_reviews_the_seed_services(demo, committee, services):
    assert CommitteeReview.objects.filter(committee__name=committee).count() == services


def test_years_and_current_year(demo):
    assert [
        str(year)
        for year in FinancialYear.objects.filter(start_year__lte=2013, start_year__gte=2011)
    ] == ["2011/12", "2012/13", "2013/14"]
    assert FinancialYear.objects.get(is_current=True).label == "2012/13"


def test_every_service_has_a_published_plan_with_key_objectives(demo):
    plans = ServicePlan.objects.filter(year__start_year=2012)
    assert plans.count() == 28
    assert set(plans.values_list("status", flat=True)) == {ServicePlan.Status.PUBLISHED}
    for plan in plans:
        assert plan.objectives.filter(is_key=True).exists(), plan
        assert plan.actions.exists(), plan
        assert plan.risks.exists(), plan
        assert plan.projects.exists(), plan
        assert plan.introduction


@pytest.mark.parametrize(
    ("service", "key_objectives"),
    [
        (
            "Licensing",
            [
                "Manage and oversee the Licensing Partnership and contribute to annual "
                "efficiency savings",
                "Comply fully with the obligations under the Licensing Act 2003 and Gambling "
                "Act 2005",
                "Continue to develop the 'Centre for Excellence' for all Council licensing "
                "functions",
            ],
        ),
        (
            "Human Resources",
            [
                "Effective HR policies and procedures",
                "Have an engaged workforce",
                "Introduce initiatives to reduce sickness absence",
            ],
        ),
    ],
)
def test_key_objectives_are_sevenoaks(demo, service, key_objectives):
    titles = Objective.objects.filter(plan__service__name=service, is_key=True).values_list(
        "title", flat=True
    )
    assert list(titles) == key_objectives


def test_actions_link_objectives_priorities_and_milestones(demo):
    assert Priority.objects.exists()
    action = Action.objects.filter(priorities__isnull=False).first()
    assert action.objective.plan_id == action.plan_id
    assert action.milestones.exists()


def test_one_demo_account_per_role(demo, client):
    users = get_user_model().objects
    for username, group in [
        ("admin", "Administrators"),
        ("head", "Heads of service"),
        ("officer", "Officers"),
        ("member", "Members"),
    ]:
        user = users.get(username=username)
        assert user.groups.filter(name=group).exists()
        assert client.login(username=username, password=DEMO_PASSWORD)
    assert users.get(username="admin").is_superuser
    assert not users.get(username="member").is_staff
    assert HeadOfService.objects.get(user__username="head").name == (
        "Environmental & Operational Services"
    )
    assert set(
        Service.objects.filter(editors__username="officer").values_list("name", flat=True)
    ) == {"Licensing", "Direct Services"}


def test_loading_twice_changes_nothing(demo):
    def counts():
        return [
            model.objects.count()
            for model in (
                HeadOfService,
                Service,
                Committee,
                CommitteeReview,
                Priority,
                ServicePlan,
                Objective,
                Action,
                get_user_model(),
            )
        ]

    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_admin_lists_the_demo_council(demo, client):
    client.login(username="admin", password=DEMO_PASSWORD)
    response = client.get("/admin/organisation/service/")
    assert response.status_code == 200
    assert "Parking &amp; Amenity" in response.content.decode()


def test_plan_shows_the_services_budget_read_only(demo, client):
    client.login(username="member", password=DEMO_PASSWORD)
    plan = ServicePlan.objects.get(service__name="Parking & Amenity", year__start_year=2012)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Net budget 2012/13 (£000)" in page
    assert "-1,711" in page


# Words that tell where the demo came from. The demo council is a council to its users, not a
# copy of a document: its provenance belongs in code comments and docs only.
PROVENANCE = re.compile(
    r"\bseeds?\b|source document|summary document|Sevenoaks \d{4}/\d{2} summary|\binvented\b",
    re.IGNORECASE,
)
PRODUCT_APPS = {"organisation", "plans", "performance", "budgets", "reports", "portal"}
PRODUCT_APPS |= {"opendata", "notifications", "residents", "security", "api", "spreadsheets"}


def test_no_text_of_the_demo_says_where_it_came_from(demo):
    """Every text the demo stores (what pages, reports and emails show) and the help of every
    command."""
    found = []
    for app in apps.get_app_configs():
        for model in app.get_models() if app.name in PRODUCT_APPS else []:
            names = [
                field.attname
                for field in model._meta.concrete_fields
                if isinstance(field, CharField | TextField)
            ]
            for row in model.objects.values_list(*names) if names else []:
                found += [(model.__name__, text) for text in row if PROVENANCE.search(text or "")]
    for name, app_name in get_commands().items():
        if app_name in PRODUCT_APPS:
            command = load_command_class(app_name, name)
            if PROVENANCE.search(command.help):
                found.append((name, command.help))
    assert found == []


@pytest.mark.parametrize("username", ["admin", "head", "officer", "member"])
def test_no_page_of_the_demo_says_where_it_came_from(demo, client, username):
    client.login(username=username, password=DEMO_PASSWORD)
    plan = ServicePlan.objects.get(service__name="Direct Services", year__start_year=2012)
    for url in ("/", f"/plans/{plan.pk}/", "/performance/", "/reports/", "/accessibility/"):
        page = client.get(url, follow=True).content.decode()
        assert not PROVENANCE.search(page), url
        assert not re.search(r"\bdemo\b", page, re.IGNORECASE), url


def test_the_half_year_shows_every_kind_of_exception(demo):
    from organisation.models import MonitoringPoint
    from plans import progress

    point = MonitoringPoint.objects.get(year__start_year=2012, name="Half-year")
    assert list(point.year.monitoring_points.values_list("name", flat=True)) == [
        "Half-year",
        "Year-end",
    ]
    items = {}
    for plan in ServicePlan.objects.filter(year=point.year, status="published"):
        items.update(progress.plan_progress(plan, point))
    statuses = {item.status for item in items.values() if item.kind != "risk"}
    assert {"on_track", "at_risk", "off_track", "completed", "cancelled", "not_started"} <= statuses
    for item in items.values():
        if item.status in progress.NEEDS_COMMENTARY:
            assert item.commentary, item.reference
    overdue = sorted(ref for ref, item in items.items() if item.overdue)
    assert overdue == ["CPS-A02.1", "DC-A02.1", "PS-A02.1"]
    movements = {ref: item.movement for ref, item in items.items() if item.kind == "risk"}
    assert movements["HB-R01"] == movements["SH-R01"] == "up"
    assert movements["FIN-R01"] == "down"
    assert set(movements.values()) == {"up", "down", "same"}
    completed = items["CPS-A01.1"] if items["CPS-A01.1"].status == "completed" else None
    assert completed is None  # due in October: after the half-year, so not yet reported
    assert items["LIC-A01.1"].latest.completed_on.isoformat() == "2012-06-30"


def test_figures_before_august_2012_are_signed_off_and_augusts_are_provisional(demo):
    import datetime

    from performance.models import FigureSignOff

    signed = set(FigureSignOff.objects.values_list("period_end", flat=True))
    assert datetime.date(2012, 7, 31) in signed
    assert datetime.date(2012, 3, 31) in signed
    assert datetime.date(2012, 8, 31) not in signed
