"""Form fields and formset parts that refuse what a browser never sends.

Django's model choice fields look a submitted id up in the database as it is. An id past the
range of the key column (a 40-digit number) in a multiple choice goes into a `pk__in` query,
and SQLite's driver raises OverflowError, which the field does not catch: a server error
instead of "Select a valid choice". (A single choice's `pk=` lookup finds nothing since
Django 5.0, but only that lookup.) The bounded fields here check that every submitted id is
an integer the key column can hold before any query, and refuse it as an invalid choice
otherwise.

A model formset treats each of its first INITIAL_FORMS rows as one of its own rows, found by
the hidden id. Django silently turns a row whose id is not one of the formset's own (another
plan's row, a made-up number) into a new row; OwnRowsFormSetMixin refuses it instead, with a
message for the whole list. Every formset should also be capped (formset_limits with
RowLimitMixin, which OwnRowsFormSetMixin includes): otherwise TOTAL_FORMS=5000 builds 5,000
forms.

    class PartFormSet(OwnRowsFormSetMixin, forms.BaseModelFormSet):
        row_owner = "this plan's"

    modelformset_factory(
        Objective,
        formset=PartFormSet,
        fields=FIELDS,
        field_classes=bounded_field_classes(Objective, FIELDS),
        **formset_limits(200),
    )
"""

from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class OutOfRange(ValueError):
    """An integer the key column cannot hold."""


def parse_pk(
    model: type[models.Model], value, *, field_name: str | None = None, using: str = "default"
):
    """`value` as the model's key (or `field_name`'s) would be stored. For an integer key,
    raise ValueError if it is not an integer, OutOfRange (a ValueError) if the column cannot
    hold it; another kind of key is returned unchanged, for the query to check."""
    field = _key_field(model, field_name)
    if not isinstance(field, models.IntegerField):  # AutoField, BigAutoField are IntegerFields
        return value
    if isinstance(value, bool):
        raise ValueError("not an integer")
    number = value if isinstance(value, int) else int(str(value))  # int() refuses "1.5", "1e3"
    low, high = connections[using].ops.integer_field_range(field.get_internal_type())
    if not low <= number <= high:
        raise OutOfRange(f"{number} is outside {low}..{high}")
    return number


def _key_field(model: type[models.Model], field_name: str | None) -> models.Field:
    field = model._meta.get_field(field_name) if field_name else model._meta.pk
    while field.is_relation and field.target_field is not field:  # a parent link as key
        field = field.target_field
    return field


class BoundedModelChoiceField(forms.ModelChoiceField):
    """ModelChoiceField that refuses, before any query, an id the key column cannot hold.

    Validation uses the queryset (set it, or narrow it in the form's __init__, as usual); a
    form may still replace `choices` with a cached list for rendering."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        try:
            clean = parse_pk(
                self.queryset.model, value, field_name=self.to_field_name, using=self.queryset.db
            )
        except ValueError:
            raise self._invalid_choice(value) from None
        return self.fetch(clean, original=value)

    def fetch(self, key_value, *, original):
        """The chosen object, whose key has been checked; subclasses may look elsewhere."""
        key = self.to_field_name or "pk"
        try:
            return self.queryset.get(**{key: key_value})
        except (ValueError, TypeError, OverflowError, self.queryset.model.DoesNotExist):
            raise self._invalid_choice(original) from None

    def _invalid_choice(self, value) -> ValidationError:
        return ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses, before any query, an id the key column cannot
    hold ("Select a valid choice"); a value that is not an integer is "not a valid value"."""

    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:  # a list of lists is not hashable, for example
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        model = self.queryset.model
        checked = []
        for pk in values:
            self.validate_no_null_characters(pk)
            try:
                checked.append(
                    parse_pk(model, pk, field_name=self.to_field_name, using=self.queryset.db)
                )
            except OutOfRange:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                ) from None
            except ValueError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        return super()._check_values(checked)


def bounded_field_classes(model: type[models.Model], fields: Iterable[str]) -> dict[str, type]:
    """`field_classes` for modelform_factory, modelformset_factory or a ModelForm's Meta:
    a bounded field for every foreign key, one-to-one and many-to-many among `fields`."""
    classes: dict[str, type] = {}
    for name in fields:
        field = model._meta.get_field(name)
        if field.many_to_many and not field.auto_created:
            classes[name] = BoundedModelMultipleChoiceField
        elif (field.many_to_one or field.one_to_one) and not field.auto_created:
            classes[name] = BoundedModelChoiceField
    return classes


def formset_limits(max_rows: int) -> dict:
    """Factory arguments capping a formset at `max_rows` rows: no more forms are built
    (absolute_max), and a POST with more is refused with RowLimitMixin's message."""
    return {"max_num": max_rows, "absolute_max": max_rows, "validate_max": True}


class RowLimitMixin:
    """For any formset capped with formset_limits(): a POST claiming more rows than
    absolute_max (TOTAL_FORMS) builds none of its forms, and is refused with a plain message.

    Django would build absolute_max forms before refusing, and the page would show them all
    again: seconds of CPU for a request the page could never have sent. The page shown
    instead has the error summary and no rows; the message says to reload it."""

    default_error_messages = {
        "too_many_forms": (
            "This list can have at most %(num)d rows. Nothing was saved: reload the page, "
            "and remove rows you no longer need before adding more."
        ),
    }

    def total_form_count(self) -> int:
        if self.is_bound and self.claims_too_many_rows():
            return 0
        return super().total_form_count()

    def claims_too_many_rows(self) -> bool:
        management = self.management_form
        return (
            management.is_valid()
            and management.cleaned_data[forms.formsets.TOTAL_FORM_COUNT] > self.absolute_max
        )


class _OwnRowField(BoundedModelChoiceField):
    """The hidden id of a formset row: one of the formset's own rows, found without a query."""

    def __init__(self, queryset, *, rows: Callable[[object], models.Model | None], **kwargs):
        self.rows = rows
        super().__init__(queryset, **kwargs)

    def fetch(self, key_value, *, original):
        row = self.rows(key_value)
        if row is None:
            raise self._invalid_choice(original)
        return row


class OwnRowsFormSetMixin(RowLimitMixin):
    """For BaseModelFormSet and BaseInlineFormSet (put it first among the bases).

    The hidden id of each row must be one of the formset's own rows (its queryset: for an
    inline formset, the parent's rows) and an integer the key column can hold. A row of the
    page (index < INITIAL_FORMS) whose id is missing, out of range or not one of them makes
    the whole formset invalid with a message naming the row, rather than becoming a new row.
    Set `row_owner` for the message, which names the row by what it is: "Objective 3 is not one
    of this plan's objectives any more".
    """

    row_owner = "this list's"

    default_error_messages = {
        "unknown_row": (
            "%(name)s %(row)d is not one of %(owner)s %(rows)s any more: someone may have "
            "removed it. Reload the page."
        ),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        current = form.fields.get(name)
        if isinstance(current, forms.ModelChoiceField) and not isinstance(current, _OwnRowField):
            form.fields[name] = _OwnRowField(
                self.get_queryset(),
                rows=self._own_row,
                initial=current.initial,
                required=current.required,
                widget=current.widget,
            )

    def _own_row(self, pk) -> models.Model | None:
        return self._existing_object(pk)  # the formset's rows, read once for all its forms

    def clean(self):
        self._refuse_unknown_rows()
        super().clean()

    def _refuse_unknown_rows(self) -> None:
        name = self.model._meta.pk.name
        unknown = []
        for number, form in enumerate(self.forms, start=1):
            is_page_row = number <= self.initial_form_count()
            if form.errors.get(name) or (is_page_row and form.instance.pk is None):
                unknown.append(number)
                form.errors.pop(name, None)  # said once, for the list, not at a hidden field
        if unknown:
            raise ValidationError(
                [
                    ValidationError(
                        self.error_messages["unknown_row"],
                        code="unknown_row",
                        params={
                            "name": str(self.model._meta.verbose_name).capitalize(),
                            "row": number,
                            "owner": self.row_owner,
                            "rows": self.model._meta.verbose_name_plural,
                        },
                    )
                    for number in unknown
                ]
            )
