from decimal import Decimal

from django import template

from performance import formatting
from performance.selectors import IndicatorStatus

register = template.Library()


@register.filter
def shown_for(value: Decimal | None, status: IndicatorStatus) -> str:
    """A figure as the indicator prints it: {{ status.target|shown_for:status }} → "98.5%"."""
    return status.show(value) or "-"


@register.filter
def figure_of(value: Decimal | None, indicator) -> str:
    """A figure of an indicator, as printed: {{ change.value|figure_of:indicator }}."""
    return formatting.figure(value, unit=indicator.unit, places=indicator.decimal_places) or "–"


@register.filter
def any_provisional(statuses) -> bool:
    """Whether any of these IndicatorStatus rows shows a provisional figure, for the note
    that explains the word."""
    return any(status.provisional for status in statuses)


@register.filter
def person(user) -> str:
    """Who did something, by name: "Sam Head"; their username without one; "–" for nobody
    (an import run without --entered-by, or an account since deleted)."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()
