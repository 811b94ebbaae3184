"""The admin lists every budgets record with useful columns, filters and search."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import ReportingLine
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def figures(council):
    years, services, line = council["years"], council["services"], council["line"]
    factories.BudgetFactory(
        service=services["Communications"], year=years[2012], net_budget=Decimal("-1711")
    )
    factories.BudgetFactory(
        service=None, reporting_line=line, year=years[2012], net_budget=Decimal("699")
    )
    factories.StaffingFactory(
        service=services["IT Services"], year=years[2012], fte=Decimal("14.5")
    )
    factories.SavingFactory(
        service=None,
        reporting_line=line,
        first_year=years[2008],
        last_year=years[2009],
        description="Achieved 2008-10",
    )
    factories.BudgetRiskFactory(
        head_of_service=council["heads"]["housing"], year=years[2012], title="Housing - Homeless"
    )
    return council


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("budget", "", ["-1,711", "Private &amp; Social Housing", "699"]),
        ("budget", "q=social", ["Private &amp; Social Housing"]),
        ("staffing", "", ["IT Services", "14.5"]),
        ("saving", "", ["2008/09 to 2009/10", "Achieved 2008-10"]),
        ("saving", "q=2008-10", ["Achieved 2008-10"]),
        ("saving", "status__exact=agreed", ["Achieved 2008-10"]),
        ("budgetrisk", "", ["Housing - Homeless"]),
        ("reportingline", "", ["Private Housing; Social Housing"]),
        ("reportingline", "q=social+housing", ["Private &amp; Social Housing"]),
    ],
)
def test_changelists_show_the_figures(admin_client, figures, model, query, expected):
    response = admin_client.get(reverse(f"admin:budgets_{model}_changelist") + "?" + query)
    assert response.status_code == 200
    for text in expected:
        assert text in response.content.decode()


def test_figures_filter_by_head_of_service_through_service_or_line(admin_client, figures):
    housing, it = figures["heads"]["housing"], figures["heads"]["it"]
    url = reverse("admin:budgets_budget_changelist")
    housing_page = admin_client.get(url, {"head_of_service": housing.pk}).content.decode()
    assert "-1,711" in housing_page and "699" in housing_page
    it_page = admin_client.get(url, {"head_of_service": it.pk}).content.decode()
    assert "-1,711" not in it_page and "699" not in it_page
    savings = reverse("admin:budgets_saving_changelist")
    assert admin_client.get(savings, {"first_year__start_year__exact": 2008}).status_code == 200


@pytest.mark.parametrize("model", ["budget", "staffing", "saving", "budgetrisk", "reportingline"])
def test_add_forms_open(admin_client, council, model):
    assert admin_client.get(reverse(f"admin:budgets_{model}_add")).status_code == 200


def test_a_reporting_line_takes_services_of_its_own_head_of_service_only(admin_client, council):
    housing = council["heads"]["housing"]
    response = admin_client.post(
        reverse("admin:budgets_reportingline_add"),
        {
            "name": "Mixed",
            "head_of_service": housing.pk,
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-service": council["services"]["Housing Policy"].pk,
            "memberships-1-service": council["services"]["IT Services"].pk,
        },
    )
    assert response.status_code == 200
    assert "is under IT &amp; Facilities Management" in response.content.decode()
    assert not ReportingLine.objects.filter(name="Mixed").exists()


def test_the_admin_refuses_a_budget_that_does_not_add_up(admin_client, council):
    response = admin_client.post(
        reverse("admin:budgets_budget_add"),
        {
            "service": council["services"]["Communications"].pk,
            "year": council["years"][2012].pk,
            "net_budget": "100",
            "gross_expenditure": "150",
            "income": "40",
        },
    )
    assert response.status_code == 200
    assert "The net budget must equal gross expenditure less income." in response.content.decode()


def test_the_admin_refuses_a_budget_counted_twice_with_its_reporting_line(admin_client, figures):
    years, services = figures["years"], figures["services"]
    response = admin_client.post(
        reverse("admin:budgets_budget_add"),
        {"service": services["Private Housing"].pk, "year": years[2012].pk, "net_budget": "10"},
    )
    assert response.status_code == 200
    assert (
        "Private &amp; Social Housing already has a budget for 2012/13" in response.content.decode()
    )
    response = admin_client.post(
        reverse("admin:budgets_budget_add"),
        {"service": services["Private Housing"].pk, "year": years[2011].pk, "net_budget": "10"},
    )
    assert response.status_code == 302, "another year is fine"


def test_the_admin_refuses_a_saving_that_shares_a_year_with_a_span(admin_client, figures):
    years, services = figures["years"], figures["services"]
    data = {
        "service": services["Social Housing"].pk,
        "last_year": years[2009].start_year,
        "amount": "5",
        "description": "Grants",
        "status": "achieved",
    }
    response = admin_client.post(
        reverse("admin:budgets_saving_add"), {**data, "first_year": years[2009].start_year}
    )
    assert response.status_code == 200
    assert "already has a saving for 2008/09 to 2009/10" in response.content.decode()
    response = admin_client.post(
        reverse("admin:budgets_saving_add"), {**data, "first_year": years[2008].start_year}
    )
    assert response.status_code == 302, "the same span as the line's is fine"


def test_editing_a_figure_does_not_clash_with_itself(admin_client, figures):
    budget = factories.BudgetFactory(
        service=None, reporting_line=figures["line"], year=figures["years"][2011]
    )
    response = admin_client.post(
        reverse("admin:budgets_budget_change", args=[budget.pk]),
        {"reporting_line": figures["line"].pk, "year": budget.year.pk, "net_budget": "738"},
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.net_budget == Decimal("738")
