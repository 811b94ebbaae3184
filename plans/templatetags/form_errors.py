"""The error summary's test of whether a form, or a formset, has anything to say."""

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@register.filter
def error_count(form: BaseForm | BaseFormSet | str | None) -> int:
    """How many errors a bound form or formset has; 0 for anything else (a missing template
    variable). A formset's `errors` is one dict per row, so a valid bound formset's reads as true:
    count them instead."""
    if isinstance(form, BaseFormSet):
        return form.total_error_count()
    if isinstance(form, BaseForm):
        return sum(len(errors) for errors in form.errors.values())
    return 0
