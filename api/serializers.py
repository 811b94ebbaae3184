"""What the API says about each thing, field by field. Read only: nothing here saves."""

from rest_framework import serializers


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    head_of_service = NamedSerializer()
    directorate = serializers.CharField(
        source="head_of_service.directorate.name", default=None, allow_null=True
    )
    committees = NamedSerializer(many=True, source="committees.all")
    is_shared = serializers.BooleanField()


class CommitteeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    """The latest progress update of an item."""

    monitoring_point = serializers.CharField(source="point.name")
    as_at = serializers.DateField(source="point.as_at")
    status = serializers.CharField()
    percent_complete = serializers.IntegerField(allow_null=True)
    commentary = serializers.CharField()
    likelihood = serializers.IntegerField(allow_null=True)
    impact = serializers.IntegerField(allow_null=True)


class ItemSerializer(serializers.Serializer):
    """An action, milestone, project or risk of a plan, with its latest progress."""

    reference = serializers.CharField()
    title = serializers.CharField()
    parent = serializers.CharField(help_text="A milestone's action; blank otherwise.")
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="The latest progress's, else the plan's own.")
    overdue = serializers.BooleanField()
    latest_progress = ProgressSerializer(source="latest", allow_null=True)


class PlanSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    year = serializers.IntegerField(source="year.start_year")
    year_label = serializers.CharField(source="year.label")
    version = serializers.IntegerField()
    status = serializers.CharField()
    endorsed_by = serializers.CharField(source="endorsed_by.name", default=None, allow_null=True)
    endorsed_on = serializers.DateField(allow_null=True)
    actions = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()
    risks = serializers.SerializerMethodField()

    def _items(self, plan, kind: str) -> list:
        items = self.context["progress"][plan.pk].values()
        return ItemSerializer([item for item in items if item.kind == kind], many=True).data

    def get_actions(self, plan) -> list[dict]:
        return self._items(plan, "action")

    def get_milestones(self, plan) -> list[dict]:
        return self._items(plan, "milestone")

    def get_projects(self, plan) -> list[dict]:
        return self._items(plan, "project")

    def get_risks(self, plan) -> list[dict]:
        return self._items(plan, "risk")


class IndicatorStatusSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    title = serializers.CharField(source="indicator.title")
    service_code = serializers.CharField(source="indicator.service.code")
    unit = serializers.CharField(source="indicator.unit")
    polarity = serializers.CharField(source="indicator.polarity")
    frequency = serializers.CharField(source="indicator.frequency")
    as_at = serializers.DateField(source="as_at.end_date")
    period = serializers.CharField(source="period_label")
    period_end = serializers.DateField(source="period.end_date", default=None, allow_null=True)
    target = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False
    )
    annual_target = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False
    )
    actual = serializers.DecimalField(
        source="value", max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False
    )
    rag = serializers.CharField()
    provisional = serializers.BooleanField(
        help_text="A figure not signed off (yet, or again since a change)."
    )
    signed_off = serializers.SerializerMethodField()

    def get_signed_off(self, status) -> bool:
        return status.value is not None and not status.provisional
