"""Form fields the reports share, and the covering report's narrative form."""

from django import forms
from django.utils import timezone

from organisation.models import FinancialYear
from performance import periods
from performance.periods import Period
from reports.models import CoveringReport


class MonthField(forms.Field):
    """A month like 2012-08: the month a report is "as at"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "2012-08", "size": 8}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        try:
            return periods.parse(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def prepare_value(self, value):
        return value.name if isinstance(value, Period) else value


class YearField(forms.ModelChoiceField):
    """A financial year, chosen by its label and sent as its start year ("2012")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", FinancialYear.objects.all())
        kwargs.setdefault("to_field_name", "start_year")
        super().__init__(**kwargs)


def last_month_in(year: FinancialYear | None) -> str:
    """The initial "as at" month: last month, within the year."""
    if year is None:
        return ""
    today = Period.of(timezone.localdate())
    first, last = Period(year.start_year, 4), Period(year.start_year + 1, 3)
    month = periods.previous("monthly", today)
    return min(max(first, month), last).name


def check_month_in_year(form: forms.Form, year_field: str = "year") -> None:
    """A month of another financial year is a mistake the form names."""
    year, as_at = form.cleaned_data.get(year_field), form.cleaned_data.get("as_at")
    if year and as_at and as_at.financial_year != year.start_year:
        form.add_error("as_at", f"{as_at.month_label} is not in {year.label}.")


class CoveringReportForm(forms.ModelForm):
    class Meta:
        model = CoveringReport
        fields = (
            "year",
            "committee",
            "meeting_date",
            "agenda_item",
            "title",
            "report_of",
            "lead_member",
            "decision",
            "wards_affected",
            "purpose",
            "recommendations",
            "reasons",
            "background",
            "financial_implications",
            "legal_implications",
            "risk_assessment",
            "consultation_and_customer_impact",
            "policy_implications",
            "other_considerations",
            "contact_name",
            "contact_title",
            "contact_phone",
            "contact_email",
            "background_papers",
            "include_abridged_plans",
        )
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "purpose",
                    "recommendations",
                    "reasons",
                    "background",
                    "financial_implications",
                    "legal_implications",
                    "risk_assessment",
                    "consultation_and_customer_impact",
                    "policy_implications",
                    "other_considerations",
                    "background_papers",
                )
            },
        }
