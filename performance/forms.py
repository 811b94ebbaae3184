from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings

from performance.models import Actual
from performance.selectors import IndicatorStatus
from performance.services import FigureEntry, entry_problems


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
