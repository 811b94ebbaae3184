"""Filters for the report templates: statuses as colour, symbol and word; figures as printed."""

from django import template

from performance.rules import Direction, Rag

register = template.Library()

DIRECTION_TEXT = {
    Direction.IMPROVING: "↑ Improving",
    Direction.NO_CHANGE: "→ No change",
    Direction.WORSE: "↓ Worse",
}


@register.filter
def rag_class(status) -> str:
    """The cell's class: its colour for green, amber and red; muted for the other statuses."""
    if status is None:
        return "rag rag--none"
    status = Rag(status)
    return f"rag rag--{status.value}" if status.is_colour else "rag rag--none"


@register.filter
def rag_text(status) -> str:
    """ "✓ Green", "▲ Amber", "● Red", or the status's word ("Awaited"); "-" for none."""
    if status is None:
        return "-"
    status = Rag(status)
    return f"{status.symbol} {status.label}" if status.is_colour else status.label


@register.filter
def direction_text(direction) -> str:
    """An arrow and a word, so the direction of travel reads without colour: "↑ Improving"."""
    if direction is None:
        return "-"
    return DIRECTION_TEXT[Direction(direction)]


@register.filter
def count(value) -> str:
    """A count in a summary table: the Sevenoaks summary prints "-" for none."""
    return str(value) if value else "-"


@register.simple_tag
def shown(status, value) -> str:
    """A figure of an indicator, at its decimal places and with its unit; "-" for none."""
    return status.show(value) or "-"
