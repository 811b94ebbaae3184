"""budgets.demo on its own, after the structure: years, current year and idempotence.

A separate module from test_demo.py, whose module-wide demo council would be in the way.
"""

from pathlib import Path

import pytest
from django.conf import settings

from budgets import demo as budgets_demo
from budgets.models import Budget
from organisation.models import FinancialYear
from organisation.services import import_structure
from tests import factories
from tests.budgets.helpers import snapshot

pytestmark = pytest.mark.django_db


def test_the_budgets_demo_adds_its_years_but_never_changes_the_current_one():
    structure = Path(settings.BASE_DIR) / "fixtures" / "demo" / "structure.csv"
    import_structure(content=structure.read_bytes(), filename="structure.csv")
    factories.FinancialYearFactory(start_year=2013, is_current=True)
    budgets_demo.load_demo()
    assert FinancialYear.objects.get(is_current=True).start_year == 2013
    assert list(FinancialYear.objects.values_list("start_year", flat=True)) == list(
        range(2008, 2015)
    )
    assert Budget.objects.count() == 135
    before = snapshot()
    budgets_demo.load_demo()
    assert snapshot() == before
