from django import forms

from api.services import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What it is for, so you know which to revoke: “Power BI”."
    )
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        help_text=f"From 1 to {MAX_DAYS} days.",
    )
