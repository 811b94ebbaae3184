"""The database refuses what the budgets domain forbids, by named constraint."""

from decimal import Decimal

import pytest

from budgets.models import ReportingLineService, Saving
from tests import factories
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return factories.FinancialYearFactory(start_year=2012)


@pytest.fixture
def line():
    head = factories.HeadOfServiceFactory()
    services = factories.ServiceFactory.create_batch(2, head_of_service=head)
    return factories.ReportingLineFactory(head_of_service=head, services=services)


@pytest.mark.parametrize(
    ("factory", "constraint"),
    [
        (factories.BudgetFactory, "budgets_budget_for_service_or_reporting_line"),
        (factories.StaffingFactory, "budgets_staffing_for_service_or_reporting_line"),
        (factories.SavingFactory, "budgets_saving_for_service_or_reporting_line"),
    ],
)
def test_a_figure_is_for_a_service_or_a_reporting_line_not_both_nor_neither(
    factory, constraint, year, line
):
    service = line.services.first()
    assert_refused(
        constraint, lambda: factory.build(service=service, reporting_line=line, **_y(factory, year))
    )
    assert_refused(
        constraint, lambda: factory.build(service=None, reporting_line=None, **_y(factory, year))
    )
    assert factory(service=None, reporting_line=line, **_y(factory, year)).pk
    assert factory(service=service, **_y(factory, year)).pk


def _y(factory, year) -> dict:
    if factory is factories.SavingFactory:
        return {"first_year": year, "last_year": year}
    return {"year": year}


def test_one_budget_per_service_and_year(year):
    budget = factories.BudgetFactory(year=year)
    assert_refused(
        "budgets_one_budget_per_service_year",
        lambda: factories.BudgetFactory.build(service=budget.service, year=year),
    )
    next_year = factories.FinancialYearFactory(start_year=2013)
    assert factories.BudgetFactory(service=budget.service, year=next_year).pk


def test_one_budget_per_reporting_line_and_year(year, line):
    factories.BudgetFactory(service=None, reporting_line=line, year=year)
    assert_refused(
        "budgets_one_budget_per_line_year",
        lambda: factories.BudgetFactory.build(service=None, reporting_line=line, year=year),
    )


def test_one_staffing_figure_per_service_and_year(year, line):
    staffing = factories.StaffingFactory(year=year)
    assert_refused(
        "budgets_one_staffing_per_service_year",
        lambda: factories.StaffingFactory.build(service=staffing.service, year=year),
    )
    factories.StaffingFactory(service=None, reporting_line=line, year=year)
    assert_refused(
        "budgets_one_staffing_per_line_year",
        lambda: factories.StaffingFactory.build(service=None, reporting_line=line, year=year),
    )


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"gross_expenditure": Decimal("-1")}, "budgets_gross_expenditure_not_negative"),
        ({"income": Decimal("-1")}, "budgets_income_not_negative"),
        (
            {
                "net_budget": Decimal("100"),
                "gross_expenditure": Decimal("150"),
                "income": Decimal("40"),
            },
            "budgets_net_is_gross_less_income",
        ),
        (
            {
                "net_budget": Decimal("0.9"),
                "gross_expenditure": Decimal("10.3"),
                "income": Decimal("9.39"),
            },
            "budgets_net_is_gross_less_income",
        ),
    ],
)
def test_budget_figures_add_up(values, constraint, year):
    assert_refused(
        constraint,
        lambda: factories.BudgetFactory.build(
            service=factories.ServiceFactory(), year=year, **values
        ),
    )


@pytest.mark.parametrize(
    ("net", "gross", "income"),
    [
        ("-1711", "1396", "3107"),
        ("0.9", "10.3", "9.4"),  # exact in decimal, not in the floating point SQLite keeps
        ("6", "6", "0"),
        ("100", None, "40"),  # either half alone is fine
        ("100", "140", None),
    ],
)
def test_consistent_budgets_are_accepted(net, gross, income, year):
    budget = factories.BudgetFactory(
        year=year,
        net_budget=Decimal(net),
        gross_expenditure=gross and Decimal(gross),
        income=income and Decimal(income),
    )
    budget.refresh_from_db()
    assert budget.net_budget == Decimal(net)


def test_staff_cannot_be_negative(year):
    assert_refused(
        "budgets_fte_not_negative",
        lambda: factories.StaffingFactory.build(
            service=factories.ServiceFactory(), year=year, fte=Decimal("-0.5")
        ),
    )


def test_a_savings_span_is_not_reversed():
    first = factories.FinancialYearFactory(start_year=2009)
    last = factories.FinancialYearFactory(start_year=2008)
    assert_refused(
        "budgets_saving_span_not_reversed",
        lambda: factories.SavingFactory.build(
            service=factories.ServiceFactory(), first_year=first, last_year=last
        ),
    )
    assert factories.SavingFactory(first_year=last, last_year=first).pk


def test_the_span_compares_years_not_row_ids():
    """Years created out of order: the check must look at the years themselves."""
    later = factories.FinancialYearFactory(start_year=2014)
    earlier = factories.FinancialYearFactory(start_year=2008)
    assert later.pk < earlier.pk
    saving = factories.SavingFactory(first_year=earlier, last_year=later)
    assert saving.first_year_id == 2008 and saving.last_year_id == 2014
    assert_refused(
        "budgets_saving_span_not_reversed",
        lambda: factories.SavingFactory.build(
            service=factories.ServiceFactory(), first_year=later, last_year=earlier
        ),
    )


def test_a_saving_is_recorded_once_per_service_period_and_description(year, line):
    saving = factories.SavingFactory(first_year=year, description="Restructure")
    assert_refused(
        "budgets_one_saving_per_service_period_description",
        lambda: factories.SavingFactory.build(
            service=saving.service, first_year=year, description="Restructure"
        ),
    )
    assert factories.SavingFactory(service=saving.service, first_year=year, description="Fees").pk
    factories.SavingFactory(service=None, reporting_line=line, first_year=year, description="Fees")
    assert_refused(
        "budgets_one_saving_per_line_period_description",
        lambda: factories.SavingFactory.build(
            service=None, reporting_line=line, first_year=year, description="Fees"
        ),
    )


def test_a_service_is_in_one_reporting_line_at_most(line):
    service = line.services.first()
    other = factories.ReportingLineFactory(head_of_service=line.head_of_service)
    assert_refused(
        "budgets_service_in_one_reporting_line",
        lambda: ReportingLineService(reporting_line=other, service=service),
    )


def test_a_budget_risk_has_text(year):
    assert_refused(
        "budgets_budget_risk_has_text",
        lambda: factories.BudgetRiskFactory.build(
            head_of_service=factories.HeadOfServiceFactory(), year=year, text=""
        ),
    )


def test_names_and_labels(year, line):
    span_start = factories.FinancialYearFactory(start_year=2008)
    span_end = factories.FinancialYearFactory(start_year=2009)
    service = factories.ServiceFactory(name="Parking & Amenity")
    budget = factories.BudgetFactory.build(service=service, year=year, net_budget=Decimal("-1711"))
    assert str(budget) == "Parking & Amenity 2012/13 net budget -1711"
    budget.is_forecast = True
    assert str(budget).endswith("(forecast)")
    staffing = factories.StaffingFactory.build(service=service, year=year, fte=Decimal("22.6"))
    assert str(staffing) == "Parking & Amenity 2012/13 22.6 FTE"
    saving = factories.SavingFactory.build(
        service=None,
        reporting_line=line,
        first_year=span_start,
        last_year=span_end,
        description="Restructure",
    )
    assert saving.holder == line
    assert saving.is_span
    assert saving.period_label == "2008/09 to 2009/10"
    assert str(saving) == f"{line.name} 2008/09 to 2009/10: Restructure"
    single = factories.SavingFactory.build(service=service, first_year=year, last_year=year)
    assert not single.is_span and single.period_label == "2012/13"
    assert Saving.Status("at_risk").label == "At risk"
    risk = factories.BudgetRiskFactory.build(title="Land Charges", text="Income is down.")
    assert str(risk) == "Land Charges"
    assert (
        str(factories.BudgetRiskFactory.build(title="", text="Income is down."))
        == "Income is down."
    )
    assert str(line) == line.name
    membership = line.memberships.select_related("service").first()
    assert str(membership) == f"{membership.service} in {line}"
