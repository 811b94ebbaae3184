"""The demo council gets the budgets of the Sevenoaks 2012/13 summary, through the imports."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from budgets.models import Budget, BudgetRisk, ReportingLine, Saving, Staffing
from organisation.models import FinancialYear
from tests.budgets.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_council):
    """The whole demo (`manage.py load_demo`), loaded once for the module."""


def test_load_demo_brings_the_budgets(demo):
    assert ReportingLine.objects.count() == 2
    assert Budget.objects.count() == 135
    assert Staffing.objects.count() == 84
    assert Saving.objects.count() == 69
    assert BudgetRisk.objects.count() == 2
    assert list(FinancialYear.objects.values_list("start_year", flat=True)) == list(
        range(2008, 2015)
    )
    assert FinancialYear.objects.get(is_current=True).start_year == 2012


def test_running_load_demo_again_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_running_load_demo_again_keeps_what_someone_changed(demo):
    budget = Budget.objects.get(service__name="Licensing", year__start_year=2012)
    budget.net_budget, budget.gross_expenditure, budget.income = Decimal("-30"), None, None
    budget.save()
    Saving.objects.filter(service__name="Licensing").delete()
    call_command("load_demo", stdout=io.StringIO())
    assert Budget.objects.get(pk=budget.pk).net_budget == Decimal("-30")
    assert not Saving.objects.filter(service__name="Licensing").exists()
