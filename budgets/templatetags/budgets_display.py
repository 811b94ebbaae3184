"""Template filters for budget figures: {% load budgets_display %}.

Thin wrappers around budgets.display so that screens and PDF reports write figures the same way.
"""

from django import template

from budgets import display

register = template.Library()


@register.filter
def money(value, places=None) -> str:
    """{{ cell.value|money }} -> "3,662", "-1,711" or "-"; {{ value|money:0 }} rounds."""
    return display.format_money(value, places=None if places in (None, "") else int(places))


@register.filter
def fte(value) -> str:
    """{{ staffing.fte|fte }} -> "12.5" or "-"."""
    return display.format_fte(value)


@register.filter
def with_unit(caption, unit=display.MONEY_UNIT) -> str:
    """{{ "2012/13 Budget"|with_unit }} -> "2012/13 Budget (£000)"."""
    return display.with_unit(str(caption), unit)
