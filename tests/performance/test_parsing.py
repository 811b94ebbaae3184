"""The performance imports' own cells (polarity, frequency, tolerance), and figures as printed.

The spellings every import shares are tested in tests/spreadsheets/test_cells.py."""

from decimal import Decimal as D

import pytest

from performance import formatting, parsing


def test_figures_are_read_to_the_four_places_they_are_stored_with():
    """The spellings of a number are spreadsheets.cells' (tests/spreadsheets/test_cells.py)."""
    assert parsing.number("12.34567") == D("12.3457")
    with pytest.raises(ValueError, match="too large"):
        parsing.number("1e14")


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
