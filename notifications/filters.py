"""The chasing page's filters: plain GET parameters, so a filtered page is a link to share."""

from django import forms

from notifications.chasing import CHASED_KINDS, Filters

SELECT = {"class": "form-select"}


class ChasingFilterForm(forms.Form):
    """Kind, head of service, service, person; late only or due soon too. The options are
    those of the items outstanding (chasing.filter_choices), so they cost no query."""

    kind = forms.ChoiceField(
        required=False,
        label="What",
        choices=[("", "Everything"), *CHASED_KINDS.items()],
        widget=forms.Select(attrs=SELECT),
    )
    head = forms.ChoiceField(
        required=False, label="Head of service", widget=forms.Select(attrs=SELECT)
    )
    service = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Service",
        widget=forms.Select(attrs=SELECT),
    )
    person = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Who does it",
        widget=forms.Select(attrs=SELECT),
    )
    show = forms.ChoiceField(
        required=False,
        label="Show",
        choices=[("", "Late only"), ("soon", "Late and due soon")],
        widget=forms.Select(attrs=SELECT),
    )

    on = forms.DateField(
        required=False,
        label="As at",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )

    def __init__(self, data, *, choices: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        self.fields["head"].choices = [("", "All heads of service"), *choices["head"]]
        self.fields["service"].choices = [("", "All services"), *choices["service"]]
        self.fields["person"].choices = [("", "Everyone"), *choices["person"]]

    def filters(self) -> Filters:
        """The filters asked for; one that is not among the options is ignored."""
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            head=data.get("head") or "",
            service=data.get("service"),
            person=data.get("person"),
            due_soon=data.get("show") == "soon",
        )
