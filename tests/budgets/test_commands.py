"""The import commands: what changed on success, every problem by row and column on failure."""

import io

import pytest
from django.core.management import CommandError, call_command

from budgets.models import Budget, BudgetRisk, ReportingLine, Saving

pytestmark = pytest.mark.django_db

FILES = {
    "import_budgets": (
        "service,year,net_budget,gross_expenditure,income,fte,forecast\n"
        "Communications,2012/13,145,152,7,3,no\n",
        "Communications,2012/13,lots,,,,\n",
        "Row 2, column net_budget: 'lots' is not a number",
        Budget,
    ),
    "import_savings": (
        "service,period,amount,description,status\n"
        "Communications,2008/09-2009/10,29,Achieved 2008-10,achieved\n",
        "Communications,2008 - 10,29,Achieved,achieved\n",
        "Row 2, column period: '2008 - 10' is not a period",
        Saving,
    ),
    "import_budget_risks": (
        "head_of_service,year,title,text\nHousing & Communications,2012/13,B&B,Over budget.\n",
        "Housing,2012/13,B&B,Over budget.\n",
        "Row 2, column head_of_service: no head of service is called 'Housing'",
        BudgetRisk,
    ),
    "import_reporting_lines": (
        "reporting_line,services\nHousing Services,Communications; Housing Policy\n",
        "Housing Services,Communications\n",
        "Row 2, column services: a reporting line covers two or more services",
        ReportingLine,
    ),
}


@pytest.mark.parametrize("command", FILES)
def test_command_imports_and_says_what_changed(council, tmp_path, command):
    good, _, _, model = FILES[command]
    path = tmp_path / "good.csv"
    path.write_text(good)
    before = model.objects.count()
    out = io.StringIO()
    call_command(command, str(path), stdout=out)
    assert "1 row read;" in out.getvalue() and "created" in out.getvalue()
    assert model.objects.count() == before + 1
    out = io.StringIO()
    call_command(command, str(path), stdout=out)
    assert "1 row read; nothing changed." in out.getvalue()


@pytest.mark.parametrize("command", FILES)
def test_command_refuses_a_bad_file_naming_row_and_column(council, tmp_path, command):
    good, bad_row, message, model = FILES[command]
    path = tmp_path / "bad.csv"
    path.write_text(good.splitlines()[0] + "\n" + bad_row)
    before = model.objects.count()
    with pytest.raises(
        CommandError, match="bad.csv was not imported; nothing was changed"
    ) as error:
        call_command(command, str(path))
    assert message in str(error.value)
    assert model.objects.count() == before


@pytest.mark.parametrize("command", FILES)
def test_command_names_a_missing_file(tmp_path, command):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(command, str(tmp_path / "nowhere.csv"))
