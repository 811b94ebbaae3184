from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.db import models
from django.forms import BoundField
from django.forms.renderers import Jinja2
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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


# Django's own widget templates, in Jinja2: the same markup, rendered several times faster
# than by the Django template engine. A section of 50 rows renders some 450 widgets.
FAST_WIDGETS = Jinja2()


class PlanPartForm(forms.ModelForm):
    """One row of a repeating section. Choice lists and their querysets are made once per
    formset (`choice_cache`, shared by its rows), not per row; a choice is still checked
    against the field's queryset (the plan's objectives, the priorities of its year), and an id
    past the key column's range is refused before any query (the bounded fields of
    security.forms)."""

    default_renderer = FAST_WIDGETS

    def __init__(self, *args, plan: ServicePlan, choice_cache: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                if name not in choice_cache:
                    field.queryset = _choices_of(name, plan, field.queryset)
                    choice_cache[name] = (field.queryset, list(field.choices))
                queryset, choices = choice_cache[name]
                field.queryset = queryset
                field.choices = choices

    def as_compact_row(self) -> SafeString:
        """The row as the section editor shows it: compact_groups, then the formset's
        position and remove controls, in crispy-forms' Bootstrap markup (labels, help text
        and errors tied to their fields by aria-describedby). Written here rather than by
        crispy-forms' templates, which cost about 8 ms a row: a plan's 50 actions took
        400 ms to show. The single action's page still uses crispy-forms."""
        grouped = compact_groups({n: f for n, f in self.fields.items() if n in self._meta.fields})
        placed = {name for group in grouped for name in group}
        html = []
        if self.non_field_errors():
            html.append(
                format_html(
                    '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                    format_html_join("", "<li>{}</li>", ((e,) for e in self.non_field_errors())),
                )
            )
        for group in grouped:
            if len(group) == 1 and isinstance(self.fields[group[0]].widget, WIDE_WIDGETS):
                html.append(render_field(self[group[0]]))
            else:
                columns = (
                    format_html('<div class="col-md-4">{}</div>', render_field(self[name]))
                    for name in group
                )
                html.append(format_html('<div class="row">{}</div>', mark_safe("".join(columns))))
        html += [render_field(self[name]) for name in self.fields if name not in placed]
        return mark_safe("".join(html))


WIDE_WIDGETS = (forms.Textarea, forms.CheckboxSelectMultiple)
# crispy-forms' Bootstrap 5 classes for each kind of input, so both renderings look the same.
INPUT_CLASSES = {
    forms.Textarea: "textarea form-control",
    forms.Select: "select form-select",
    forms.DateInput: "dateinput form-control",
    forms.NumberInput: "numberinput form-control",
    forms.CheckboxInput: "checkboxinput form-check-input",
    forms.TextInput: "textinput form-control",
}


def _input_class(widget: forms.Widget) -> str:
    for kind, css in INPUT_CLASSES.items():
        if isinstance(widget, kind):
            return css
    return "form-control"


def render_field(field: BoundField) -> SafeString:
    """One field with its label, help text and errors, as crispy-forms' bootstrap5 pack."""
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return field.as_widget()
    auto_id = field.auto_id
    help_id, error_id = f"{auto_id}_helptext", f"{auto_id}_error"
    described = [error_id] if field.errors else []
    if field.help_text:
        described.append(help_id)
    help_html = (
        format_html('<div id="{}" class="form-text">{}</div>', help_id, field.help_text)
        if field.help_text
        else ""
    )
    errors_html = ""
    if field.errors:
        errors_html = format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((n, auto_id, error) for n, error in enumerate(field.errors, start=1)),
            ),
        )
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return _render_choices(field, described, help_html, errors_html)
    css = _input_class(widget) + (" is-invalid" if field.errors else "")
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            auto_id,
            field.as_widget(attrs=attrs),
            field.id_for_label,
            field.label,
            errors_html,
            help_html,
        )
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>'
        "{}{}{}</div>",
        auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        field.as_widget(attrs=attrs),
        errors_html,
        help_html,
    )


def _render_choices(field: BoundField, described, help_html, errors_html) -> SafeString:
    """Checkboxes of a many-to-many field in a fieldset whose legend is the field's label."""
    options = format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" class="form-check-input{}" name="{}"'
        ' value="{}" id="{}"{}{}><label for="{}" class="form-check-label">{}</label></div>',
        (
            (
                " is-invalid" if field.errors else "",
                option.data["name"],
                option.data["value"],
                option.id_for_label,
                mark_safe(" checked") if option.data["selected"] else "",
                format_html(' aria-describedby="{}"', " ".join(described)) if described else "",
                option.id_for_label,
                option.choice_label,
            )
            for option in field.subwidgets
        ),
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset><legend class="form-label fs-6">{}</legend>'
        "<div>{}</div>{}{}</fieldset></div>",
        field.auto_id,
        field.label,
        options,
        errors_html,
        help_html,
    )


def _choices_of(name: str, plan: ServicePlan, queryset):
    """What a row of `plan` may choose from: its own objectives, the priorities of its year."""
    if name == "objective":
        return Objective.objects.filter(plan=plan)
    if name in ("priorities", "priority"):
        year = plan.year.start_year
        return Priority.objects.filter(first_year__lte=year, last_year__gte=year)
    return queryset


def compact_groups(fields: dict) -> list[list[str]]:
    """Long text full width; short fields three to a row, so a row of a list stays short:
    the names in groups, a group of one long field standing alone."""
    long_names = [name for name, field in fields.items() if isinstance(field.widget, WIDE_WIDGETS)]
    short_names = [name for name in fields if name not in long_names]
    rows = [short_names[i : i + 3] for i in range(0, len(short_names), 3)]
    return [[name] for name in long_names[:1]] + rows + [[name] for name in long_names[1:]]


def compact_layout(fields: dict) -> Layout:
    """compact_groups as a crispy-forms layout (the single action's page)."""
    items = []
    for group in compact_groups(fields):
        if len(group) == 1 and isinstance(fields[group[0]].widget, WIDE_WIDGETS):
            items.append(group[0])
        else:
            items.append(Row(*(Column(name, css_class="col-md-4") for name in group)))
    return Layout(*items)


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
    default_renderer = FAST_WIDGETS  # its management form's four hidden inputs


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
    """One action in full, on its own page (laid out by crispy-forms)."""

    class Meta:
        model = Action
        fields = ACTION_DETAIL_FIELDS
        widgets = _widgets(Action, ACTION_DETAIL_FIELDS)
        field_classes = bounded_field_classes(Action, ACTION_DETAIL_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inline_helper()
        self.helper.layout = compact_layout(self.fields)
        # The milestones' formset follows on the page; nothing is left out of this one.
        self.helper.render_unmentioned_fields = True


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
