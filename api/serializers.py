"""What the API says about each thing, field by field. Read only: nothing here saves."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class Codes(serializers.Field):
    """The codes of related things (services, priorities), from a prefetched relation."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, related) -> list[str]:
        return [item.code for item in related.all()]


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
    revision_label = serializers.CharField(
        help_text='For people: "revised on 11 October 2012" (the day a committee endorsed the '
        'revision; "revision started on …" before); empty for a year\'s first plan.'
    )
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


# Structure -----------------------------------------------------------------------------------


class HeadOfServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The portfolio, e.g. “Finance & HR”.")
    officer_name = serializers.CharField(help_text="Who leads it, as the pages name them.")
    directorate = serializers.CharField(source="directorate.name", default=None, allow_null=True)
    services = Codes(help_text="Its services' codes.")


class DirectorateSerializer(serializers.Serializer):
    name = serializers.CharField()
    director = serializers.CharField()
    heads_of_service = NamedSerializer(many=True, source="heads_of_service.all")


# Indicators ----------------------------------------------------------------------------------


def _figure(**kwargs) -> serializers.DecimalField:
    """An indicator's figure: a JSON number, as the list of indicators has always given."""
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False, **kwargs
    )


class PeriodStatusSerializer(serializers.Serializer):
    """An indicator's figure for one period against its target, as at that period."""

    period = serializers.CharField(
        source="period.name",
        default=None,
        allow_null=True,
        help_text="The month it ends, YYYY-MM; null when none is due yet this year.",
    )
    period_label = serializers.CharField()
    period_end = serializers.DateField(source="period.end_date", default=None, allow_null=True)
    target = _figure()
    actual = _figure(source="value")
    state = serializers.CharField(help_text="Why a figure is missing, when it is.")
    commentary = serializers.CharField()
    rag = serializers.CharField(help_text="green, amber, red, awaited, not-due or data-only.")
    forecast = _figure(help_text="The latest forecast outturn for the year by then.")
    forecast_rag = serializers.CharField(allow_null=True)
    previous = _figure(help_text="The figure for the period before.")
    direction_previous = serializers.CharField(allow_null=True)
    last_year = _figure(help_text="The figure for the same period last year.")
    direction_last_year = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField(
        help_text="A figure not signed off (yet, or again since a change)."
    )
    signed_off = serializers.SerializerMethodField()

    def get_signed_off(self, status) -> bool:
        return status.value is not None and not status.provisional


class IndicatorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    indicator_type = serializers.CharField()
    unit = serializers.CharField()
    decimal_places = serializers.IntegerField()
    polarity = serializers.CharField(help_text="higher or lower: which is better.")
    frequency = serializers.CharField()
    is_corporate = serializers.BooleanField()
    service_code = serializers.CharField(source="service.code")
    head_of_service = serializers.CharField(source="service.head_of_service.name")
    priorities = Codes()
    accountable_manager = serializers.CharField()


# Plans, in full ------------------------------------------------------------------------------


class PartProgressMixin(serializers.Serializer):
    """Status, overdue and latest progress of an action, milestone or project: from its
    progress Item (plans.progress), attached as `progress` by the view."""

    status = serializers.CharField(
        source="progress.status", help_text="The latest progress's, else the plan's own."
    )
    overdue = serializers.BooleanField(source="progress.overdue")
    latest_progress = ProgressSerializer(source="progress.latest", allow_null=True)


class MilestoneSerializer(PartProgressMixin):
    reference = serializers.CharField()
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)


class ActionDetailSerializer(PartProgressMixin):
    reference = serializers.CharField()
    title = serializers.CharField()
    objective = serializers.IntegerField(
        source="objective_number", allow_null=True, help_text="Its objective's number."
    )
    priorities = Codes()
    responsible_officer = serializers.CharField()
    success_measure = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    risk = serializers.CharField()
    resource_implications = serializers.CharField()
    customer_impact = serializers.CharField()
    milestones = MilestoneSerializer(many=True, source="milestones.all")


class ProjectDetailSerializer(PartProgressMixin):
    reference = serializers.CharField()
    title = serializers.CharField()
    accountable_manager = serializers.CharField()
    deliverables = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    is_capital = serializers.BooleanField()
    is_high_risk = serializers.BooleanField()
    is_high_profile = serializers.BooleanField()
    is_high_impact = serializers.BooleanField()
    priority = serializers.CharField(source="priority.code", default=None, allow_null=True)


class RiskDetailSerializer(serializers.Serializer):
    reference = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    owner = serializers.CharField()
    mitigation = serializers.CharField()
    likelihood = serializers.IntegerField(help_text="As the plan scored it, 1 to 5.")
    impact = serializers.IntegerField(help_text="As the plan scored it, 1 to 5.")
    score = serializers.IntegerField(source="progress.score", help_text="Latest score.")
    movement = serializers.CharField(
        source="progress.movement", help_text="up, down or same against the score before."
    )
    latest_progress = ProgressSerializer(source="progress.latest", allow_null=True)


class ObjectiveSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    is_key = serializers.BooleanField()
    priorities = Codes()


class PlanDetailSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    head_of_service = serializers.CharField(source="service.head_of_service.name")
    year = serializers.IntegerField(source="year.start_year")
    year_label = serializers.CharField(source="year.label")
    version = serializers.IntegerField()
    revision_label = serializers.CharField(
        help_text='For people: "revised on 11 October 2012" (the day a committee endorsed the '
        'revision; "revision started on …" before); empty for a year\'s first plan.'
    )
    status = serializers.CharField()
    endorsed_by = serializers.CharField(source="endorsed_by.name", default=None, allow_null=True)
    endorsed_on = serializers.DateField(allow_null=True)
    sections = serializers.SerializerMethodField()
    objectives = ObjectiveSerializer(many=True, source="objectives.all")
    actions = ActionDetailSerializer(many=True, source="actions.all")
    projects = ProjectDetailSerializer(many=True, source="projects.all")
    risks = RiskDetailSerializer(many=True, source="risks.all")

    # The plan's narrative sections, by the name the plan template gives them.
    SECTIONS = (
        "introduction",
        "key_achievements",
        "structure",
        "structure_changes",
        "benchmarking",
        "customer_impact",
        "efficiency_measures",
    )

    def get_sections(self, plan) -> dict[str, str]:
        return {name: getattr(plan, name) for name in self.SECTIONS}


# Budgets -------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
class DecimalString(serializers.Field):
    """Money and FTE as a decimal string ("-1234.5"), never a float; null for no figure (which
    is not the same as "0")."""

    def to_representation(self, value: Decimal | None) -> str | None:
        return None if value is None else str(value)


class CellSerializer(serializers.Serializer):
    value = DecimalString()
    is_forecast = serializers.BooleanField()


class TableRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    services = serializers.SerializerMethodField(help_text="Codes of the services it covers.")
    is_reporting_line = serializers.SerializerMethodField()
    cells = CellSerializer(many=True)

    def get_services(self, row) -> list[str]:
        return [service.code for service in row.services]

    def get_is_reporting_line(self, row) -> bool:
        return row.reporting_line_id is not None


class ColumnSerializer(serializers.Serializer):
    label = serializers.CharField()
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    is_forecast = serializers.BooleanField()


class FigureTableSerializer(serializers.Serializer):
    caption = serializers.CharField()
    unit = serializers.CharField(help_text="£000 for money; blank for staff (FTE).")
    columns = ColumnSerializer(many=True)
    rows = TableRowSerializer(many=True)
    total = TableRowSerializer(help_text="Added up by the budgets app from the rows.")


class BudgetRiskSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()


class ResourcesSerializer(serializers.Serializer):
    head_of_service = NamedSerializer()
    year = serializers.IntegerField(source="year.start_year")
    year_label = serializers.CharField(source="year.label")
    staffing = FigureTableSerializer()
    budget = FigureTableSerializer()
    savings = FigureTableSerializer()
    budget_risks = BudgetRiskSerializer(many=True, source="risks.risks")


# Reports -------------------------------------------------------------------------------------


class ReportSerializer(serializers.Serializer):
    title = serializers.CharField()
    report = serializers.CharField(help_text="Which report: service-plan, committee-summary…")
    committee = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    service_code = serializers.CharField(source="plan.service.code", default=None, allow_null=True)
    published_at = serializers.DateTimeField()
    page_count = serializers.IntegerField(allow_null=True)
    size = serializers.IntegerField(allow_null=True, help_text="Bytes.")
    superseded = serializers.BooleanField(
        source="covers_superseded", help_text="It shows a plan version since superseded."
    )
    pdf = serializers.URLField(help_text="The stored file.")
    docx = serializers.URLField(allow_null=True, help_text="Its Word version, where it has one.")


class IndicatorStatusSerializer(PeriodStatusSerializer):
    """An indicator as at a month: the period due and its figures."""

    code = serializers.CharField(source="indicator.code")
    title = serializers.CharField(source="indicator.title")
    service_code = serializers.CharField(source="indicator.service.code")
    unit = serializers.CharField(source="indicator.unit")
    polarity = serializers.CharField(source="indicator.polarity")
    frequency = serializers.CharField(source="indicator.frequency")
    as_at = serializers.DateField(source="as_at.end_date")
    annual_target = _figure()


class IndicatorYearSerializer(serializers.Serializer):
    """An indicator and its figures, period by period, for a year."""

    indicator = IndicatorDetailSerializer()
    year = serializers.IntegerField(source="year.start_year")
    year_label = serializers.CharField(source="year.label")
    as_at = serializers.DateField(
        source="as_at.end_date", default=None, allow_null=True, help_text="Periods up to here."
    )
    annual_target = _figure()
    periods = PeriodStatusSerializer(many=True)
