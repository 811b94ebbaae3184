"""Reading the cells of the performance imports: numbers, yes/no, choices and tolerances.

Each parser returns the value or raises ValueError with a message fit to show an officer
beside the row and column it came from.
"""

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from performance.models import FIGURE, MAX_PLACES
from performance.periods import Frequency
from performance.rules import Polarity

_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
LARGEST = Decimal(10) ** (FIGURE["max_digits"] - FIGURE["decimal_places"])
STEP = Decimal(1).scaleb(-MAX_PLACES)

YES = {"yes", "y", "true", "1", "corporate"}
NO = {"no", "n", "false", "0", ""}

POLARITY_WORDS = {
    "higher": Polarity.HIGHER,
    "higher is better": Polarity.HIGHER,
    "high": Polarity.HIGHER,
    "lower": Polarity.LOWER,
    "lower is better": Polarity.LOWER,
    "low": Polarity.LOWER,
}

FREQUENCY_WORDS = {
    "monthly": Frequency.MONTHLY,
    "quarterly": Frequency.QUARTERLY,
    "half-yearly": Frequency.HALF_YEARLY,
    "half yearly": Frequency.HALF_YEARLY,
    "six-monthly": Frequency.HALF_YEARLY,
    "six monthly": Frequency.HALF_YEARLY,
    "6-monthly": Frequency.HALF_YEARLY,
    "annual": Frequency.ANNUAL,
    "annually": Frequency.ANNUAL,
    "yearly": Frequency.ANNUAL,
}


def number(text: str) -> Decimal:
    """ "98.5", "98.5%", "£1,234", "-12", "(1,234)" (a negative, as council papers print it),
    "1e-05" (how a spreadsheet cell holding a tiny number arrives). Rounded half up to the
    four decimal places figures are stored with."""
    cleaned = text.strip().replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    sign = ""
    if cleaned[:1] in "+-" and cleaned:
        sign, cleaned = cleaned[0], cleaned[1:]
    cleaned = cleaned.removeprefix("£").removesuffix("%")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValueError(f"{text!r} is not a number (commas only between thousands).")
        cleaned = cleaned.replace(",", "")
    if not cleaned or not (cleaned[0].isdigit() or cleaned[0] == "."):
        raise ValueError(f"{text!r} is not a number.")
    try:
        value = Decimal(sign + cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number.") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number.")
    if negative:
        value = -value
    if abs(value) >= LARGEST:
        raise ValueError(f"{text!r} is too large.")
    return value.quantize(STEP, rounding=ROUND_HALF_UP)


def yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"{text!r} is not yes or no.")


def polarity(text: str) -> Polarity:
    try:
        return POLARITY_WORDS[" ".join(text.lower().split())]
    except KeyError:
        raise ValueError(f"{text!r} is not a polarity; write higher or lower.") from None


def frequency(text: str) -> Frequency:
    try:
        return FREQUENCY_WORDS[" ".join(text.lower().split())]
    except KeyError:
        raise ValueError(
            f"{text!r} is not a frequency; write monthly, quarterly, half-yearly or annual."
        ) from None


def choice(text: str, choices: type, what: str) -> str:
    """A TextChoices value by its value or its label, ignoring case."""
    value = _words_of(choices).get(" ".join(text.lower().split()))
    if value is None:
        allowed = ", ".join(value for value, _ in choices.choices)
        raise ValueError(f"{text!r} is not a {what}; write one of: {allowed}.")
    return value


@functools.cache
def _words_of(choices: type) -> dict[str, str]:
    # Built once per choices class: an import of 50,000 rows asks 50,000 times.
    words = {label.lower(): value for value, label in choices.choices}
    words.update({value.lower(): value for value, _ in choices.choices})
    return words


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


def code(text: str) -> str:
    """Indicator codes match ignoring case and runs of spaces: "ni  181" is "NI 181"."""
    return " ".join(text.split())
