"""The budgets import (net budgets and staff FTEs): all-or-nothing, errors named by row and
column, and a second run changes nothing."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from budgets.models import Budget, Staffing
from budgets.services import import_budgets, import_reporting_lines
from organisation.services import import_structure
from tests import factories
from tests.budgets.helpers import csv_bytes, rejected, snapshot, where, xlsx_bytes

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
HEADER = "service,year,net_budget,gross_expenditure,income,fte,forecast"


def budgets_csv(*lines: str) -> bytes:
    return csv_bytes(HEADER, *lines)


def net_budgets() -> dict:
    return {
        (str(budget.holder), budget.year.label): budget.net_budget
        for budget in Budget.objects.select_related("service", "reporting_line", "year")
    }


@pytest.fixture
def demo_structure(db):
    import_structure(content=(DEMO / "structure.csv").read_bytes(), filename="structure.csv")
    for start in range(2008, 2015):
        factories.FinancialYearFactory(start_year=start)
    import_reporting_lines(
        content=(DEMO / "reporting_lines.csv").read_bytes(), filename="reporting_lines.csv"
    )


def test_the_demo_file_imports_and_a_second_run_changes_nothing(demo_structure):
    content = (DEMO / "budgets.csv").read_bytes()
    result = import_budgets(content=content, filename="budgets.csv")
    assert result.rows == 141
    assert result.created == {"budgets": 135, "staffing (FTE)": 84}
    assert Budget.objects.filter(is_forecast=True).count() == 54
    before = snapshot()
    again = import_budgets(content=content, filename="budgets.csv")
    assert not again.changed_anything
    assert again.describe() == "141 rows read; nothing changed."
    assert snapshot() == before


def test_xlsx_with_numbers_and_booleans_gives_the_same_figures_as_csv(demo_structure):
    rows = list(csv.reader(io.StringIO((DEMO / "budgets.csv").read_text())))

    def typed(value: str):
        """What a finance officer's workbook holds: numbers as numbers, yes/no as booleans."""
        if value in ("yes", "no"):
            return value == "yes"
        try:
            number = float(value)
        except ValueError:
            return value or None
        return int(number) if number.is_integer() else number

    import_budgets(
        content=xlsx_bytes([rows[0], *[[typed(v) for v in row] for row in rows[1:]]]),
        filename="budgets.xlsx",
    )
    from_xlsx = snapshot()
    result = import_budgets(content=(DEMO / "budgets.csv").read_bytes(), filename="budgets.csv")
    assert not result.changed_anything
    assert snapshot() == from_xlsx
    assert net_budgets()[("Policy & Performance", "2011/12")] == Decimal("0.9")


def test_a_row_sets_the_budget_and_blanks_clear_gross_and_income(council):
    import_budgets(content=budgets_csv("Communications,2012/13,145,152,7,3,no"), filename="b.csv")
    result = import_budgets(
        content=budgets_csv("Communications,2012/13,150,,,3,yes"), filename="b.csv"
    )
    budget = Budget.objects.get()
    assert (budget.net_budget, budget.gross_expenditure, budget.income) == (
        Decimal(150),
        None,
        None,
    )
    assert budget.is_forecast
    assert result.changed == {"budgets": 1}
    assert result.describe() == "1 row read; 1 budgets updated."


def test_a_blank_net_budget_or_fte_leaves_that_figure_alone(council):
    import_budgets(content=budgets_csv("Communications,2012/13,145,,,3,"), filename="b.csv")
    result = import_budgets(content=budgets_csv("Communications,2012/13,,,,3.5,"), filename="b.csv")
    assert Budget.objects.get().net_budget == Decimal(145)
    assert Staffing.objects.get().fte == Decimal("3.5")
    assert result.changed == {"staffing (FTE)": 1}
    import_budgets(content=budgets_csv("Communications,2012/13,140,,,,"), filename="b.csv")
    assert Staffing.objects.get().fte == Decimal("3.5")


def test_figures_go_on_a_reporting_line_by_its_name_in_the_service_column(council):
    import_budgets(
        content=budgets_csv(
            "Private & Social Housing,2012/13,699,1286,587,,",
            "private housing,2012/13,,,,5.8,",  # names match ignoring case
        ),
        filename="b.csv",
    )
    budget = Budget.objects.get()
    assert budget.reporting_line == council["line"] and budget.service is None
    assert Staffing.objects.get().service == council["services"]["Private Housing"]


@pytest.mark.parametrize("year", ["2012/13", "2012-13", "2012/2013"])
def test_every_spelling_of_a_year_is_accepted(council, year):
    """The spellings of a year, and of a figure, are spreadsheets.cells' (test_cells.py)."""
    import_budgets(content=budgets_csv(f'Communications,{year},"(1,711)",,,,'), filename="b.csv")
    budget = Budget.objects.get()
    assert (budget.year.label, budget.net_budget) == ("2012/13", Decimal(-1711))


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["Comms,2012/13,145,,,,"],
            [(2, "service", "no service or reporting line is called 'Comms'")],
            id="unknown-service",
        ),
        pytest.param(
            ["IT,2012/13,1073,,,,"],
            [(2, "service", "Did you mean 'IT Services'?")],
            id="unknown-service-with-suggestion",
        ),
        pytest.param([",2012/13,145,,,,"], [(2, "service", "is required")], id="empty-service"),
        pytest.param(
            ["Communications,2012-2014,145,,,,"],
            [(2, "year", "write it like 2012/13 (years set up: 2008/09 to 2014/15)")],
            id="bad-year",
        ),
        pytest.param(
            ["Communications,2030/31,145,,,,"],
            [(2, "year", "not a financial year set up here")],
            id="year-not-set-up",
        ),
        pytest.param(
            ["Communications,2012-12-01,145,,,,"],
            [(2, "year", "the spreadsheet turned the year into one")],
            id="year-turned-into-a-date",
        ),
        pytest.param(["Communications,,145,,,,"], [(2, "year", "is required")], id="no-year"),
        pytest.param(
            ["Communications,2012/13,n/a,,,,"],
            [(2, "net_budget", "'n/a' is not a number")],
            id="text-in-a-number-column",
        ),
        pytest.param(
            ['Communications,2012/13,"£3,662",,,,'],
            [(2, "net_budget", "leave out the £ sign")],
            id="pound-sign",
        ),
        pytest.param(
            ["Communications,2012/13,3.662,,,,"],
            [(2, "net_budget", "more than 2 decimal places")],
            id="too-many-decimals",
        ),
        pytest.param(
            ["Communications,2012/13,145,152,-7,,"],
            [(2, "income", "cannot be negative")],
            id="negative-income",
        ),
        pytest.param(
            ["Communications,2012/13,145,150,7,,"],
            [(2, "net_budget", "is not gross_expenditure less income (150 - 7 = 143)")],
            id="net-is-not-gross-less-income",
        ),
        pytest.param(
            ["Communications,2012/13,,150,,3,"],
            [(2, "gross_expenditure", "given without a net_budget")],
            id="gross-without-net",
        ),
        pytest.param(
            ["Communications,2012/13,,,,,"],
            [(2, "net_budget", "no net_budget and no fte")],
            id="nothing-to-import",
        ),
        pytest.param(
            ["Communications,2012/13,145,,,three,"],
            [(2, "fte", "not a number")],
            id="text-in-fte",
        ),
        pytest.param(
            ["Communications,2012/13,145,,,-1,"],
            [(2, "fte", "cannot be negative")],
            id="negative-fte",
        ),
        pytest.param(
            ["Communications,2012/13,145,,,,maybe"],
            [(2, "forecast", "not yes or no")],
            id="forecast-not-yes-or-no",
        ),
        pytest.param(
            ["Communications,2012/13,145,,,,", "communications,2012/13,150,,,,"],
            [(3, "service", "'Communications' for 2012/13 is already given on row 2")],
            id="duplicate-row",
        ),
        pytest.param(
            ["Private & Social Housing,2012/13,699,,,,", "Social Housing,2012/13,300,,,,"],
            [(3, "service", "the 2012/13 budget of 'Social Housing' would be counted twice")],
            id="service-and-its-line-in-the-same-year",
        ),
        pytest.param(
            ["Private Housing,2011/12,10,,,,"],  # the line already has 2011/12 (see below)
            [
                (
                    2,
                    "service",
                    "'Private & Social Housing' has one covering it too (already recorded)",
                )
            ],
            id="service-beside-its-lines-recorded-budget",
        ),
        pytest.param(
            ["Social Housing,2011/12,,,,4,", "Private & Social Housing,2011/12,,,,10,"],
            [(3, "service", "the 2011/12 staffing of 'Social Housing' would be counted twice")],
            id="staffing-counted-twice",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_and_changes_nothing(council, lines, expected):
    import_budgets(
        content=budgets_csv(
            "Communications,2011/12,145,,,3,", "Private & Social Housing,2011/12,738,,,,"
        ),
        filename="b.csv",
    )
    before = snapshot()
    errors = rejected(import_budgets, budgets_csv(*lines))
    assert where(errors) == [(row, column) for row, column, _ in expected]
    for error, (_, _, words) in zip(errors, expected, strict=True):
        assert words in error.message
    assert snapshot() == before


def test_a_missing_column_is_named(council):
    content = (
        b"service,year,net_budget,gross_expenditure,income,forecast\nCommunications,2012/13,1,,,\n"
    )
    errors = rejected(import_budgets, content)
    assert where(errors) == [(1, "fte")]
    assert "missing column" in errors[0].message


def test_a_header_without_rows_is_refused(council):
    assert where(rejected(import_budgets, budgets_csv())) == [(2, "")]


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(council):
    errors = rejected(
        import_budgets,
        budgets_csv(
            "Communications,2012/13,145,,,,",  # fine, but not written
            "Nowhere,2012/13,1,,,,",
            "Housing Policy,2012/13,x,,,y,",
            "Housing Policy,2099/00,1,,,,",
            "Private & Social Housing,2012/13,699,,,,",
            "Social Housing,2012/13,300,,,,",  # counted twice: found beside the other errors
        ),
    )
    assert where(errors) == [
        (3, "service"),
        (4, "fte"),
        (4, "net_budget"),
        (5, "year"),
        (7, "service"),
    ]
    assert not Budget.objects.exists()


def test_a_file_that_is_too_big_is_refused(council, settings):
    settings.IMPORT_MAX_BYTES = 50
    errors = rejected(import_budgets, budgets_csv(*["Communications,2012/13,1,,,,"] * 5))
    assert "limit is 50" in errors[0].message
