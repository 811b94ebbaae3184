from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings

from performance.models import Actual, Indicator
from performance.selectors import IndicatorStatus
from performance.services import FigureEntry, PlanIndicatorRow, entry_problems, has_figures_in


class FigureForm(forms.Form):
    """One indicator's row of the data-entry grid."""

    value = forms.DecimalField(required=False, max_digits=18, decimal_places=4, label="Actual")
    state = forms.ChoiceField(choices=Actual.State.choices, initial=Actual.State.VERIFIED)
    commentary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    forecast_outturn = forms.DecimalField(
        required=False, max_digits=18, decimal_places=4, label="Forecast for the year"
    )

    def __init__(self, *args, status: IndicatorStatus, **kwargs):
        self.status = status
        actual = status.actual
        if actual is not None:
            kwargs.setdefault(
                "initial",
                {
                    "value": _plain(actual.value),
                    "state": actual.state,
                    "commentary": actual.commentary,
                    "forecast_outturn": _plain(actual.forecast_outturn),
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        indicator = status.indicator
        unit = f" ({indicator.unit})" if indicator.unit else ""
        self.fields["value"].label = f"Actual{unit}"

    @property
    def is_blank(self) -> bool:
        """Nothing typed for an indicator that had no figure: leave it out of the save."""
        data = self.cleaned_data
        return (
            self.status.actual is None
            and data.get("value") is None
            and not data.get("commentary", "").strip()
            and data.get("forecast_outturn") is None
            and data.get("state") == Actual.State.VERIFIED
        )

    def clean(self):
        data = super().clean()
        if self.errors or self.is_blank:
            return data
        problems = entry_problems(
            indicator=self.status.indicator,
            target=self.status.target,
            value=data.get("value"),
            state=data.get("state"),
            commentary=data.get("commentary", ""),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data

    def entry(self) -> FigureEntry:
        data = self.cleaned_data
        return FigureEntry(
            indicator=self.status.indicator,
            value=data["value"],
            state=data["state"],
            commentary=data["commentary"],
            forecast_outturn=data["forecast_outturn"],
        )


def _plain(value):
    """78.0000 → "78", 97.2000 → "97.2": the figure as the officer would type it."""
    return None if value is None else f"{value.normalize():f}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file of figures",
        help_text="Columns: code, period_end, value, state, commentary (and optionally forecast).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.IMPORT_MAX_BYTES:,}."
            )
        return upload


PLAN_INDICATOR_FIELDS = (
    "code",
    "title",
    "unit",
    "decimal_places",
    "polarity",
    "frequency",
    "accountable_manager",
    "is_corporate",
)


class PlanIndicatorForm(forms.ModelForm):
    """An indicator of the plan's service, with its target for the plan's year."""

    target = forms.DecimalField(
        required=False,
        max_digits=18,
        decimal_places=4,
        help_text="For the plan's year. Leave blank while it is still to be set.",
    )

    class Meta:
        model = Indicator
        fields = PLAN_INDICATOR_FIELDS

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                *(Column(name, css_class="col-md-4") for name in ("code", "unit", "decimal_places"))
            ),
            "title",
            Row(
                *(
                    Column(name, css_class="col-md-4")
                    for name in ("polarity", "frequency", "target")
                )
            ),
            Row(Column("accountable_manager", css_class="col-md-8"), Column("is_corporate")),
        )
        # The formset's remove control is added after this; show it too.
        self.helper.render_unmentioned_fields = True
        self.fields["target"].label = f"Target {year}"
        if self.instance.pk:
            targets = getattr(self.instance, "year_targets", [])
            self.fields["target"].initial = _plain(targets[0].value) if targets else None

    def clean(self):
        data = super().clean()
        if data.get("DELETE") and self.instance.pk and has_figures_in(self.instance, self.year):
            self.add_error(
                "DELETE",
                f"It already has figures for {self.year}, so it stays in this year's plan.",
            )
        return data

    def row(self) -> PlanIndicatorRow:
        return PlanIndicatorRow(
            indicator=self.instance,
            target=self.cleaned_data.get("target"),
            stop_reporting=bool(self.cleaned_data.get("DELETE")),
        )


class PlanIndicatorFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Take it out of this plan (its past figures are kept)"


def plan_indicator_formset():
    return forms.modelformset_factory(
        Indicator,
        form=PlanIndicatorForm,
        formset=PlanIndicatorFormSet,
        fields=PLAN_INDICATOR_FIELDS,
        extra=1,
        can_delete=True,
    )
