"""Template filters for budget figures: {% load budgets_display %}.

Thin wrappers around budgets.display so that screens and PDF reports write figures the same way.
"""

from decimal import InvalidOperation

from django import template

from budgets import display

register = template.Library()


@register.filter
def money(value, places=None) -> str:
    """{{ cell.value|money }} -> "3,662", "-1,711" or "-"; {{ value|money:0 }} rounds.

    Like Django's own number filters it never breaks a page: a value that is not a number
    prints as nothing, and a missing one ("") as the dash of an empty cell.
    """
    try:
        places = None if places in (None, "") else int(places)
        return display.format_money(None if value == "" else value, places=places)
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def fte(value) -> str:
    """{{ staffing.fte|fte }} -> "12.5" or "-"."""
    return money(value)


@register.filter
def with_unit(caption, unit=display.MONEY_UNIT) -> str:
    """{{ "2012/13 Budget"|with_unit }} -> "2012/13 Budget (£000)"."""
    return display.with_unit(str(caption), unit)
