from decimal import Decimal

from django import template

from performance.selectors import IndicatorStatus

register = template.Library()


@register.filter
def shown_for(value: Decimal | None, status: IndicatorStatus) -> str:
    """A figure as the indicator prints it: {{ status.target|shown_for:status }} → "98.5%"."""
    return status.show(value) or "-"
