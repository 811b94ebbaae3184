from crispy_forms.helper import FormHelper
from django import forms

from notifications.models import OPTIONAL_KINDS, Kind
from notifications.selectors import committees_to_follow

DAILY, IMMEDIATE = "daily", "immediate"


class CommitteeChoiceField(forms.ModelMultipleChoiceField):
    """Committees, those the person sits on marked in words."""

    def __init__(self, *args, sat_on: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.sat_on = sat_on

    def label_from_instance(self, committee) -> str:
        return f"{committee} (you sit on it)" if committee.pk in self.sat_on else str(committee)


class PreferencesForm(forms.Form):
    """How a person is told. The page shows what they get by email; the service stores what
    they muted."""

    reminders = forms.ChoiceField(
        label="Reminders of work due or late",
        choices=[
            (DAILY, "In one email a day"),
            (IMMEDIATE, "In an email each, as they happen"),
        ],
        widget=forms.RadioSelect,
    )
    emailed = forms.MultipleChoiceField(
        label="News to get by email",
        help_text="Untick a kind to see it here in the product only. Reminders and the steps "
        "of your own plans are always emailed.",
        choices=[(kind.value, kind.label) for kind in Kind if kind in OPTIONAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, sat_on: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committees"] = CommitteeChoiceField(
            committees_to_follow(),
            sat_on=sat_on,
            label="Committees to follow",
            help_text="You are told when plans and reports for a committee you follow are "
            "published.",
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @property
    def immediate(self) -> bool:
        return self.cleaned_data["reminders"] == IMMEDIATE

    @property
    def muted(self) -> set[str]:
        return set(OPTIONAL_KINDS) - set(self.cleaned_data["emailed"])

    @classmethod
    def initial_for(cls, preference) -> dict:
        return {
            "reminders": IMMEDIATE if preference.immediate else DAILY,
            "emailed": [kind for kind in OPTIONAL_KINDS if kind not in preference.muted],
            "committees": list(preference.committees.all()) if preference.pk else [],
        }
