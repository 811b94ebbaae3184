"""Cells of the performance imports, and figures as printed."""

from decimal import Decimal as D

import pytest

from performance import formatting, parsing
from performance.models import Actual


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("98.5", D("98.5")),
        (" 98.5% ", D("98.5")),
        ("£1,234", D("1234")),
        ("-£1,234.5", D("-1234.5")),
        ("(1,234)", D("-1234")),
        ("+3", D("3")),
        ("-0.5", D("-0.5")),
        (".5", D("0.5")),
        ("1e-05", D("0.0000")),
        ("12.34567", D("12.3457")),  # half up to the four places figures are stored with
        ("1,234,567.25", D("1234567.25")),
    ],
)
def test_number(text, value):
    assert parsing.number(text) == value


@pytest.mark.parametrize(
    "text", ["", "-", "abc", "1.2.3", "1,23", "12,3456", "NaN", "Infinity", "1e20", "£", "5 %x"]
)
def test_not_a_number(text):
    with pytest.raises(ValueError):
        parsing.number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (None, None)),
        ("5%", (D("5.00"), None)),
        ("12.5 %", (D("12.50"), None)),
        ("2", (None, D("2"))),
        ("0", (None, D("0"))),
    ],
)
def test_tolerance(text, expected):
    assert parsing.tolerance(text) == expected


@pytest.mark.parametrize(("text", "value"), [("Yes", True), ("y", True), ("", False), ("N", False)])
def test_yes_no(text, value):
    assert parsing.yes_no(text) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [("Higher is better", "higher"), ("LOW", "lower"), ("lower", "lower")],
)
def test_polarity(text, value):
    assert parsing.polarity(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Monthly", "monthly"),
        ("six-monthly", "half-yearly"),
        ("Half yearly", "half-yearly"),
        ("annually", "annual"),
    ],
)
def test_frequency(text, value):
    assert parsing.frequency(text) == value


@pytest.mark.parametrize(
    ("text", "value"), [("Verified", "verified"), ("ESTIMATE", "estimate"), ("awaited", "awaited")]
)
def test_choice_by_value_or_label(text, value):
    assert parsing.choice(text, Actual.State, "data state") == value


def test_codes_are_compared_without_extra_spaces():
    assert parsing.code("  NI   181 ") == "NI 181"


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (D("98.5"), "%", 1, "98.5%"),
        (D("98.45"), "%", 1, "98.5%"),  # half up
        (D("1234.5"), "£", 0, "£1,235"),
        (D("-1234"), "£", 0, "-£1,234"),
        (D("12.3000"), "days", None, "12.3 days"),
        (D("1200.0000"), "number", None, "1,200"),
        (D("42"), "", 2, "42.00"),
        (D("3.1"), "per 1,000", 2, "3.10 per 1,000"),
        (None, "%", 1, ""),
    ],
)
def test_figures_as_printed(value, unit, places, text):
    assert formatting.figure(value, unit=unit, places=places) == text
