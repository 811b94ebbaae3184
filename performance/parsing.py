"""The performance imports' own words: polarity, frequency, tolerance and figures.

The spellings every import shares (numbers, yes/no, codes, choices) are spreadsheets.cells';
this module gives them the performance app's limits and vocabularies. Each reader returns the
value or raises ValueError with a message fit to show an officer beside the row and column.
"""

from decimal import ROUND_HALF_UP, Decimal

from performance.models import FIGURE, MAX_PLACES
from performance.periods import Frequency
from performance.rules import Polarity
from spreadsheets import cells

LARGEST = Decimal(10) ** (FIGURE["max_digits"] - FIGURE["decimal_places"])

polarity = cells.Vocabulary.of(
    Polarity,
    "polarity",
    synonyms={"high": Polarity.HIGHER, "low": Polarity.LOWER},
    hint="write higher or lower",
)

frequency = cells.Vocabulary.of(
    Frequency,
    "frequency",
    synonyms={
        "six monthly": Frequency.HALF_YEARLY,
        "6 monthly": Frequency.HALF_YEARLY,
        "annually": Frequency.ANNUAL,
        "yearly": Frequency.ANNUAL,
    },
    hint="write monthly, quarterly, half-yearly or annual",
)


def number(text: str) -> Decimal:
    """A figure: cells.number to the four decimal places figures are stored with."""
    return cells.number(text, places=MAX_PLACES, largest=LARGEST)


def tolerance(text: str) -> tuple[Decimal | None, Decimal | None]:
    """ "" -> (None, None): the default 10%. "5%" -> a percentage. "2" -> an absolute margin
    in the indicator's unit, for zero or tiny targets."""
    if not text.strip():
        return None, None
    is_percent = text.strip().endswith("%")
    value = number(text)
    if value < 0:
        raise ValueError(f"{text!r}: a tolerance cannot be negative.")
    if is_percent:
        if value >= 10_000:
            raise ValueError(f"{text!r} is too large a percentage.")
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), None
    return None, value
