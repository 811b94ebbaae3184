from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings

from performance.models import DRAFTED_FIELDS, Actual, DraftIndicator, Indicator
from performance.selectors import IndicatorStatus
from performance.services import FigureEntry, has_figures_in
from security.forms import RowLimitMixin, formset_limits


class FigureForm(forms.Form):
    """One indicator's row of the data-entry grid."""

    value = forms.DecimalField(required=False, max_digits=18, decimal_places=4, label="Actual")
    state = forms.ChoiceField(choices=Actual.State.choices, initial=Actual.State.VERIFIED)
    commentary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    commentary_internal = forms.BooleanField(
        required=False,
        label="Internal only",
        help_text="Keeps this commentary off the public pages and the open data; members and staff "
        "still read it.",
    )
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
                    "commentary_internal": actual.commentary_internal,
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

    def entry(self) -> FigureEntry:
        data = self.cleaned_data
        return FigureEntry(
            indicator=self.status.indicator,
            value=data["value"],
            state=data["state"],
            commentary=data["commentary"],
            forecast_outturn=data["forecast_outturn"],
            commentary_internal=data["commentary_internal"],
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


# A draft plan's indicators and targets ------------------------------------------------------

# Enough for any service's list; a bigger POST is refused before its forms are built.
MOST_INDICATORS_IN_A_PLAN = 200


class DraftIndicatorForm(forms.Form):
    """An indicator a draft plan proposes, with its target for the plan's year. The hidden
    `indicator` names the indicator in force it changes (blank for a new one)."""

    indicator = forms.CharField(required=False, widget=forms.HiddenInput)
    target = forms.DecimalField(
        required=False,
        max_digits=18,
        decimal_places=4,
        help_text="For the plan's year. Leave blank while it is still to be set.",
    )

    def __init__(self, *args, year, known: dict[str, Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(DraftIndicator, fields=DRAFTED_FIELDS))
        self.year, self.known = year, known
        self.fields["target"].label = f"Target {year}"
        self.order_fields(["indicator", *DRAFTED_FIELDS, "target"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "indicator",
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

    @property
    def indicator_in_force(self) -> Indicator | None:
        return self.known.get(str(self.initial.get("indicator") or ""))

    def clean_indicator(self) -> Indicator | None:
        value = self.cleaned_data["indicator"]
        if not value:
            return None
        if value not in self.known:
            raise forms.ValidationError(
                "This row is not one of the plan's indicators any more. Reload the page."
            )
        return self.known[value]

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator")
        if data.get("DELETE") and indicator and has_figures_in(indicator, self.year):
            self.add_error(
                "DELETE",
                f"It already has figures for {self.year}, so it stays in this year's plan.",
            )
        return data

    def row(self) -> DraftIndicator | None:
        """The row to save; None for a new one removed before it was ever saved."""
        data = self.cleaned_data
        if data.get("DELETE") and data.get("indicator") is None:
            return None
        indicator = data.get("indicator")
        if data.get("DELETE"):  # taken out: as it is in force, whatever was typed over it
            return DraftIndicator(
                indicator=indicator,
                target=None,
                taken_out=True,
                **{name: getattr(indicator, name) for name in DRAFTED_FIELDS},
            )
        return DraftIndicator(
            indicator=indicator,
            target=data.get("target"),
            **{name: data[name] for name in DRAFTED_FIELDS},
        )


class DraftIndicatorFormSet(RowLimitMixin, forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Take it out of this plan (its past figures are kept)"

    def clean(self):
        """Each code once in the list, ignoring case; each indicator in force once."""
        if any(self.errors):
            return
        first_row: dict[str, int] = {}
        seen_indicators = set()
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() and not form.initial:
                continue
            indicator = form.cleaned_data.get("indicator")
            if indicator is not None:
                if indicator.pk in seen_indicators:
                    raise forms.ValidationError(
                        f"Indicator {number} repeats another row. Reload the page."
                    )
                seen_indicators.add(indicator.pk)
            if form.cleaned_data.get("DELETE"):
                continue
            code = (form.cleaned_data.get("code") or "").strip().casefold()
            if code in first_row:
                form.add_error("code", f"Indicator {first_row[code]} already has this code.")
            first_row.setdefault(code, number)

    def rows(self) -> list[DraftIndicator]:
        rows = [form.row() for form in self.forms if form.initial or form.has_changed()]
        return [row for row in rows if row is not None]


def draft_indicator_formset(data, *, year, rows: list[DraftIndicator]):
    """The editor's forms, one per row the draft proposes and one blank to add another."""
    known = {str(row.indicator_id): row.indicator for row in rows if row.indicator_id}
    initial = [
        {
            "indicator": row.indicator_id or "",
            "target": _plain(row.target),
            "DELETE": row.taken_out,
            **{name: getattr(row, name) for name in DRAFTED_FIELDS},
        }
        for row in rows
    ]
    formset_class = forms.formset_factory(
        DraftIndicatorForm,
        formset=DraftIndicatorFormSet,
        extra=1,
        can_delete=True,
        **formset_limits(MOST_INDICATORS_IN_A_PLAN),
    )
    formset = formset_class(
        data,
        initial=initial,
        prefix="indicators",
        form_kwargs={"year": year, "known": known},
        error_messages={
            "too_many_forms": (
                f"A plan can have at most {MOST_INDICATORS_IN_A_PLAN} indicators. "
                "Nothing was saved."
            )
        },
    )
    return formset
