"""How figures are written on every screen and in every report, in one place.

The council's papers (the Sevenoaks 2012/13 summary) write £000 figures with thousands
separators (3,662), net income with a leading minus sign (-1,711), a dash for a cell with no
figure, and the unit once, in the caption: "Part 2b: Resources – 2012/13 Budget (£000)".

The minus sign is the ASCII hyphen-minus the council prints, not the typographic "−": figures
are copied from the papers into spreadsheets, and Excel reads "-1,711" as a number but not
"−1,711". A dash on its own therefore always means "no figure", never a negative.
"""

from decimal import ROUND_HALF_UP, Decimal

EMPTY = "-"
MONEY_UNIT = "£000"


def format_money(
    value: Decimal | int | float | None, *, places: int | None = None, empty: str = EMPTY
) -> str:
    """Decimal("-1711") -> "-1,711"; None -> "-".

    Without `places` a figure keeps the decimals it has and drops trailing zeros, so 0.9 stays
    0.9 and 3662.00 prints as 3,662, as in the council's tables. With `places` it is rounded
    half up, the way accountants round (2.5 -> 3), not to even.
    """
    if value is None:
        return empty
    # A float would bring its binary noise (0.1 -> 0.1000000000000000055...); money should
    # never be one, but if it is, take the digits it prints.
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if places is None:
        places = _decimal_places(value)
    else:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)  # never print "-0"
    return f"{value:,.{places}f}"


def format_fte(value: Decimal | int | None, *, empty: str = EMPTY) -> str:
    """Full-time equivalents: Decimal("12.50") -> "12.5", Decimal("1000") -> "1,000"."""
    return format_money(value, empty=empty)


def with_unit(caption: str, unit: str = MONEY_UNIT) -> str:
    """ "2012/13 Budget" -> "2012/13 Budget (£000)". The unit is written once, in the caption."""
    caption = caption.strip()
    suffix = f"({unit})"
    return caption if caption.endswith(suffix) else f"{caption} {suffix}"


def _decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
