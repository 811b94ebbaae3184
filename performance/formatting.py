"""How figures are printed: at the indicator's decimal places, with its unit."""

from decimal import ROUND_HALF_UP, Decimal

# Units that are a count of something: printed as the bare number.
BARE_UNITS = {"", "number", "no.", "count", "score", "ratio", "index"}


def rounded(value: Decimal, places: int | None) -> Decimal:
    """Half up, as people round; as entered (trailing zeros dropped) when places is None."""
    if places is None:
        normal = value.normalize()
        # normalize() turns 1200 into 1.2E+3; quantize back to an exponent of at least 0.
        return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: Decimal | None, places: int | None) -> str:
    """ "1,234.5"; "" for no value."""
    if value is None:
        return ""
    return f"{rounded(value, places):,f}"


def figure(value: Decimal | None, *, unit: str, places: int | None) -> str:
    """ "98.5%", "£1,234", "12.3 days", "42"; "" for no value."""
    if value is None:
        return ""
    text = number(value, places)
    if unit == "%":
        return f"{text}%"
    if unit == "£":
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    if unit.lower() in BARE_UNITS:
        return text
    return f"{text} {unit}"
