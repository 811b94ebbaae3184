from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.db import models

from organisation.models import Committee, FinancialYear, MonitoringPoint, Priority
from plans.models import Action, Milestone, Objective, ProgressUpdate, ServicePlan
from plans.progress import Evidence
from plans.sections import Section
from security.documents import ALLOWED as ALLOWED_DOCUMENTS
from security.forms import (
    BoundedModelChoiceField,
    OwnRowsFormSetMixin,
    bounded_field_classes,
    formset_limits,
)

# The most rows a list of the plan editor (a repeating section, an action's milestones) takes:
# far more than a plan's list needs, few enough that the page stays quick to build. The page
# never offers more (no blank row past it), and a POST claiming more is refused without
# building its forms: unbounded, TOTAL_FORMS=5000 built 5,000 forms (34 s of CPU, a 12.6 MB
# page). A list already longer than this shows in full but cannot be saved.
MAX_ROWS = 200


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _widget_for(field: models.Field) -> forms.Widget | None:
    if isinstance(field, models.DateField):
        return DateInput()
    if isinstance(field, models.TextField):
        return forms.Textarea(attrs={"rows": 2})
    if isinstance(field, models.ManyToManyField):
        return forms.CheckboxSelectMultiple()
    return None


def _widgets(model: type[models.Model], names) -> dict:
    widgets = {}
    for name in names:
        widget = _widget_for(model._meta.get_field(name))
        if widget is not None:
            widgets[name] = widget
    return widgets


def inline_helper() -> FormHelper:
    """Fields only: the page template owns the <form> tag and the CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PlanPartForm(forms.ModelForm):
    """One row of a repeating section. Choice lists are read once per formset, not per row;
    a choice is still checked against the field's queryset (the plan's objectives, the
    priorities of its year), and an id past the key column's range is refused before any
    query (the bounded fields of security.forms)."""

    def __init__(self, *args, plan: ServicePlan, choice_cache: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()
        if "objective" in self.fields:
            self.fields["objective"].queryset = Objective.objects.filter(plan=plan)
        for name in ("priorities", "priority"):
            if name in self.fields:
                self.fields[name].queryset = Priority.objects.filter(
                    first_year__lte=plan.year.start_year, last_year__gte=plan.year.start_year
                )
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                if name not in choice_cache:
                    choice_cache[name] = list(field.choices)
                field.choices = choice_cache[name]
        self.helper.layout = compact_layout(self.fields)
        # The formset adds its position and remove controls after this; show them too.
        self.helper.render_unmentioned_fields = True


def compact_layout(fields: dict) -> Layout:
    """Long text full width; short fields three to a row, so a row of a list stays short."""
    wide = (forms.Textarea, forms.CheckboxSelectMultiple)
    long_names = [name for name, field in fields.items() if isinstance(field.widget, wide)]
    short_names = [name for name in fields if name not in long_names]
    rows = [
        Row(*(Column(name, css_class="col-md-4") for name in short_names[i : i + 3]))
        for i in range(0, len(short_names), 3)
    ]
    return Layout(*long_names[:1], *rows, *long_names[1:])


class RowControlsMixin:
    """Plain words for the formset's reorder and delete controls."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "Position"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this one when saving"


class PartFormSet(OwnRowsFormSetMixin, RowControlsMixin, forms.BaseModelFormSet):
    """The rows of a repeating section: only the plan's own rows, at most MAX_ROWS."""

    row_owner = "this plan's"


class MilestoneFormSetBase(OwnRowsFormSetMixin, RowControlsMixin, forms.BaseInlineFormSet):
    """An action's milestones: only its own, at most MAX_ROWS."""

    row_owner = "this action's"


def part_formset(section: Section):
    return forms.modelformset_factory(
        section.model,
        form=PlanPartForm,
        formset=PartFormSet,
        fields=section.part_fields,
        widgets=_widgets(section.model, section.part_fields),
        field_classes=bounded_field_classes(section.model, section.part_fields),
        extra=1,
        can_delete=True,
        can_order=True,
        **formset_limits(MAX_ROWS),
    )


def narrative_form(section: Section):
    widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in section.fields}
    form_class = forms.modelform_factory(ServicePlan, fields=section.fields, widgets=widgets)

    class NarrativeForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = inline_helper()

    return NarrativeForm


ACTION_DETAIL_FIELDS = (
    "title",
    "objective",
    "priorities",
    "responsible_officer",
    "success_measure",
    "target_date",
    "status",
    "risk",
    "resource_implications",
    "customer_impact",
)


class ActionForm(PlanPartForm):
    class Meta:
        model = Action
        fields = ACTION_DETAIL_FIELDS
        widgets = _widgets(Action, ACTION_DETAIL_FIELDS)
        field_classes = bounded_field_classes(Action, ACTION_DETAIL_FIELDS)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ("title", "due_date", "completed_on")
        widgets = {"due_date": DateInput(), "completed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


MilestoneFormSet = forms.inlineformset_factory(
    Action,
    Milestone,
    form=MilestoneForm,
    formset=MilestoneFormSetBase,
    extra=1,
    can_delete=True,
    can_order=True,
    **formset_limits(MAX_ROWS),
)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The officer sees this when the plan comes back to them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class PublishForm(forms.Form):
    committee = BoundedModelChoiceField(
        queryset=Committee.objects.all(), label="Endorsed by", help_text="The committee or meeting."
    )
    meeting_date = forms.DateField(label="Date of the meeting", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


# Progress on a published plan ------------------------------------------------------------------

SCORES = [("", "Choose a score")] + [(n, str(n)) for n in range(1, 6)]
# Long enough for a monitoring report's paragraph; a bigger POST is a mistake or an attack.
MOST_COMMENTARY = 5000


class ProgressForm(forms.Form):
    """An update on one item of a published plan. The rules are plans.progress's (the page, the
    import and the admin refuse the same things): this form only reads what was typed, and the
    view puts record_progress's problems on its fields."""

    point = BoundedModelChoiceField(
        queryset=MonitoringPoint.objects.none(), label="Monitoring point", empty_label=None
    )
    # A select, not radios: the error summary's link lands on it (radios have no element
    # with the field's id to land on).
    status = forms.ChoiceField(
        choices=[("", "Choose a status"), *ProgressUpdate.Status.choices], required=False
    )
    percent_complete = forms.IntegerField(
        label="% complete", required=False, help_text="A whole number from 0 to 100."
    )
    likelihood = forms.TypedChoiceField(
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (rare) to 5 (almost certain).",
    )
    impact = forms.TypedChoiceField(
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (minor) to 5 (severe).",
    )
    completed_on = forms.DateField(
        label="Date completed",
        required=False,
        widget=DateInput(),
        help_text="For a completed milestone: the day it was done.",
    )
    commentary = forms.CharField(
        required=False,
        max_length=MOST_COMMENTARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when at risk, off track or cancelled: say why, and what is being "
        "done about it. Members read it beside the status.",
    )
    commentary_internal = forms.BooleanField(
        required=False,
        label="Internal only",
        help_text="Keeps this commentary off the public pages and the open data; members and staff "
        "still read it.",
    )
    evidence_link = forms.URLField(
        label="Evidence: a link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Optional. A web address, for example of a committee report.",
    )
    evidence_file = forms.FileField(
        label="Evidence: a file",
        required=False,
        help_text=f"Optional. {ALLOWED_DOCUMENTS}, up to "
        f"{settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB.",
    )

    def __init__(self, *args, kind: str, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        if kind == ProgressUpdate.Kind.RISK:
            del self.fields["status"], self.fields["percent_complete"]
        else:
            del self.fields["likelihood"], self.fields["impact"]
        if kind != ProgressUpdate.Kind.MILESTONE:
            del self.fields["completed_on"]
        self.helper = inline_helper()

    def clean_evidence_file(self):
        upload = self.cleaned_data["evidence_file"]
        # An upload over the limit arrives empty (security.uploads): say how big it was here,
        # as its bytes are gone. What the bytes are is record_progress's to check.
        limit = settings.EVIDENCE_MAX_BYTES
        if upload and (getattr(upload, "too_large", False) or upload.size > limit):
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB; the largest file "
                f"accepted is {limit / 1024 / 1024:.0f} MB."
            )
        return upload

    def values(self) -> dict:
        """What record_progress takes, from what was typed."""
        data = self.cleaned_data
        upload = data.get("evidence_file")
        return {
            "point": data["point"],
            "status": data.get("status", ""),
            "percent_complete": data.get("percent_complete"),
            "commentary": data["commentary"],
            "commentary_internal": data["commentary_internal"],
            "completed_on": data.get("completed_on"),
            "likelihood": data.get("likelihood"),
            "impact": data.get("impact"),
            "evidence": Evidence(
                link=data["evidence_link"],
                content=upload.read() if upload else b"",
                filename=upload.name if upload else "",
            ),
        }

    def add_problems(self, problems: dict[str, str]) -> None:
        """record_progress's problems, each on its field (or the form's, for one it lacks)."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Head of service's comment",
        max_length=MOST_COMMENTARY,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Members read it beside the update. A new comment replaces yours.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()


class PlanDeadlinesForm(forms.Form):
    """A year's planning round deadlines, on the years page: saved alone, or with the round
    opened (organisation.services.set_plan_deadlines checks them with the year's clean)."""

    year = forms.ModelChoiceField(queryset=FinancialYear.objects.all(), empty_label=None)
    plans_due = forms.DateField(
        label="Plans submitted by", required=False, widget=DateInput(), help_text="Optional."
    )
    approvals_due = forms.DateField(
        label="Plans approved by", required=False, widget=DateInput(), help_text="Optional."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
