"""Form fields and formsets refuse what a browser never sends, before it reaches the database:
ids past the key column's range, rows that are not the formset's own, thousands of rows."""

import pytest
from django import forms
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError

from organisation.models import Priority
from plans.models import Action, Milestone, Objective, WorkStream
from security.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    OutOfRange,
    OwnRowsFormSetMixin,
    bounded_field_classes,
    formset_limits,
    parse_pk,
)
from tests import factories

pytestmark = pytest.mark.django_db

HUGE_ID = "9" * 40
BIG_MAX = 2**63 - 1  # BigAutoField, the project's DEFAULT_AUTO_FIELD


@pytest.mark.parametrize(
    ("value", "expected"), [("12", 12), (" 12 ", 12), (12, 12), (str(BIG_MAX), BIG_MAX)]
)
def test_parse_pk_accepts_integers_the_column_holds(value, expected):
    assert parse_pk(Objective, value) == expected


@pytest.mark.parametrize("value", [HUGE_ID, "-" + HUGE_ID, str(BIG_MAX + 1), 2**64])
def test_parse_pk_refuses_integers_past_the_column(value):
    with pytest.raises(OutOfRange):
        parse_pk(Objective, value)


@pytest.mark.parametrize("value", ["", "abc", "1.5", "1e3", "0x10", True, "9" * 5000])
def test_parse_pk_refuses_what_is_not_an_integer(value):
    with pytest.raises(ValueError):
        parse_pk(Objective, value)


def test_parse_pk_leaves_other_keys_to_the_query():
    assert parse_pk(Session, "not-a-number") == "not-a-number"


@pytest.fixture
def objectives():
    plan = factories.ServicePlanFactory()
    mine = factories.ObjectiveFactory(plan=plan)
    theirs = factories.ObjectiveFactory()
    return Objective.objects.filter(plan=plan), mine, theirs


@pytest.mark.parametrize("value", [HUGE_ID, "-" + HUGE_ID, str(2**63)])
def test_a_choice_past_the_range_is_refused_without_a_query(
    objectives, django_assert_num_queries, value
):
    field = BoundedModelChoiceField(objectives[0])
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "invalid_choice"
    assert "Select a valid choice" in refused.value.messages[0]


def test_a_choice_is_checked_against_the_queryset_not_the_choices(objectives):
    queryset, mine, theirs = objectives
    field = BoundedModelChoiceField(Objective.objects.all())
    field.queryset = queryset
    field.choices = [("", "---------"), (theirs.pk, "cached, but not this plan's")]
    assert field.clean(str(mine.pk)) == mine
    with pytest.raises(ValidationError, match="Select a valid choice"):
        field.clean(str(theirs.pk))
    for junk in ("abc", "1.5", "1\x00"):
        with pytest.raises(ValidationError):
            field.clean(junk)


def test_a_multiple_choice_past_the_range_is_refused_without_a_query(
    django_assert_num_queries,
):
    priority = factories.PriorityFactory()
    field = BoundedModelMultipleChoiceField(Priority.objects.all(), required=False)
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean([str(priority.pk), HUGE_ID])
    assert refused.value.code == "invalid_choice"
    assert HUGE_ID in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        field.clean(["abc"])
    assert refused.value.code == "invalid_pk_value"
    assert list(field.clean([str(priority.pk), f" {priority.pk}"])) == [priority]
    with pytest.raises(ValidationError, match="Select a valid choice"):
        field.clean([str(priority.pk + 1000)])


def test_bounded_field_classes_cover_every_relation():
    fields = ("title", "objective", "priorities", "status")
    assert bounded_field_classes(Action, fields) == {
        "objective": BoundedModelChoiceField,
        "priorities": BoundedModelMultipleChoiceField,
    }
    form_class = forms.modelform_factory(
        Action, fields=fields, field_classes=bounded_field_classes(Action, fields)
    )
    assert isinstance(form_class.base_fields["objective"], BoundedModelChoiceField)
    assert isinstance(form_class.base_fields["priorities"], BoundedModelMultipleChoiceField)


class WorkStreamFormSet(OwnRowsFormSetMixin, forms.BaseModelFormSet):
    row_owner = "this plan's"


WorkStreams = forms.modelformset_factory(
    WorkStream, formset=WorkStreamFormSet, fields=("title",), extra=1, **formset_limits(5)
)


def formset_data(prefix, rows, *, initial, total=None):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) if total is None else total),
        f"{prefix}-INITIAL_FORMS": str(initial),
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def streams():
    plan = factories.ServicePlanFactory()
    mine = factories.WorkStreamFactory(plan=plan, title="Mine")
    theirs = factories.WorkStreamFactory(title="Theirs")
    return WorkStream.objects.filter(plan=plan), mine, theirs


def test_the_formsets_own_rows_are_accepted(streams, django_assert_num_queries):
    queryset, mine, _ = streams
    data = formset_data("ws", [{"id": mine.pk, "title": "Renamed"}, {"title": "New"}], initial=1)
    formset = WorkStreams(data, queryset=queryset, prefix="ws")
    with django_assert_num_queries(1):  # the rows, once: each row's id is found among them
        assert formset.is_valid(), formset.errors
    assert formset.forms[0].instance == mine
    assert formset.forms[0].cleaned_data["id"] == mine


@pytest.mark.parametrize("forged", ["another plan's", "huge", "missing", "junk"])
def test_a_row_that_is_not_the_formsets_own_is_refused_for_the_list(streams, forged):
    queryset, mine, theirs = streams
    row = {"title": "Forged"}
    if forged != "missing":
        row["id"] = {"another plan's": theirs.pk, "huge": HUGE_ID, "junk": "x"}[forged]
    rows = [{"id": mine.pk, "title": "Mine"}, row]
    formset = WorkStreams(formset_data("ws", rows, initial=2), queryset=queryset, prefix="ws")
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "Other work-stream 2 is not one of this plan's other work-streams any more: someone may "
        "have removed it. Reload the page."
    ]
    assert "id" not in formset.forms[1].errors, "said once, for the list"


def test_a_new_row_sending_another_plans_id_is_refused(streams):
    queryset, _, theirs = streams
    data = formset_data("ws", [{"id": theirs.pk, "title": "Sneaky"}], initial=0)
    formset = WorkStreams(data, queryset=queryset, prefix="ws")
    assert not formset.is_valid()
    assert "Other work-stream 1 is not one of this plan's" in formset.non_form_errors()[0]


@pytest.mark.parametrize("total", [6, 5000, 10**9])
def test_more_rows_than_the_cap_builds_no_forms(streams, total):
    queryset, mine, _ = streams
    data = formset_data("ws", [{"id": mine.pk, "title": "Mine"}], initial=1, total=total)
    formset = WorkStreams(data, queryset=queryset, prefix="ws")
    assert not formset.is_valid()
    assert formset.forms == []
    assert formset.non_form_errors() == [
        "This list can have at most 5 rows. Nothing was saved: reload the page, and remove "
        "rows you no longer need before adding more."
    ]


def test_rows_up_to_the_cap_are_accepted(streams):
    queryset, mine, _ = streams
    rows = [{"id": mine.pk, "title": "Mine"}] + [{"title": f"New {n}"} for n in range(4)]
    formset = WorkStreams(formset_data("ws", rows, initial=1), queryset=queryset, prefix="ws")
    assert formset.is_valid(), formset.non_form_errors()


class MilestoneFormSet(OwnRowsFormSetMixin, forms.BaseInlineFormSet):
    row_owner = "this action's"


Milestones = forms.inlineformset_factory(
    Action, Milestone, formset=MilestoneFormSet, fields=("title",), **formset_limits(5)
)


def test_an_inline_formset_keeps_to_its_parents_rows():
    action = factories.ActionFactory()
    mine = factories.MilestoneFactory(action=action)
    theirs = factories.MilestoneFactory()
    for forged, valid in ((mine.pk, True), (theirs.pk, False), (HUGE_ID, False)):
        data = formset_data("m", [{"id": forged, "title": "T"}], initial=1)
        formset = Milestones(data, instance=action, prefix="m")
        assert formset.is_valid() is valid, formset.non_form_errors()
    assert "Milestone 1 is not one of this action's milestones" in formset.non_form_errors()[0]
