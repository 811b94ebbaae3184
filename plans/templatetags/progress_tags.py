"""Filters for progress on a plan's pages."""

from django import template

from plans.models import risk_rating as rating_of

register = template.Library()


@register.filter
def risk_rating(score: int | None) -> str:
    """12 -> "Medium", on the usual 5 × 5 matrix."""
    return rating_of(score) if score else ""
