"""The RAG rule, direction of travel and overall status: tables of cases, boundaries included."""

from decimal import Decimal as D

import pytest

from performance.rules import (
    Direction,
    Polarity,
    Rag,
    Tolerance,
    direction,
    overall,
    rag,
)

HIGHER, LOWER = Polarity.HIGHER, Polarity.LOWER
G, A, R = Rag.GREEN, Rag.AMBER, Rag.RED
PCT5 = Tolerance(percent=D(5))
PCT0 = Tolerance(percent=D(0))
ABS2 = Tolerance(percent=None, absolute=D(2))
ABS0 = Tolerance(percent=None, absolute=D(0))


@pytest.mark.parametrize(
    ("actual", "target", "polarity", "expected"),
    [
        # higher is better, target 100, default 10%: the Sevenoaks summary's rule
        ("120", "100", HIGHER, G),
        ("100", "100", HIGHER, G),  # at target is green
        ("100.0001", "100", HIGHER, G),
        ("99.9999", "100", HIGHER, A),  # a hair short is amber
        ("95", "100", HIGHER, A),
        ("90.0001", "100", HIGHER, A),  # just under 10% short is amber
        ("90", "100", HIGHER, R),  # exactly 10% short is red ("10% or more")
        ("89.9999", "100", HIGHER, R),
        ("0", "100", HIGHER, R),
        ("-5", "100", HIGHER, R),
        # lower is better, target 10 days: above target is the miss
        ("8", "10", LOWER, G),
        ("10", "10", LOWER, G),
        ("10.0001", "10", LOWER, A),
        ("10.9999", "10", LOWER, A),
        ("11", "10", LOWER, R),  # exactly 10% over is red
        ("11.0001", "10", LOWER, R),
        ("0", "10", LOWER, G),
        # zero target: no percentage margin, so any miss is red
        ("0", "0", HIGHER, G),
        ("1", "0", HIGHER, G),
        ("-0.0001", "0", HIGHER, R),
        ("0", "0", LOWER, G),
        ("-1", "0", LOWER, G),
        ("0.0001", "0", LOWER, R),
        ("3", "0", LOWER, R),
        # negative target: the margin is 10% of its size (2 for -20)
        ("-19", "-20", HIGHER, G),
        ("-20", "-20", HIGHER, G),
        ("-21", "-20", HIGHER, A),
        ("-21.9999", "-20", HIGHER, A),
        ("-22", "-20", HIGHER, R),
        ("-21", "-20", LOWER, G),
        ("-19", "-20", LOWER, A),
        ("-18", "-20", LOWER, R),
        # small and fractional targets
        ("0.9", "1", HIGHER, R),
        ("0.91", "1", HIGHER, A),
        ("98.5", "98.5", HIGHER, G),
        ("88.65", "98.5", HIGHER, R),  # 9.85 short = exactly 10% of 98.5
        ("88.66", "98.5", HIGHER, A),
    ],
)
def test_rag_default_tolerance(actual, target, polarity, expected):
    assert rag(actual=D(actual), target=D(target), polarity=polarity) == expected


@pytest.mark.parametrize(
    ("actual", "target", "polarity", "tolerance", "expected"),
    [
        # a tighter percentage
        ("95.0001", "100", HIGHER, PCT5, A),
        ("95", "100", HIGHER, PCT5, R),
        ("105", "100", LOWER, PCT5, R),
        ("104.99", "100", LOWER, PCT5, A),
        # no amber band at all
        ("99.99", "100", HIGHER, PCT0, R),
        ("100", "100", HIGHER, PCT0, G),
        # absolute margin for a zero target: "0 complaints upheld, amber below 2"
        ("0", "0", LOWER, ABS2, G),
        ("1", "0", LOWER, ABS2, A),
        ("1.9999", "0", LOWER, ABS2, A),
        ("2", "0", LOWER, ABS2, R),
        ("-1", "0", HIGHER, ABS2, A),
        ("-2", "0", HIGHER, ABS2, R),
        # an absolute margin applies whatever the size of the target
        ("998.5", "1000", HIGHER, ABS2, A),
        ("998", "1000", HIGHER, ABS2, R),
        ("-21.5", "-20", HIGHER, ABS2, A),
        ("-22", "-20", HIGHER, ABS2, R),
        ("0.5", "0", LOWER, ABS0, R),
        ("0", "0", LOWER, ABS0, G),
    ],
)
def test_rag_indicator_tolerance(actual, target, polarity, tolerance, expected):
    assert (
        rag(actual=D(actual), target=D(target), polarity=polarity, tolerance=tolerance) == expected
    )


@pytest.mark.parametrize(
    ("actual", "target", "due", "expected"),
    [
        (None, "100", True, Rag.AWAITED),
        (None, "100", False, Rag.NOT_DUE),
        (None, None, True, Rag.AWAITED),  # missing data is what an officer must chase first
        (None, None, False, Rag.NOT_DUE),
        ("50", None, True, Rag.DATA_ONLY),
        ("0", None, True, Rag.DATA_ONLY),
    ],
)
def test_rag_without_a_figure_is_never_a_colour(actual, target, due, expected):
    for polarity in Polarity:
        status = rag(
            actual=None if actual is None else D(actual),
            target=None if target is None else D(target),
            polarity=polarity,
            due=due,
        )
        assert status == expected
        assert not status.is_colour


@pytest.mark.parametrize(
    ("actual", "target", "places", "polarity", "expected"),
    [
        ("97.96", "98", 1, HIGHER, G),  # printed 98.0 against 98.0
        ("97.96", "98", 2, HIGHER, A),  # printed 97.96 against 98.00
        ("97.94", "98", 1, HIGHER, A),  # printed 97.9
        ("88.24", "98", 1, HIGHER, R),  # printed 88.2: exactly 10% short (unrounded: amber)
        ("88.25", "98", 1, HIGHER, A),  # printed 88.3
        ("10.04", "10", 1, LOWER, G),  # printed 10.0
        ("10.05", "10", 1, LOWER, A),  # half up: printed 10.1
        ("10.4", "10", 0, LOWER, G),
        ("10.5", "10", 0, LOWER, R),  # printed 11 against 10: exactly 10% over
        ("0.4", "0", 0, LOWER, G),
    ],
)
def test_rag_compares_the_figures_as_printed(actual, target, places, polarity, expected):
    assert rag(actual=D(actual), target=D(target), polarity=polarity, places=places) == expected


def test_only_green_amber_and_red_are_colours():
    assert [status for status in Rag if status.is_colour] == [G, A, R]
    assert [status.symbol for status in (G, A, R)] == ["✓", "▲", "●"]


@pytest.mark.parametrize(
    ("percent", "absolute"),
    [(None, None), (D(10), D(2)), (D(-1), None), (None, D(-1))],
)
def test_a_tolerance_is_one_non_negative_kind(percent, absolute):
    with pytest.raises(ValueError, match="tolerance"):
        Tolerance(percent=percent, absolute=absolute)


@pytest.mark.parametrize(
    ("percent", "absolute", "text"),
    [(None, None, "10%"), (D("5.0"), None, "5%"), (None, D("2.50"), "2.5 either side")],
)
def test_tolerance_of_an_indicator(percent, absolute, text):
    assert str(Tolerance.of(percent=percent, absolute=absolute)) == text


@pytest.mark.parametrize(
    ("current", "earlier", "polarity", "places", "expected"),
    [
        ("98", "97", HIGHER, None, Direction.IMPROVING),
        ("96", "97", HIGHER, None, Direction.WORSE),
        ("97", "97", HIGHER, None, Direction.NO_CHANGE),
        ("98", "97", LOWER, None, Direction.WORSE),
        ("96", "97", LOWER, None, Direction.IMPROVING),
        ("97", "97.0000", LOWER, None, Direction.NO_CHANGE),
        ("-5", "-10", HIGHER, None, Direction.IMPROVING),
        ("-5", "-10", LOWER, None, Direction.WORSE),
        ("0", "0", HIGHER, None, Direction.NO_CHANGE),
        ("0.0001", "0", HIGHER, None, Direction.IMPROVING),
        ("97.04", "97.01", HIGHER, 1, Direction.NO_CHANGE),  # both printed 97.0
        ("97.05", "97.01", HIGHER, 1, Direction.IMPROVING),  # 97.1 against 97.0
        ("97.05", "97.01", LOWER, 1, Direction.WORSE),
        ("97.04", "97.01", HIGHER, 2, Direction.IMPROVING),
        (None, "97", HIGHER, None, None),
        ("97", None, LOWER, None, None),
        (None, None, HIGHER, None, None),
    ],
)
def test_direction_of_travel(current, earlier, polarity, places, expected):
    assert (
        direction(
            current=None if current is None else D(current),
            earlier=None if earlier is None else D(earlier),
            polarity=polarity,
            places=places,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("green", "amber", "red", "expected"),
    [
        (0, 0, 0, None),
        (3, 0, 0, G),
        (0, 1, 0, A),
        (0, 0, 1, R),
        (2, 1, 0, G),
        (2, 1, 1, G),
        (1, 2, 0, A),
        (1, 1, 0, A),  # tie goes to the worse colour
        (1, 0, 1, R),
        (4, 1, 4, R),  # the Sevenoaks 2012/13 summary: Direct Services
        (0, 1, 1, R),
        (1, 1, 1, R),
        (2, 2, 1, A),
        (1, 2, 2, R),
        (5, 0, 4, G),
        (0, 3, 2, A),
    ],
)
def test_overall_status(green, amber, red, expected):
    assert overall({"green": green, "amber": amber, "red": red, "awaited": 9}) == expected


def test_statuses_without_a_colour_do_not_vote():
    assert overall({Rag.AWAITED: 5, Rag.NOT_DUE: 2, Rag.DATA_ONLY: 1}) is None
    assert overall({Rag.AWAITED: 5, Rag.AMBER: 1}) == A
