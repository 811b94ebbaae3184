"""Colours the council chooses, and whether white text can be read on them.

Reports print headings and table headers in white on the council's colour, so the colour must
be dark enough: WCAG 2.2 asks for a contrast ratio of at least 4.5:1 for normal text (success
criterion 1.4.3). Pure functions, so settings.py can check the environment's first value too.
"""

import math
import re

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MINIMUM_CONTRAST = 4.5


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour: 0 for black, 1 for white."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white text on a #rrggbb colour, from 1 (white) to 21 (black)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def colour_problem(colour: str) -> str:
    """Why a colour cannot be the report colour, or "" when it can."""
    if not HEX_COLOUR.fullmatch(colour):
        return f"{colour!r} is not a colour written as # and six hex digits, like #1d4e89."
    ratio = contrast_with_white(colour)
    if ratio < MINIMUM_CONTRAST:
        shown = math.floor(ratio * 100) / 100  # never rounded up to the minimum it misses
        return (
            f"{colour} is too light for the white text of report headings and table headers: "
            f"their contrast is {shown:.2f}:1, and text needs at least {MINIMUM_CONTRAST}:1 "
            "to be readable (WCAG 2.2 AA). Choose a darker colour."
        )
    return ""
