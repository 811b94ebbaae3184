from django import forms
from django.conf import settings

from organisation.access import ROLE_GROUPS
from organisation.models import HeadOfService, Service
from organisation.users import ROLE_LABELS
from security.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLE_GROUPS]
ROLE_HELP = (
    "Administrators do everything; heads of service approve their portfolio's plans; officers "
    "edit the plans of the services ticked below; members read published plans."
)


class InviteForm(forms.Form):
    name = forms.CharField(max_length=300, help_text="First name and surname.")
    email = forms.EmailField(
        max_length=150, help_text="The invitation goes here; it is also their username."
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect, help_text=ROLE_HELP)
    services = BoundedModelMultipleChoiceField(
        queryset=Service.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services they edit",
        help_text="For officers (and heads of service who also write plans).",
    )
    head_of_service = BoundedModelChoiceField(
        queryset=HeadOfService.objects.all(),
        required=False,
        label="Head of service for",
        help_text="The portfolio whose plans they approve (heads of service only).",
    )


class AccessForm(forms.Form):
    """A person's role, the services they edit and the portfolios they lead."""

    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect, help_text=ROLE_HELP)
    services = BoundedModelMultipleChoiceField(
        queryset=Service.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services they edit",
    )
    headships = BoundedModelMultipleChoiceField(
        queryset=HeadOfService.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Head of service for",
        help_text="A portfolio led by someone else moves to this person.",
    )


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(
        choices=[("", "Any role"), *ROLE_CHOICES, ("none", "No role")], required=False
    )
    active = forms.ChoiceField(
        choices=[("", "Active or not"), ("yes", "Active"), ("no", "Deactivated")],
        required=False,
        label="Active",
    )


class UserUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file of people",
        help_text="Columns: name, email, role, services (and optionally head_of_service).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.IMPORT_MAX_BYTES:,}."
            )
        return upload
