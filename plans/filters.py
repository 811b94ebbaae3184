import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from organisation.models import HeadOfService, Service
from plans.models import ServicePlan

NOT_STARTED = "not_started"


class PlanningRoundFilter(django_filters.FilterSet):
    """The planning round's filters: head of service, and the status of the year's plan."""

    head_of_service = django_filters.ModelChoiceFilter(
        queryset=HeadOfService.objects.all(),
        empty_label="All heads of service",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = django_filters.ChoiceFilter(
        choices=[(NOT_STARTED, "Not started"), *ServicePlan.Status.choices],
        method="filter_status",
        empty_label="Any status",
        label="Plan status",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Service
        fields = ["head_of_service", "status"]

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def filter_status(self, queryset, name, value):
        plans = ServicePlan.objects.filter(service=OuterRef("pk"), year=self.year)
        if value == NOT_STARTED:
            return queryset.filter(~Exists(plans))
        # The newest version decides the status shown, so filter on that version.
        newer = ServicePlan.objects.filter(
            service=OuterRef("service"), year=OuterRef("year"), version__gt=OuterRef("version")
        )
        latest_with_status = plans.filter(status=value).filter(~Exists(newer))
        return queryset.filter(Exists(latest_with_status))
