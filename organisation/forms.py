from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings

from organisation.access import ROLE_GROUPS
from organisation.colours import colour_problem
from organisation.models import CouncilSettings, HeadOfService, Service
from organisation.services import Logo
from organisation.users import ROLE_LABELS
from security.documents import ALLOWED_IMAGES, DocumentRefused, image_type
from security.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLE_GROUPS]
ROLE_HELP = (
    "Administrators do everything; heads of service approve their portfolio's plans; officers "
    "edit the plans of the services ticked below; members read published plans."
)


class DateInput(forms.DateInput):
    """The browser's date picker; the value in the ISO form it needs."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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


# A logo is printed a few centimetres wide: a megabyte is plenty, and the settings are cached.
LOGO_MAX_BYTES = 1024 * 1024


class CouncilSettingsForm(forms.ModelForm):
    """The settings page. Checks what was typed; organisation.services.update_council_settings
    saves it."""

    logo_file = forms.FileField(
        label="Logo",
        required=False,
        help_text=f"Printed on report covers. A {ALLOWED_IMAGES} image, up to "
        f"{LOGO_MAX_BYTES // 1024} KB. Not SVG: an SVG file can carry script. "
        "Leave empty to keep the logo you have.",
    )
    remove_logo = forms.BooleanField(
        label="Remove the logo", required=False, help_text="Reports then print no logo."
    )

    class Meta:
        model = CouncilSettings
        fields = [
            "name",
            "report_colour",
            "contact_email",
            "contact_phone",
            "contact_address",
            "accessibility_prepared_on",
            "accessibility_reviewed_on",
            "accessibility_tested_on",
            "monitoring_cadence",
            "figures_due_working_days",
            "bank_holidays",
            "public_pages",
            "public_shows_provisional",
            "public_shows_names",
        ]
        widgets = {
            "contact_address": forms.Textarea(attrs={"rows": 3}),
            "monitoring_cadence": forms.RadioSelect,
            "bank_holidays": forms.RadioSelect,
            "report_colour": forms.TextInput(attrs={"spellcheck": "false", "size": 8}),
            "accessibility_prepared_on": DateInput(),
            "accessibility_reviewed_on": DateInput(),
            "accessibility_tested_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["contact_email"].help_text = (
            "Where people ask for another format or report an accessibility problem; printed "
            "on the accessibility statement and on reports. Give an email, a telephone "
            "number, a postal address, or any of them."
        )
        if not self.instance.logo_type:
            del self.fields["remove_logo"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("The council", "name", "logo_file", *self._remove_logo(), "report_colour"),
            Fieldset("Contact", "contact_email", "contact_phone", "contact_address"),
            # The dates the accessibility statement gives; blank: it says none is recorded.
            Fieldset(
                "Accessibility statement",
                "accessibility_prepared_on",
                "accessibility_reviewed_on",
                "accessibility_tested_on",
            ),
            Fieldset(
                "Reporting",
                "monitoring_cadence",
                "figures_due_working_days",
                "bank_holidays",
            ),
            # What residents read without signing in, at /public/ (the public app).
            Fieldset(
                "Public pages",
                "public_pages",
                "public_shows_provisional",
                "public_shows_names",
            ),
        )

    def _remove_logo(self) -> list[str]:
        return ["remove_logo"] if "remove_logo" in self.fields else []

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_report_colour(self) -> str:
        colour = self.cleaned_data["report_colour"].strip().lower()
        if problem := colour_problem(colour):
            raise forms.ValidationError(problem)
        return colour

    def clean_logo_file(self) -> Logo | None:
        upload = self.cleaned_data["logo_file"]
        if not upload:
            return None
        if getattr(upload, "too_large", False) or upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1024:.0f} KB; the largest logo accepted is "
                f"{LOGO_MAX_BYTES // 1024} KB."
            )
        content = upload.read()
        try:
            content_type = image_type(content, upload.name, max_bytes=LOGO_MAX_BYTES)
        except DocumentRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return Logo(content=content, content_type=content_type)

    def values(self) -> dict:
        """The settings to save, by field name (the logo apart)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
