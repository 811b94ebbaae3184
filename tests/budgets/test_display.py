"""Figures are written the way the council's papers write them, everywhere."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from budgets.display import format_fte, format_money, with_unit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "-"),
        (0, "0"),
        (Decimal("0.00"), "0"),
        (Decimal("-0"), "0"),
        (Decimal("-0.00"), "0"),
        (2, "2"),
        (999, "999"),
        (1000, "1,000"),
        (Decimal("3662"), "3,662"),
        (Decimal("3662.00"), "3,662"),
        (Decimal("-1711"), "-1,711"),
        (Decimal("-11"), "-11"),
        (Decimal("0.9"), "0.9"),
        (Decimal("0.90"), "0.9"),
        (Decimal("-0.5"), "-0.5"),
        (Decimal("1082.9"), "1,082.9"),
        (Decimal("31420.25"), "31,420.25"),
        (Decimal("1234567"), "1,234,567"),
        (Decimal("-1234567.5"), "-1,234,567.5"),
        (Decimal("1E+3"), "1,000"),
        (0.1, "0.1"),  # never a float's binary noise
        (-1711.0, "-1,711"),
    ],
)
def test_money_is_written_as_in_the_councils_tables(value, expected):
    assert format_money(value) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("2.5"), 0, "3"),  # half up, as accountants round, not to even
        (Decimal("3.5"), 0, "4"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("0.9"), 0, "1"),
        (Decimal("-0.4"), 0, "0"),  # never "-0"
        (Decimal("1711.449"), 1, "1,711.4"),
        (Decimal("1711.45"), 1, "1,711.5"),
        (Decimal("6"), 1, "6.0"),
        (Decimal("3662"), 2, "3,662.00"),
    ],
)
def test_money_rounds_half_up_to_the_places_asked(value, places, expected):
    assert format_money(value, places=places) == expected


def test_an_empty_cell_can_be_blank_instead_of_a_dash():
    assert format_money(None, empty="") == ""
    assert format_money(Decimal("0"), empty="") == "0", "zero is a figure, not an empty cell"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "-"), (Decimal("12.50"), "12.5"), (Decimal("10"), "10"), (Decimal("1250"), "1,250")],
)
def test_fte(value, expected):
    assert format_fte(value) == expected


@pytest.mark.parametrize(
    ("caption", "unit", "expected"),
    [
        ("2012/13 Budget", "£000", "2012/13 Budget (£000)"),
        ("Savings Plan ", "£000", "Savings Plan (£000)"),
        ("Savings Plan (£000)", "£000", "Savings Plan (£000)"),  # written once
        ("Staff", "FTE", "Staff (FTE)"),
    ],
)
def test_the_unit_is_in_the_caption(caption, unit, expected):
    assert with_unit(caption, unit) == expected


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("{{ v|money }}", {"v": Decimal("-1711")}, "-1,711"),
        ("{{ v|money }}", {"v": None}, "-"),
        ("{{ v|money:0 }}", {"v": Decimal("0.9")}, "1"),
        ("{{ v|fte }}", {"v": Decimal("72.50")}, "72.5"),
        ('{{ "2012/13 Budget"|with_unit }}', {}, "2012/13 Budget (£000)"),
        ('{{ "Staff"|with_unit:"FTE" }}', {}, "Staff (FTE)"),
        ("{{ missing|money }}", {}, "-"),
        ("{{ v|money }}", {"v": "n/a"}, ""),  # never breaks the page
        ("{{ v|money:'x' }}", {"v": Decimal("1")}, ""),
    ],
)
def test_template_filters(template, context, expected):
    rendered = Template("{% load budgets_display %}" + template).render(Context(context))
    assert rendered == expected
