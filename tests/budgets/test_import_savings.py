"""The savings import: single years and spans of years, the file is the truth for each service
and period it names, nothing is counted twice, and a bad file changes nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from budgets.models import Saving
from budgets.services import import_reporting_lines, import_savings
from organisation.services import import_structure
from tests import factories
from tests.budgets.helpers import csv_bytes, rejected, snapshot, where, xlsx_bytes

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
HEADER = "service,period,amount,description,status"


def savings_csv(*lines: str) -> bytes:
    return csv_bytes(HEADER, *lines)


def recorded() -> list[tuple]:
    return [
        (str(s.holder), s.period_label, s.amount, s.description, s.status)
        for s in Saving.objects.select_related("service", "reporting_line").order_by(
            "first_year", "last_year", "description"
        )
    ]


def test_the_demo_file_imports_and_a_second_run_changes_nothing(db):
    import_structure(content=(DEMO / "structure.csv").read_bytes(), filename="structure.csv")
    for start in range(2008, 2015):
        factories.FinancialYearFactory(start_year=start)
    import_reporting_lines(
        content=(DEMO / "reporting_lines.csv").read_bytes(), filename="reporting_lines.csv"
    )
    content = (DEMO / "savings.csv").read_bytes()
    result = import_savings(content=content, filename="savings.csv")
    assert result.describe() == "69 rows read; 69 savings created."
    assert Saving.objects.filter(first_year=2008, last_year=2009).count() == 23
    before = snapshot()
    assert import_savings(content=content, filename="savings.csv").describe() == (
        "69 rows read; nothing changed."
    )
    assert snapshot() == before


@pytest.mark.parametrize("period", ["2008/09-2009/10", "2008-09 to 2009/2010"])
def test_a_span_of_years_is_written_as_the_council_would(council, period):
    """The spellings of a span are spreadsheets.cells.year_span's (test_cells.py)."""
    import_savings(
        content=savings_csv(f"Communications,{period},29,Achieved 2008-10,achieved"),
        filename="s.csv",
    )
    saving = Saving.objects.get()
    assert (saving.first_year_id, saving.last_year_id) == (2008, 2009)
    assert saving.period_label == "2008/09 to 2009/10"


def test_a_span_of_one_year_is_that_year(council):
    import_savings(
        content=savings_csv("Communications,2011/12-2011/12,5,Print,agreed"), filename="s.csv"
    )
    assert not Saving.objects.get().is_span


@pytest.mark.parametrize("year", ["2012/13", "2012-13", "2012/2013"])
def test_every_spelling_of_a_year_is_accepted(council, year):
    """The spellings of a year, and of a status, are spreadsheets.cells' (test_cells.py)."""
    import_savings(content=savings_csv(f"Communications,{year},31,Print,At risk"), filename="s.csv")
    saving = Saving.objects.get()
    assert (saving.period_label, saving.status) == ("2012/13", "at_risk")


def test_the_file_is_the_truth_for_each_service_and_period_it_names(council):
    import_savings(
        content=savings_csv(
            "Communications,2011/12,10,Print contract,agreed",
            "Communications,2011/12,5,Website hosting,agreed",
            "Communications,2012/13,31,Magazine,agreed",
            "Housing Policy,2011/12,23,Restructure,achieved",
        ),
        filename="s.csv",
    )
    result = import_savings(
        content=savings_csv(
            "Communications,2011/12,12,PRINT CONTRACT,achieved",  # same saving, any case
            "Communications,2011/12,2,Postage,agreed",
        ),
        filename="s.csv",
    )
    assert recorded() == [
        ("Communications", "2011/12", Decimal(12), "PRINT CONTRACT", "achieved"),
        ("Communications", "2011/12", Decimal(2), "Postage", "agreed"),
        ("Housing Policy", "2011/12", Decimal(23), "Restructure", "achieved"),
        ("Communications", "2012/13", Decimal(31), "Magazine", "agreed"),
    ]
    assert (
        result.describe() == "2 rows read; 1 savings created, 1 savings updated, 1 savings removed."
    )


def test_a_row_with_only_service_and_period_says_there_are_no_savings(council):
    import_savings(
        content=savings_csv(
            "Communications,2011/12,10,Print,agreed", "Communications,2012/13,31,Magazine,agreed"
        ),
        filename="s.csv",
    )
    result = import_savings(content=savings_csv("Communications,2011/12,,,"), filename="s.csv")
    assert [row[1] for row in recorded()] == ["2012/13"]
    assert result.removed == {"savings": 1}


def test_a_recorded_single_year_can_be_replaced_by_a_span_in_one_file(council):
    """Clearing 2009/10 in the same file lets the span 2008/09-2009/10 take its place."""
    import_savings(
        content=savings_csv("Communications,2009/10,15,Print,achieved"), filename="s.csv"
    )
    import_savings(
        content=savings_csv(
            "Communications,2009/10,,,",
            "Communications,2008/09-2009/10,29,Achieved 2008-10,achieved",
        ),
        filename="s.csv",
    )
    assert [row[1] for row in recorded()] == ["2008/09 to 2009/10"]


def test_savings_that_do_not_count_a_year_twice_are_accepted(council):
    import_savings(
        content=savings_csv(
            "Communications,2008/09-2009/10,20,Restructure,achieved",
            "Communications,2008/09-2009/10,9,Procurement,achieved",  # the same span, twice
            "Communications,2010/11,4,Print,achieved",  # next to the span
            "Communications,2011/12,3,Print,achieved",
            "Communications,2011/12,2,Postage,achieved",  # two in one year
            "Private & Social Housing,2008/09-2009/10,170,Achieved 2008-10,achieved",
            "Private Housing,2008/09-2009/10,4,Grants,achieved",  # the line's span exactly
            "Housing Policy,2011/12,-22,Grant income lost,not achieved",  # a negative saving
        ),
        filename="s.csv",
    )
    assert Saving.objects.count() == 8
    assert Saving.objects.get(amount=Decimal(-22)).status == "not_achieved"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["Comms,2011/12,10,Print,agreed"],
            [(2, "service", "no service or reporting line is called 'Comms'")],
            id="unknown-service",
        ),
        pytest.param(
            ["Communications,2008 - 10,10,Print,agreed"],
            [(2, "period", "write a financial year like 2011/12 or a span like 2008/09-2009/10")],
            id="bad-period",
        ),
        pytest.param(
            ["Communications,2011/13,10,Print,agreed"],
            [(2, "period", "not a financial year set up here")],
            id="bad-year",
        ),
        pytest.param(
            ["Communications,2008/09-2030/31,10,Print,agreed"],
            [(2, "period", "'2030/31' is not a financial year set up here")],
            id="span-into-a-year-not-set-up",
        ),
        pytest.param(
            ["Communications,2009/10-2008/09,10,Print,agreed"],
            [
                (
                    2,
                    "period",
                    "ends before it starts; write the earlier year first (2008/09-2009/10)",
                )
            ],
            id="reversed-span",
        ),
        pytest.param(
            ["Communications,2011-12-01,10,Print,agreed"],
            [(2, "period", "the spreadsheet turned the year into one")],
            id="period-turned-into-a-date",
        ),
        pytest.param(
            ["Communications,,10,Print,agreed"],
            [(2, "period", "a period is required")],
            id="no-period",
        ),
        pytest.param(
            ["Communications,2011/12,tbc,Print,agreed"],
            [(2, "amount", "'tbc' is not a number")],
            id="text-in-a-number-column",
        ),
        pytest.param(
            ["Communications,2011/12,,Print,agreed"], [(2, "amount", "is required")], id="no-amount"
        ),
        pytest.param(
            ["Communications,2011/12,10,,agreed"],
            [(2, "description", "say what")],
            id="no-description",
        ),
        pytest.param(
            ["Communications,2011/12,10," + "x" * 301 + ",agreed"],
            [(2, "description", "longer than 300")],
            id="description-too-long",
        ),
        pytest.param(
            ["Communications,2011/12,10,Print,done"],
            [
                (
                    2,
                    "status",
                    "'done' is not a status; use one of: agreed, achieved, at risk, not achieved",
                )
            ],
            id="bad-status",
        ),
        pytest.param(
            ["Communications,2011/12,10,Print,"],
            [(2, "status", "a status is required")],
            id="no-status",
        ),
        pytest.param(
            ["Communications,2011/12,10,Print,agreed", "Communications,2011/12,12,print,achieved"],
            [(3, "description", "repeats row 2")],
            id="duplicate-row",
        ),
        pytest.param(
            ["Communications,2011/12,10,Print,agreed", "Communications,2011/12,,,"],
            [(3, "amount", "row 3 is blank, saying there are none for this period, but row 2")],
            id="none-beside-a-saving",
        ),
        pytest.param(
            [
                "Communications,2008/09-2009/10,29,Achieved 2008-10,achieved",
                "Communications,2009/10,5,Print,achieved",
            ],
            [
                (
                    3,
                    "period",
                    "2009/10 overlaps the saving 'Achieved 2008-10' of 'Communications' "
                    "for 2008/09 to 2009/10 (row 2)",
                )
            ],
            id="year-inside-a-span",
        ),
        pytest.param(
            [
                "Communications,2008/09-2009/10,29,Achieved,achieved",
                "Communications,2009/10-2010/11,5,Print,achieved",
            ],
            [(3, "period", "2009/10 to 2010/11 overlaps")],
            id="spans-that-partly-overlap",
        ),
        pytest.param(
            ["Communications,2008/09,5,Print,achieved"],  # 2008/09-2009/10 is recorded (below)
            [
                (
                    2,
                    "period",
                    "overlaps the saving 'Recorded span' of 'Communications' "
                    "for 2008/09 to 2009/10 (already recorded)",
                )
            ],
            id="overlaps-a-recorded-span",
        ),
        pytest.param(
            [
                "Private & Social Housing,2008/09-2010/11,170,Achieved,achieved",
                "Social Housing,2010/11,3,Grants,agreed",
            ],
            [(3, "period", "2010/11 overlaps the saving 'Achieved' of 'Private & Social Housing'")],
            id="a-service-inside-its-lines-span",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_and_changes_nothing(council, lines, expected):
    import_savings(
        content=savings_csv(
            "Communications,2008/09-2009/10,29,Recorded span,achieved",
            "Housing Policy,2011/12,23,Restructure,achieved",
        ),
        filename="s.csv",
    )
    before = snapshot()
    errors = rejected(import_savings, savings_csv(*lines))
    assert where(errors) == [(row, column) for row, column, _ in expected]
    for error, (_, _, words) in zip(errors, expected, strict=True):
        assert words in error.message
    assert snapshot() == before


def test_replacing_a_recorded_period_does_not_clash_with_itself(council):
    import_savings(
        content=savings_csv("Communications,2008/09-2009/10,29,Old,achieved"), filename="s.csv"
    )
    import_savings(
        content=savings_csv("Communications,2008/09-2009/10,30,New,achieved"), filename="s.csv"
    )
    assert [row[3] for row in recorded()] == ["New"]


def test_a_missing_column_is_named(council):
    errors = rejected(
        import_savings, b"service,period,amount,description\nCommunications,2011/12,1,x\n"
    )
    assert where(errors) == [(1, "status")]


def test_every_bad_row_is_reported_at_once(council):
    errors = rejected(
        import_savings,
        savings_csv(
            "Communications,2008/09-2009/10,29,Achieved,achieved",
            "Nowhere,2011/12,1,x,agreed",
            "Communications,2009/10,5,Print,achieved",
            "Housing Policy,2011/12,lots,x,maybe",
        ),
    )
    assert where(errors) == [(3, "service"), (4, "period"), (5, "amount"), (5, "status")]
    assert not Saving.objects.exists()


def test_xlsx_gives_the_same_savings_as_csv(council):
    rows = [
        HEADER.split(","),
        ["Communications", "2008/09-2009/10", 29, "Achieved 2008-10", "Achieved"],
        ["Private & Social Housing", "2011/12", 91.5, "Restructure", "agreed"],
        ["Housing Policy", "2011/12", -22, "Reversal", "not achieved"],
    ]
    import_savings(content=xlsx_bytes(rows), filename="savings.xlsx")
    from_xlsx = snapshot()
    csv_content = savings_csv(*[",".join(str(v) for v in row) for row in rows[1:]])
    assert not import_savings(content=csv_content, filename="savings.csv").changed_anything
    assert snapshot() == from_xlsx
    assert Saving.objects.get(description="Restructure").amount == Decimal("91.5")
