"""The budget risks import: the file gives every risk of each head of service and year it
names, in order; a blank text says there are none."""

from pathlib import Path

import pytest
from django.conf import settings

from budgets.models import BudgetRisk
from budgets.services import import_budget_risks
from tests.budgets.helpers import csv_bytes, rejected, snapshot, where, xlsx_bytes

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
HEADER = "head_of_service,year,title,text"
HOMELESS = (
    "Housing - Homeless",
    "Expenditure on Bed and Breakfast accommodation is at risk of being over budget as the "
    "Council sees an increasing demand for the temporary accommodation due to the recession.",
)


def risks_csv(*lines: str) -> bytes:
    return csv_bytes(HEADER, *lines)


def risks() -> list[tuple]:
    return list(
        BudgetRisk.objects.values_list("head_of_service__name", "year__start_year", "title", "text")
    )


def test_the_sevenoaks_risks_import_and_a_second_run_changes_nothing(council):
    content = (DEMO / "budget_risks.csv").read_bytes()
    housing = council["heads"]["housing"]
    # The demo file also names Legal & Democratic Services; this council has only two heads.
    housing_only = b"\n".join(line for line in content.splitlines() if b"Legal" not in line)
    result = import_budget_risks(content=housing_only, filename="budget_risks.csv")
    assert result.describe() == "1 row read; 1 budget risks created."
    assert risks() == [(housing.name, 2012, *HOMELESS)]
    before = snapshot()
    assert not import_budget_risks(content=housing_only, filename="r.csv").changed_anything
    assert snapshot() == before


@pytest.mark.parametrize("year", ["2012/13", "2012-13", "2012/2013"])
def test_every_spelling_of_a_year_is_accepted(council, year):
    """The spellings of a year are spreadsheets.cells.financial_year's (test_cells.py)."""
    import_budget_risks(
        content=risks_csv(f"Housing & Communications,{year},B&B,Over budget."), filename="r.csv"
    )
    assert risks() == [("Housing & Communications", 2012, "B&B", "Over budget.")]


def test_the_title_column_is_optional(council):
    import_budget_risks(
        content=csv_bytes(
            "head_of_service,year,text", "Housing & Communications,2012/13,Income may fall."
        ),
        filename="r.csv",
    )
    assert risks() == [("Housing & Communications", 2012, "", "Income may fall.")]


def test_the_file_replaces_the_risks_of_each_head_of_service_and_year_in_its_order(council):
    import_budget_risks(
        content=risks_csv(
            "Housing & Communications,2012/13,B&B,Over budget.",
            "Housing & Communications,2012/13,Grants,Grant cut.",
            "Housing & Communications,2011/12,Old,Last year's risk.",
            "IT & Facilities Management,2012/13,Licences,Price rise.",
        ),
        filename="r.csv",
    )
    result = import_budget_risks(
        content=risks_csv(
            "Housing & Communications,2012/13,Fees,Fee income down.",
            "Housing & Communications,2012/13,B&B,Over budget.",
        ),
        filename="r.csv",
    )
    assert risks() == [
        ("Housing & Communications", 2011, "Old", "Last year's risk."),
        ("Housing & Communications", 2012, "Fees", "Fee income down."),
        ("Housing & Communications", 2012, "B&B", "Over budget."),
        ("IT & Facilities Management", 2012, "Licences", "Price rise."),
    ]
    assert result.describe() == (
        "2 rows read; 1 budget risks created, 1 budget risks updated, 1 budget risks removed."
    )


def test_a_blank_text_says_there_are_no_risks_and_removes_those_recorded(council):
    import_budget_risks(
        content=risks_csv("Housing & Communications,2012/13,B&B,Over budget."), filename="r.csv"
    )
    result = import_budget_risks(
        content=risks_csv("Housing & Communications,2012/13,,"), filename="r.csv"
    )
    assert risks() == []
    assert result.removed == {"budget risks": 1}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["Housing,2012/13,B&B,Over budget."],
            [
                (
                    2,
                    "head_of_service",
                    "no head of service is called 'Housing'. "
                    "Did you mean 'Housing & Communications'?",
                )
            ],
            id="unknown-head-of-service",
        ),
        pytest.param(
            ["Housing & Communications,12/13,B&B,Over budget."],
            [(2, "year", "write it like 2012/13")],
            id="bad-year",
        ),
        pytest.param(
            ["Housing & Communications,2012/13,B&B,"],
            [(2, "text", "describe the risk titled 'B&B'")],
            id="title-without-text",
        ),
        pytest.param(
            ["Housing & Communications,2012/13," + "x" * 201 + ",Over budget."],
            [(2, "title", "longer than 200")],
            id="title-too-long",
        ),
        pytest.param(
            [
                "Housing & Communications,2012/13,B&B,Over budget.",
                "Housing & Communications,2012/13,b&b,Over budget.",
            ],
            [(3, "text", "repeats row 2")],
            id="duplicate-row",
        ),
        pytest.param(
            [
                "Housing & Communications,2012/13,,",
                "Housing & Communications,2012/13,B&B,Over budget.",
            ],
            [
                (
                    3,
                    "text",
                    "row 2 is blank, saying there are none for this period, but row 3 gives one",
                )
            ],
            id="none-and-a-risk",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_and_changes_nothing(council, lines, expected):
    import_budget_risks(
        content=risks_csv("Housing & Communications,2012/13,Old,Recorded."), filename="r.csv"
    )
    before = snapshot()
    errors = rejected(import_budget_risks, risks_csv(*lines))
    assert where(errors) == [(row, column) for row, column, _ in expected]
    for error, (_, _, words) in zip(errors, expected, strict=True):
        assert words in error.message
    assert snapshot() == before


def test_a_missing_column_is_named(council):
    errors = rejected(
        import_budget_risks, b"head_of_service,year\nHousing & Communications,2012/13\n"
    )
    assert where(errors) == [(1, "text")]


def test_xlsx_gives_the_same_risks_as_csv(council):
    rows = [HEADER.split(","), ["Housing & Communications", "2012/13", *HOMELESS]]
    import_budget_risks(content=xlsx_bytes(rows), filename="risks.xlsx")
    assert risks() == [("Housing & Communications", 2012, *HOMELESS)]
