"""The budget, staffing and savings tables of a head of service, and a service's resources."""

from dataclasses import replace
from decimal import Decimal

import pytest

from budgets import selectors
from budgets.display import format_money
from budgets.models import Saving
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def years():
    return {start: factories.FinancialYearFactory(start_year=start) for start in range(2008, 2016)}


@pytest.fixture
def head():
    return factories.HeadOfServiceFactory(name="Housing & Communications")


def service(head, name):
    return factories.ServiceFactory(head_of_service=head, name=name)


def budget(holder, year, net, **values):
    return factories.BudgetFactory(**_holder(holder), year=year, net_budget=Decimal(net), **values)


def saving(holder, first, amount, last=None, **values):
    return factories.SavingFactory(
        **_holder(holder),
        first_year=first,
        last_year=last or first,
        amount=Decimal(amount),
        **values,
    )


def _holder(holder) -> dict:
    if isinstance(holder, factories.ReportingLine):
        return {"service": None, "reporting_line": holder}
    return {"service": holder}


def printed(row) -> list[str]:
    return [format_money(cell.value) for cell in row.cells]


def labels(table) -> list[str]:
    return [row.label for row in table.rows]


# Part 2b: the three-year budget -----------------------------------------------------------------


def test_budget_table_has_three_years_a_row_per_service_and_a_total(years, head):
    housing = service(head, "Housing Policy")
    comms = service(head, "Communications")
    service(head, "Grants")  # no figures: still listed, with empty cells
    service(factories.HeadOfServiceFactory(), "Elsewhere")  # another head of service
    for year, net in ((2010, "158"), (2011, "145"), (2012, "145")):
        budget(comms, years[year], net)
    budget(housing, years[2011], "39")
    budget(housing, years[2012], "30")
    budget(housing, years[2009], "50")  # before the table's years

    table = selectors.budget_table(head_of_service=head, year=years[2012])

    assert table.caption_with_unit == "2012/13 Budget (£000)"
    assert [c.label for c in table.columns] == [
        "Budget 2010/11",
        "Budget 2011/12",
        "Budget 2012/13",
    ]
    assert labels(table) == ["Communications", "Grants", "Housing Policy"]
    assert [printed(row) for row in table.rows] == [
        ["158", "145", "145"],
        ["-", "-", "-"],
        ["-", "39", "30"],
    ]
    assert table.total.label == "TOTAL" and table.total.is_total
    assert printed(table.total) == ["158", "184", "175"]


def test_negative_budgets_and_decimals_are_summed_exactly(years, head):
    parking = service(head, "Parking & Amenity")
    policy = service(head, "Policy & Performance")
    budget(parking, years[2012], "-1711")
    budget(policy, years[2012], "0.9")
    budget(policy, years[2011], "0.9")
    table = selectors.budget_table(head_of_service=head, year=years[2012])
    assert printed(table.total) == ["-", "0.9", "-1,710.1"]


def test_a_column_with_no_figures_totals_to_a_dash_not_zero(years, head):
    a, b = service(head, "A"), service(head, "B")
    budget(a, years[2012], "10")
    budget(b, years[2012], "-10")
    table = selectors.budget_table(head_of_service=head, year=years[2012])
    assert printed(table.total) == ["-", "-", "0"]


def test_direction_of_travel_compares_the_last_two_years(years, head):
    rising, falling, flat, new = (service(head, name) for name in ("A", "B", "C", "D"))
    for holder, nets in ((rising, ("1", "2")), (falling, ("-5", "-8")), (flat, ("3", "3"))):
        budget(holder, years[2011], nets[0])
        budget(holder, years[2012], nets[1])
    budget(new, years[2012], "4")
    rows = selectors.budget_table(head_of_service=head, year=years[2012]).rows
    assert [(row.change, row.direction) for row in rows] == [
        (Decimal(1), "increase"),
        (Decimal(-3), "decrease"),
        (Decimal(0), "no change"),
        (None, None),
    ]


def test_a_reporting_line_stands_in_for_its_services(years, head):
    private, social = service(head, "Private Housing"), service(head, "Social Housing")
    service(head, "Communications")
    line = factories.ReportingLineFactory(
        name="Private & Social Housing", head_of_service=head, services=[private, social]
    )
    budget(line, years[2012], "699")
    table = selectors.budget_table(head_of_service=head, year=years[2012])
    assert labels(table) == ["Communications", "Private & Social Housing"]
    row = table.rows[1]
    assert row.services == (private, social) and row.reporting_line_id == line.pk
    assert printed(table.total) == ["-", "-", "699"]


def test_a_line_without_figures_leaves_its_services_on_their_own_rows(years, head):
    """Finance & HR: budgets per service, savings for "Revenues & Benefits"."""
    revenues, benefits = service(head, "Revenues"), service(head, "Housing Benefits")
    line = factories.ReportingLineFactory(
        name="Revenues & Benefits", head_of_service=head, services=[revenues, benefits]
    )
    budget(revenues, years[2012], "154")
    budget(benefits, years[2012], "169")
    saving(line, years[2011], "50")
    budgets = selectors.budget_table(head_of_service=head, year=years[2012])
    savings = selectors.savings_plan_table(head_of_service=head, year=years[2012])
    assert labels(budgets) == ["Housing Benefits", "Revenues"]
    assert labels(savings) == ["Revenues & Benefits"]
    assert printed(savings.total) == ["50", "-", "-", "-"]


def test_a_member_service_with_figures_of_its_own_keeps_its_row(years, head):
    private, social = service(head, "Private Housing"), service(head, "Social Housing")
    line = factories.ReportingLineFactory(
        name="Private & Social Housing", head_of_service=head, services=[private, social]
    )
    saving(line, years[2012], "38")
    saving(social, years[2013], "5")
    table = selectors.savings_plan_table(head_of_service=head, year=years[2012])
    assert labels(table) == ["Private & Social Housing", "Social Housing"]
    assert printed(table.total) == ["-", "38", "5", "-"]


def test_medium_term_plan_flags_forecasts(years, head):
    a = service(head, "A")
    budget(a, years[2012], "100")
    budget(a, years[2013], "95", is_forecast=True)
    budget(a, years[2014], "90", is_forecast=True)
    table = selectors.budget_table(
        head_of_service=head, year=years[2012], years_back=0, years_ahead=3
    )
    assert table.caption == "Medium-term financial plan 2012/13 to 2015/16"
    assert [c.label for c in table.columns] == [
        "Budget 2012/13",
        "Forecast 2013/14",
        "Forecast 2014/15",
        "Budget 2015/16",
    ]
    assert [cell.is_forecast for cell in table.rows[0].cells] == [False, True, True, False]
    assert [cell.is_forecast for cell in table.total.cells] == [False, True, True, False]


def test_a_forecast_among_approved_budgets_is_flagged_on_its_cell_only(years, head):
    approved, forecast = service(head, "Approved"), service(head, "Forecast")
    budget(approved, years[2012], "100")
    budget(forecast, years[2012], "50", is_forecast=True)
    table = selectors.budget_table(head_of_service=head, year=years[2012])
    assert table.columns[-1].label == "Budget 2012/13" and not table.columns[-1].is_forecast
    assert [row.cells[-1].is_forecast for row in table.rows] == [False, True]
    assert table.total.cells[-1].is_forecast


def test_staffing_table(years, head):
    a, b = service(head, "A"), service(head, "B")
    factories.StaffingFactory(service=a, year=years[2012], fte=Decimal("10.5"))
    factories.StaffingFactory(service=b, year=years[2012], fte=Decimal("2"))
    factories.StaffingFactory(service=b, year=years[2011], fte=Decimal("2.5"))
    table = selectors.staffing_table(head_of_service=head, year=years[2012])
    assert table.caption_with_unit == "Staff (full-time equivalent employees)"
    assert [c.label for c in table.columns] == ["2010/11", "2011/12", "2012/13"]
    assert [printed(row) for row in (*table.rows, table.total)] == [
        ["-", "-", "10.5"],
        ["-", "2.5", "2"],
        ["-", "2.5", "12.5"],
    ]


# Part 2c: the savings plan ----------------------------------------------------------------------


def seed_columns(years):
    return {"grouped_years": (2008, 2009), "grouped_label": "2008 - 10"}


def test_savings_columns_group_past_years(years):
    columns = selectors.savings_columns(year=years[2012], **seed_columns(years))
    assert [(c.label, c.first_year, c.last_year, c.is_span) for c in columns] == [
        ("2008 - 10", 2008, 2009, True),
        ("2011/12", 2011, 2011, False),
        ("2012/13", 2012, 2012, False),
        ("2013/14", 2013, 2013, False),
        ("2014/15", 2014, 2014, False),
    ]
    default_label = selectors.savings_columns(year=years[2012], grouped_years=(2008, 2009))[0]
    assert default_label.label == "2008/09 to 2009/10"


@pytest.mark.parametrize("grouped", [(2009, 2008), (2008, 2011), (2010, 2012)])
def test_grouped_years_must_come_before_the_single_years_and_in_order(years, grouped):
    with pytest.raises(ValueError):
        selectors.savings_columns(year=years[2012], grouped_years=grouped)


def test_each_saving_lands_in_the_column_that_holds_its_years(years, head):
    direct = service(head, "Direct Services")
    saving(direct, years[2008], "400", last=years[2009])  # the span "2008 - 10"
    saving(direct, years[2009], "56", description="a single year inside the grouped column")
    saving(direct, years[2011], "600")
    saving(direct, years[2011], "68")  # two savings in a year add up
    saving(direct, years[2012], "16", status=Saving.Status.AT_RISK)
    saving(direct, years[2014], "50")
    saving(direct, years[2010], "99")  # 2010/11 is not a column of this table
    saving(direct, years[2015], "99")  # beyond the plan
    table = selectors.savings_plan_table(
        head_of_service=head, year=years[2012], **seed_columns(years)
    )
    assert printed(table.rows[0]) == ["456", "668", "16", "-", "50"]
    assert printed(table.total) == ["456", "668", "16", "-", "50"]
    assert table.rows[0].cells[2].statuses == {"at_risk"}
    assert table.total.cells[1].statuses == {"agreed"}
    assert table.unplaced == ()


def test_a_span_that_cuts_across_columns_is_reported_not_lost(years, head):
    direct = service(head, "Direct Services")
    straddling = saving(direct, years[2009], "70", last=years[2011])
    saving(direct, years[2011], "10")
    table = selectors.savings_plan_table(
        head_of_service=head, year=years[2012], **seed_columns(years)
    )
    assert printed(table.total) == ["-", "10", "-", "-", "-"]
    assert table.unplaced == (straddling,)


def test_a_zero_saving_prints_0_and_no_saving_prints_a_dash(years, head):
    """The Sevenoaks 2012/13 summary prints 0 for Customer Services in 2008-10 and a dash for no
    savings."""
    customer = service(head, "Customer Services")
    saving(customer, years[2008], "0", last=years[2009])
    table = selectors.savings_plan_table(
        head_of_service=head, year=years[2012], **seed_columns(years)
    )
    assert printed(table.rows[0]) == ["0", "-", "-", "-", "-"]
    assert printed(table.total) == ["0", "-", "-", "-", "-"]


# The grouped column's years when nobody chooses them: the council's own savings decide. For a
# 2024/25 plan the single years are 2023/24 to 2026/27; the grouped column comes before them.
GROUPED_YEARS_2024 = [
    pytest.param([], (2020, 2021), id="no earlier savings: 2020/21 to 2021/22"),
    pytest.param([(2020, 2022)], (2020, 2022), id="a span 2020/21 to 2022/23"),
    pytest.param([(2020, 2020), (2021, 2021)], (2020, 2021), id="single years"),
    pytest.param([(2022, 2022)], (2022, 2022), id="one year just before the single years"),
    pytest.param([(2019, 2020), (2022, 2022)], (2019, 2022), id="a span from before the window"),
    pytest.param([(2017, 2019)], (2020, 2021), id="ends before the window: default"),
    pytest.param([(2021, 2023)], (2020, 2021), id="reaches a single year: default, footnoted"),
    pytest.param([(2023, 2023), (2025, 2026)], (2020, 2021), id="only plan years: default"),
]


@pytest.fixture
def years_2024():
    return {start: factories.FinancialYearFactory(start_year=start) for start in range(2016, 2028)}


@pytest.mark.parametrize("spans, grouped", GROUPED_YEARS_2024)
def test_the_grouped_years_are_those_of_the_councils_recent_savings(
    years_2024, head, spans, grouped
):
    direct = service(head, "Direct Services")
    for first, last in spans:
        saving(direct, years_2024[first], "10", last=years_2024[last])
    assert selectors.savings_grouped_years(year=years_2024[2024]) == grouped


def test_the_grouped_years_read_every_head_of_services_savings(years_2024, head):
    other = service(factories.HeadOfServiceFactory(), "Legal Services")
    saving(other, years_2024[2020], "10", last=years_2024[2022])
    assert selectors.savings_grouped_years(year=years_2024[2024]) == (2020, 2022)


def test_the_sevenoaks_savings_give_the_sevenoaks_grouped_column(years, head):
    direct = service(head, "Direct Services")
    saving(direct, years[2008], "456", last=years[2009])
    saving(direct, years[2011], "668")
    saving(direct, years[2014], "50")
    assert selectors.savings_grouped_years(year=years[2012]) == (2008, 2009)


def test_a_span_of_the_council_lands_in_the_total_with_the_default_grouping(years_2024, head):
    direct = service(head, "Direct Services")
    saving(direct, years_2024[2020], "300", last=years_2024[2022])
    saving(direct, years_2024[2023], "50")
    grouped = selectors.savings_grouped_years(year=years_2024[2024])
    table = selectors.savings_plan_table(
        head_of_service=head, year=years_2024[2024], grouped_years=grouped
    )
    assert [c.label for c in table.columns] == [
        "2020/21 to 2022/23",
        "2023/24",
        "2024/25",
        "2025/26",
        "2026/27",
    ]
    assert printed(table.total) == ["300", "50", "-", "-", "-"]
    assert table.unplaced == ()


def test_a_negative_saving_reduces_the_total(years, head):
    legal, elections = service(head, "Legal Services"), service(head, "Elections & Land Charges")
    saving(legal, years[2011], "55")
    saving(elections, years[2011], "-22")
    table = selectors.savings_plan_table(head_of_service=head, year=years[2012])
    assert printed(table.total) == ["33", "-", "-", "-"]


def test_a_table_over_two_pages_ends_with_the_head_of_service_total(years):
    """The Sevenoaks 2012/13 summary: Legal & Democratic Services over two pages."""
    head = factories.HeadOfServiceFactory(name="Legal & Democratic Services")
    figures = {
        "Democratic Services": {2011: "37"},
        "Elections & Land Charges": {2011: "-22"},
        "Legal Services": {2008: "30", 2011: "55"},
        "Policy & Performance": {2008: "58", 2011: "70", 2012: "15"},
        "Property Services": {2008: "88", 2011: "93", 2013: "75"},
    }
    for name, amounts in figures.items():
        holder = service(head, name)
        for start, amount in amounts.items():
            last = years[2009] if start == 2008 else None
            saving(holder, years[start], amount, last=last)
    table = selectors.savings_plan_table(
        head_of_service=head, year=years[2012], **seed_columns(years)
    )

    first, second = table.pages(rows_per_page=3)

    assert labels(first) == ["Democratic Services", "Elections & Land Charges", "Legal Services"]
    assert (first.page, first.page_count) == (1, 2)
    assert first.total.label == "TOTAL"
    assert printed(first.total) == ["30", "70", "-", "-", "-"]
    assert labels(second) == ["Policy & Performance", "Property Services"]
    assert second.total.label == "Legal & Democratic Services Total"
    assert printed(second.total) == ["176", "233", "15", "75", "-"]
    assert table.pages(rows_per_page=5) == (table,)
    with pytest.raises(ValueError):
        table.pages(rows_per_page=0)


# Query counts -----------------------------------------------------------------------------------


def populate(head, years, services: int) -> None:
    members = []
    for number in range(services):
        holder = service(head, f"Service {number}")
        members.append(holder)
        budget(holder, years[2012], str(number))
        saving(holder, years[2011], "5")
        factories.StaffingFactory(service=holder, year=years[2012])
    line = factories.ReportingLineFactory(head_of_service=head, services=members[:2])
    budget(line, years[2011], "7")
    saving(line, years[2008], "9", last=years[2009])


@pytest.mark.parametrize("services", [2, 12])
def test_each_table_takes_three_queries_however_many_services(
    years, head, services, django_assert_num_queries
):
    populate(head, years, services)
    with django_assert_num_queries(3):
        table = selectors.budget_table(head_of_service=head, year=years[2012])
    assert len(table.rows) == services + 1
    with django_assert_num_queries(3):
        selectors.savings_plan_table(head_of_service=head, year=years[2012], **seed_columns(years))
    with django_assert_num_queries(3):
        selectors.staffing_table(head_of_service=head, year=years[2012])


# One service's resources ------------------------------------------------------------------------


def test_service_resources_fall_back_to_the_reporting_line(years, head, django_assert_num_queries):
    private, social = service(head, "Private Housing"), service(head, "Social Housing")
    line = factories.ReportingLineFactory(
        name="Private & Social Housing", head_of_service=head, services=[private, social]
    )
    budget(line, years[2012], "699", gross_expenditure=Decimal("1286"), income=Decimal("587"))
    factories.StaffingFactory(service=private, year=years[2012], fte=Decimal("5.8"))
    saving(line, years[2012], "38")
    saving(private, years[2012], "4")
    saving(private, years[2008], "170", last=years[2009])

    with django_assert_num_queries(4):
        resources = selectors.service_resources(service=private, year=years[2012])

    assert resources.reporting_line == line
    assert resources.budget.net_budget == Decimal("699")
    assert resources.budget_is_for_reporting_line
    assert resources.staffing.fte == Decimal("5.8")
    assert resources.savings_total == Decimal("42")


def test_service_resources_prefer_the_services_own_figures(years, head):
    a = service(head, "A")
    budget(a, years[2012], "100")
    resources = selectors.service_resources(service=a, year=years[2012])
    assert resources.reporting_line is None
    assert not resources.budget_is_for_reporting_line
    assert resources.staffing is None
    assert resources.savings_total is None


# Part 3c: budget risks --------------------------------------------------------------------------


def test_budget_risks_in_order_with_the_sevenoaks_sentence_when_there_are_none(
    years, head, django_assert_num_queries
):
    second = factories.BudgetRiskFactory(head_of_service=head, year=years[2012], position=1)
    first = factories.BudgetRiskFactory(head_of_service=head, year=years[2012], position=0)
    factories.BudgetRiskFactory(head_of_service=head, year=years[2011])
    with django_assert_num_queries(1):
        risks = selectors.budget_risks(head_of_service=head, year=years[2012])
    assert risks.risks == (first, second)
    quiet = factories.HeadOfServiceFactory(name="Environmental & Operational Services")
    none = selectors.budget_risks(head_of_service=quiet, year=years[2012])
    assert none.risks == ()
    assert none.no_risks_sentence == (
        "There are currently no significant budget risks in Environmental & Operational Services."
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["IT & Customer Services"], "in IT & Customer Services."),
        (
            ["Policy & Performance", "Property Services"],
            "in Policy & Performance or Property Services.",
        ),
        (["A", "B", "C"], "in A, B or C."),
    ],
)
def test_the_no_risks_sentence_names_a_portfolio_or_the_services_of_a_page(names, expected):
    sentence = selectors.no_budget_risks_sentence(names)
    assert sentence == f"There are currently no significant budget risks {expected}"


def test_the_no_risks_sentence_needs_a_subject():
    with pytest.raises(ValueError):
        selectors.no_budget_risks_sentence([])


def test_a_part_of_a_continued_summary_totals_its_own_rows_with_their_statuses(years, head):
    """The committee summary's continued parts take their totals from the table itself."""
    legal, elections = service(head, "Legal Services"), service(head, "Elections & Land Charges")
    saving(legal, years[2011], "55", status=Saving.Status.AT_RISK)
    saving(elections, years[2011], "-22", status=Saving.Status.ACHIEVED)
    table = selectors.savings_plan_table(head_of_service=head, year=years[2012])

    first = table.part_for({legal.pk}, part=1, parts=2)
    last = table.part_for({elections.pk}, part=2, parts=2)

    assert labels(first) == ["Legal Services"]
    assert (first.total.label, printed(first.total)[0]) == ("TOTAL", "55")
    assert first.total.cells[0].statuses == frozenset({Saving.Status.AT_RISK})
    assert last.total == replace(table.total, label=f"{head.name} Total")
    assert table.part_for({legal.pk}, part=1, parts=1) is table
