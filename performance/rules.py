"""The rules councillors judge performance by: RAG status, direction of travel, overall status.

Pure functions of numbers: no database, no dates. Periods (which figure is due when) live in
performance.periods; the selectors fetch the figures and call these.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Rag(models.TextChoices):
    """An indicator's status for a period. Only green, amber and red are colours; the others
    say why there is no colour, and are never shown or counted as one."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    AWAITED = "awaited", "Awaited"
    NOT_DUE = "not-due", "Not due"
    DATA_ONLY = "data-only", "Data only"

    @property
    def is_colour(self) -> bool:
        return self in COLOURS

    @property
    def symbol(self) -> str:
        """The shape printed beside the colour (the Sevenoaks 2012/13 summary), so colour is never
        the only carrier
        of the status: on a black-and-white printout or for a colour-blind reader."""
        return RAG_SYMBOLS.get(self, "–")


COLOURS = (Rag.GREEN, Rag.AMBER, Rag.RED)
RAG_SYMBOLS = {Rag.GREEN: "✓", Rag.AMBER: "▲", Rag.RED: "●"}


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    NO_CHANGE = "no-change", "No change"
    WORSE = "worse", "Worse"


DEFAULT_TOLERANCE_PERCENT = Decimal(10)


# Units whose figures are counts or durations: never below zero unless an indicator says so.
COUNTING_UNITS = frozenset({"number", "count", "days", "hours", "weeks", "months", "people"})


@dataclass(frozen=True)
class ValidRange:
    """The figures an indicator can have: a percentage 0 to 100, a count or a number of days
    not below 0, unless the indicator sets its own lowest and highest (a percentage change can
    be negative; a rate per 1,000 has no upper bound). None is no bound."""

    lowest: Decimal | None = None
    highest: Decimal | None = None

    @classmethod
    def of(
        cls, *, unit: str, lowest: Decimal | None = None, highest: Decimal | None = None
    ) -> "ValidRange":
        unit = unit.strip().casefold()
        default_lowest = Decimal(0) if unit == "%" or unit in COUNTING_UNITS else None
        default_highest = Decimal(100) if unit == "%" else None
        return cls(
            default_lowest if lowest is None else lowest,
            default_highest if highest is None else highest,
        )

    def __contains__(self, value: Decimal) -> bool:
        return (self.lowest is None or value >= self.lowest) and (
            self.highest is None or value <= self.highest
        )

    def __str__(self) -> str:
        if self.lowest is not None and self.highest is not None:
            return f"{_plain(self.lowest)} to {_plain(self.highest)}"
        if self.lowest is not None:
            return f"{_plain(self.lowest)} or more"
        if self.highest is not None:
            return f"{_plain(self.highest)} or less"
        return "any figure"


@dataclass(frozen=True)
class Tolerance:
    """How far short of target is still Amber rather than Red.

    Either a percentage of the target (the council-wide 10% unless an indicator overrides it)
    or an absolute margin in the indicator's own unit. The absolute margin exists for zero or
    tiny targets, where any percentage of the target is nothing: "0 complaints upheld, amber up
    to 2".
    """

    percent: Decimal | None = DEFAULT_TOLERANCE_PERCENT
    absolute: Decimal | None = None

    def __post_init__(self):
        if (self.percent is None) == (self.absolute is None):
            raise ValueError("A tolerance is either a percentage or an absolute margin.")
        if (self.percent if self.absolute is None else self.absolute) < 0:
            raise ValueError("A tolerance cannot be negative.")

    @classmethod
    def of(cls, *, percent: Decimal | None, absolute: Decimal | None) -> "Tolerance":
        """An indicator's override, or the default when it has none."""
        if percent is None and absolute is None:
            return cls()
        return cls(percent=percent, absolute=absolute)

    def margin(self, target: Decimal) -> Decimal:
        if self.absolute is not None:
            return self.absolute
        return abs(target) * self.percent / 100

    def __str__(self) -> str:
        if self.absolute is not None:
            return f"{_plain(self.absolute)} either side"
        return f"{_plain(self.percent)}%"


DEFAULT_TOLERANCE = Tolerance()


def rag(
    *,
    actual: Decimal | None,
    target: Decimal | None,
    polarity: str,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    places: int | None = None,
    due: bool = True,
) -> Rag:
    """The status of one figure against its target (the Sevenoaks 2012/13 summary's rule).

    - No actual: AWAITED if the period is due, NOT_DUE if it has not ended yet. Never a colour.
    - An actual but no target: DATA_ONLY. Never a colour.
    - Green: at or above target (for "lower is better": at or below).
    - Amber: short of target by less than the tolerance (10% of the target by default).
    - Red: short of target by the tolerance or more. **Exactly 10% short is Red**: the Sevenoaks
    summary
      says "Red – missing target by 10% or more", and "Amber – within 10%".

    The shortfall is measured in the direction of the polarity, and the percentage margin is
    taken of the target's size (its absolute value), so a negative target works the same way:
    with a target of -20 and higher is better, -21 is 1 short (Amber) and -22 is 2 short (Red).
    A zero target has no percentage margin, so anything short of it is Red unless the
    indicator sets an absolute margin.

    When `places` is given, actual and target are first rounded (half up) to the indicator's
    decimal places, so the colour always agrees with the figures printed beside it: 97.96%
    printed as 98.0% against a target of 98.0% is Green, not Amber.
    """
    if actual is None:
        return Rag.AWAITED if due else Rag.NOT_DUE
    if target is None:
        return Rag.DATA_ONLY
    actual, target = _round(actual, places), _round(target, places)
    shortfall = target - actual if Polarity(polarity) == Polarity.HIGHER else actual - target
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall < tolerance.margin(target):
        return Rag.AMBER
    return Rag.RED


def direction(
    *,
    current: Decimal | None,
    earlier: Decimal | None,
    polarity: str,
    places: int | None = None,
) -> Direction | None:
    """Direction of travel from an earlier figure (the previous period, or the same period last
    year) to the current one: IMPROVING when it moved the way the polarity wants, WORSE when it
    moved the other way, NO_CHANGE when equal at the indicator's decimal places. None when
    either figure is missing: there is nothing to compare."""
    if current is None or earlier is None:
        return None
    change = _round(current, places) - _round(earlier, places)
    if change == 0:
        return Direction.NO_CHANGE
    if Polarity(polarity) == Polarity.LOWER:
        change = -change
    return Direction.IMPROVING if change > 0 else Direction.WORSE


# Worst first: a tie between colours goes to the first of them in this order.
WORST_FIRST = (Rag.RED, Rag.AMBER, Rag.GREEN)


def overall(counts: Mapping[str, int]) -> Rag | None:
    """The overall status of a service or head of service from its green/amber/red counts.

    The colour most of its indicators show; a tie goes to the worse colour, so an overall
    status is never better than half of what it sums up (4 green and 4 red is Red; 1 green and
    1 amber is Amber). Indicators without a colour (awaited, not due, data only) do not vote.
    None when nothing has a colour: there is no overall status to show.

    A head of service's status is taken from the counts of all its indicators, not from its
    services' overall statuses, so a service with one indicator weighs no more than it should.
    """
    votes = {colour: counts.get(colour, 0) for colour in WORST_FIRST}
    most = max(votes.values())
    if most == 0:
        return None
    return next(colour for colour in WORST_FIRST if votes[colour] == most)


def _round(value: Decimal, places: int | None) -> Decimal:
    if places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """Decimal without a trailing ".0" or exponent: Decimal("10.00") -> "10"."""
    return format(value.normalize(), "f")


def sign_off_refusal(*, what: str, due: Sequence[tuple[str, str]]) -> str | None:
    """Why the figures of `what` ("Licensing for August 2012") cannot be signed off, or None.

    `due` holds the code and data state of each indicator with a figure due: state "" when
    none has been entered. A sign-off tells members the period's figures are complete, so
    every one due must be in, estimated or verified: none missing, none awaited. With
    nothing due there is nothing to sign off.
    """
    if not due:
        return f"No figure of {what} is due: there is nothing to sign off."
    missing = [code for code, state in due if not state]
    awaited = [code for code, state in due if state == "awaited"]  # Actual.State.AWAITED
    reasons = []
    if missing:
        reasons.append(f"no figure has been entered for {', '.join(missing)}")
    if awaited:
        reasons.append(f"{', '.join(awaited)} {'is' if len(awaited) == 1 else 'are'} awaited")
    if reasons:
        return f"The figures of {what} cannot be signed off yet: {'; '.join(reasons)}."
    return None
