"""The demo council's tables reproduce the Sevenoaks 2012/13 summary, and every TOTAL in it is
computed, not typed.

The expected figures below are copied from the summary's text, not from the demo fixtures, so
a wrong fixture or a wrong sum fails here. Every printed total of Parts 2c in the summary adds
up (checked by test_the_sevenoaks_printed_totals_add_up); it prints no totals in Part 2b.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from budgets import demo as budgets_demo
from budgets import selectors
from budgets.display import format_money
from budgets.models import Budget
from organisation.models import FinancialYear, HeadOfService
from organisation.services import import_structure

pytestmark = pytest.mark.django_db

# Part 2b: Budget 10/11, 11/12, 12/13 (£000). The Sevenoaks summary's "IT" is the service "IT
# Services".
SEED_BUDGETS = {
    "Environmental & Operational Services": {
        "Building Control": ("33", "-69", "-58"),
        "Direct Services": ("4,311", "3,671", "3,662"),
        "Environmental Health": ("879", "706", "669"),
        "Licensing": ("2", "-11", "-25"),
        "Parking & Amenity": ("-1,372", "-1,624", "-1,711"),
    },
    "Finance & HR": {
        "Audit, Risk & Anti Fraud": ("152", "161", "139"),
        "Finance": ("3,152", "2,711", "2,834"),
        "Housing Benefits": ("940", "664", "169"),
        "Human Resources": ("493", "555", "633"),
        "Revenues": ("280", "233", "154"),
    },
    "Housing & Communications": {
        "Communications": ("158", "145", "145"),
        "Housing Policy": ("42", "39", "30"),
        "Private & Social Housing": ("821", "738", "699"),
    },
    "IT & Facilities Management": {
        "Customer Services": ("507", "525", "461"),
        "IT Services": ("1,204", "1,115", "1,073"),
        "Facilities Management": ("545", "516", "515"),
    },
    "Legal & Democratic Services": {
        "Democratic Services": ("129", "89", "116"),
        "Elections & Land Charges": ("136", "91", "77"),
        "Legal Services": ("377", "295", "313"),
        "Policy & Performance": ("25", "0.9", "6"),
        "Property Services": ("686", "607", "466"),
    },
}

# Part 2c: 2008 - 10, 2011/12, 2012/13, 2013/14, 2014/15 (£000), rows and the printed TOTAL.
SEED_SAVINGS = {
    "Environmental & Operational Services": (
        {
            "Building Control": ("67", "64", "-", "-", "-"),
            "Direct Services": ("456", "668", "16", "-", "50"),
            "Environmental Health": ("95", "150", "-", "-", "-"),
            "Licensing": ("35", "15", "15", "-", "-"),
            "Parking & Amenity": ("484", "199", "13", "14", "-"),
        },
        ("1,137", "1,096", "44", "14", "50"),
    ),
    "Finance & HR": (
        {
            "Audit, Risk & Anti Fraud": ("39", "-", "-", "-", "-"),
            "Finance": ("388", "40", "50", "-", "-"),
            "Human Resources": ("20", "41", "-", "20", "-"),
            "Revenues & Benefits": ("123", "50", "-", "30", "-"),
        },
        ("570", "131", "50", "50", "-"),
    ),
    "Housing & Communications": (
        {
            "Communications": ("29", "-", "31", "-", "-"),
            "Housing Policy": ("32", "23", "-", "-", "-"),
            "Private & Social Housing": ("170", "91", "38", "-", "-"),
        },
        ("231", "114", "69", "-", "-"),
    ),
    "IT & Facilities Management": (
        {
            "Customer Services": ("0", "-", "40", "-", "-"),
            "IT Services": ("211", "110", "50", "20", "60"),
            "Facilities Management": ("36", "70", "30", "-", "-"),
        },
        ("247", "180", "120", "20", "60"),
    ),
    "Legal & Democratic Services": (
        {
            "Democratic Services": ("-", "37", "-", "-", "-"),
            "Elections & Land Charges": ("-", "-22", "-", "-", "-"),
            "Legal Services": ("30", "55", "-", "-", "-"),
            "Policy & Performance": ("58", "70", "15", "-", "-"),
            "Property Services": ("88", "93", "-", "75", "-"),
        },
        # "Legal & Democratic Services Total" on the continuation page: all five services.
        ("176", "233", "15", "75", "-"),
    ),
}
# The first page of Legal & Democratic Services: its three services and their own TOTAL.
SEED_LEGAL_FIRST_PAGE_TOTAL = ("30", "70", "-", "-", "-")

SEED_RISKS = {
    "Housing & Communications": [
        (
            "Housing - Homeless",
            "Expenditure on Bed and Breakfast accommodation is at risk of being over budget as "
            "the Council sees an increasing demand for the temporary accommodation due to the "
            "recession.",
        )
    ],
    "Legal & Democratic Services": [
        (
            "Land Charges",
            "Income continues to be affected by the depressed state of the housing market.",
        )
    ],
}


@pytest.fixture(scope="module")
def seed_council(django_db_setup, django_db_blocker):
    """The demo structure and budgets, loaded once for the module and rolled back after it."""
    from django.db import transaction

    structure = Path(settings.BASE_DIR) / "fixtures" / "demo" / "structure.csv"
    with django_db_blocker.unblock(), transaction.atomic():
        import_structure(content=structure.read_bytes(), filename="structure.csv")
        budgets_demo.load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def year_2012(seed_council):
    return FinancialYear.objects.get(start_year=2012)


def printed(row) -> tuple[str, ...]:
    return tuple(format_money(cell.value) for cell in row.cells)


def savings_table(name, year):
    return selectors.savings_plan_table(
        head_of_service=HeadOfService.objects.get(name=name),
        year=year,
        grouped_years=(2008, 2009),
        grouped_label="2008 - 10",
    )


@pytest.mark.parametrize("head", SEED_BUDGETS)
def test_part_2b_budgets_are_sevenoaks(head, year_2012):
    table = selectors.budget_table(
        head_of_service=HeadOfService.objects.get(name=head), year=year_2012
    )
    assert [column.label for column in table.columns] == [
        "Budget 2010/11",
        "Budget 2011/12",
        "Budget 2012/13",
    ]
    assert {row.label: printed(row) for row in table.rows} == SEED_BUDGETS[head]


@pytest.mark.parametrize("head", SEED_BUDGETS)
def test_part_2b_totals_are_the_sums_of_the_sevenoaks_rows(head, year_2012):
    """The Sevenoaks summary prints no 2b totals; ours must be the plain sum of the Sevenoaks
    summary's rows."""
    table = selectors.budget_table(
        head_of_service=HeadOfService.objects.get(name=head), year=year_2012
    )
    expected = tuple(
        format_money(sum(Decimal(row[i].replace(",", "")) for row in SEED_BUDGETS[head].values()))
        for i in range(3)
    )
    assert printed(table.total) == expected


@pytest.mark.parametrize("head", SEED_SAVINGS)
def test_part_2c_savings_rows_and_total_are_sevenoaks(head, year_2012):
    rows, total = SEED_SAVINGS[head]
    table = savings_table(head, year_2012)
    assert [column.label for column in table.columns] == [
        "2008 - 10",
        "2011/12",
        "2012/13",
        "2013/14",
        "2014/15",
    ]
    assert {row.label: printed(row) for row in table.rows} == rows
    assert printed(table.total) == total
    assert table.unplaced == ()


def test_environmental_and_operational_services_savings_total(year_2012):
    """A worked example from the summary: 1,137 / 1,096 / 44 / 14 / 50."""
    table = savings_table("Environmental & Operational Services", year_2012)
    assert printed(table.total) == ("1,137", "1,096", "44", "14", "50")


def test_legal_and_democratic_savings_over_two_pages(year_2012):
    first, second = savings_table("Legal & Democratic Services", year_2012).pages(rows_per_page=3)
    assert [row.label for row in first.rows] == [
        "Democratic Services",
        "Elections & Land Charges",
        "Legal Services",
    ]
    assert (first.total.label, printed(first.total)) == ("TOTAL", SEED_LEGAL_FIRST_PAGE_TOTAL)
    assert [row.label for row in second.rows] == ["Policy & Performance", "Property Services"]
    assert (second.total.label, printed(second.total)) == (
        "Legal & Democratic Services Total",
        ("176", "233", "15", "75", "-"),
    )


@pytest.mark.parametrize("head", SEED_SAVINGS)
def test_the_sevenoaks_printed_totals_add_up(head):
    """Independent of our code: the Sevenoaks summary's own TOTAL rows are the sums of its own
    rows, so
    the demo reproduces them without adjusting any figure."""
    rows, total = SEED_SAVINGS[head]
    for column, printed_total in enumerate(total):
        cells = [row[column] for row in rows.values() if row[column] != "-"]
        expected = sum(Decimal(cell.replace(",", "")) for cell in cells) if cells else None
        assert format_money(expected) == printed_total


def test_part_3c_budget_risks_are_sevenoaks(year_2012):
    for head in HeadOfService.objects.all():
        risks = selectors.budget_risks(head_of_service=head, year=year_2012)
        assert [(risk.title, risk.text) for risk in risks.risks] == SEED_RISKS.get(head.name, [])
    quiet = selectors.budget_risks(
        head_of_service=HeadOfService.objects.get(name="Environmental & Operational Services"),
        year=year_2012,
    )
    assert quiet.no_risks_sentence == (
        "There are currently no significant budget risks in Environmental & Operational Services."
    )


def test_heads_of_service_the_seed_leaves_out_have_plausible_figures(year_2012):
    for name in ("Community Development", "Development Services"):
        head = HeadOfService.objects.get(name=name)
        budgets = selectors.budget_table(head_of_service=head, year=year_2012)
        savings = savings_table(name, year_2012)
        assert all(not cell.is_empty for row in budgets.rows for cell in row.cells), name
        assert not savings.total.cells[0].is_empty
        staff = selectors.staffing_table(head_of_service=head, year=year_2012)
        assert all(not row.cells[-1].is_empty for row in staff.rows)


def test_medium_term_forecasts_follow_the_agreed_savings(year_2012):
    """Invented forecasts: 2012/13 less the savings agreed for each later year."""
    head = HeadOfService.objects.get(name="Environmental & Operational Services")
    table = selectors.budget_table(
        head_of_service=head, year=year_2012, years_back=0, years_ahead=2
    )
    direct = next(row for row in table.rows if row.label == "Direct Services")
    assert printed(direct) == ("3,662", "3,662", "3,612")
    assert [column.is_forecast for column in table.columns] == [False, True, True]


def test_every_demo_budget_for_2012_13_adds_up_from_gross_and_income(year_2012):
    budgets = Budget.objects.filter(year=year_2012)
    # 28 services, less Private and Social Housing, plus their line Private & Social Housing.
    assert budgets.count() == 27
    for budget in budgets:
        assert budget.gross_expenditure - budget.income == budget.net_budget, budget
