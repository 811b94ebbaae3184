"""Factories for every model. Use `.build()` where a test needs no database."""

import datetime

import factory
from django.contrib.auth import get_user_model

from organisation.models import (
    Committee,
    CommitteeReview,
    Directorate,
    FinancialYear,
    HeadOfService,
    MonitoringPoint,
    Priority,
    Service,
)
from plans.models import (
    Action,
    Consultation,
    Milestone,
    Objective,
    PlanEvent,
    ProgressUpdate,
    Project,
    Risk,
    ServicePlan,
    WorkStream,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class FinancialYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialYear
        django_get_or_create = ["start_year"]

    start_year = 2012


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate

    name = factory.Sequence(lambda n: f"Directorate {n}")


class HeadOfServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeadOfService

    name = factory.Sequence(lambda n: f"Portfolio {n}")
    officer_name = "Sam Head"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Select Committee {n}")
    kind = Committee.Kind.SELECT


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    head_of_service = factory.SubFactory(HeadOfServiceFactory)


class CommitteeReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeReview

    service = factory.SubFactory(ServiceFactory)
    committee = factory.SubFactory(CommitteeFactory)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    code = factory.Sequence(lambda n: f"P{n}")
    theme = "Safe communities"
    title = factory.Sequence(lambda n: f"Priority {n}")
    first_year = 2011
    last_year = 2014


class ServicePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePlan

    service = factory.SubFactory(ServiceFactory)
    year = factory.SubFactory(FinancialYearFactory)
    introduction = "The service keeps the district safe and clean."

    class Params:
        published = factory.Trait(
            status=ServicePlan.Status.PUBLISHED,
            endorsed_by=factory.SubFactory(CommitteeFactory, kind=Committee.Kind.CABINET),
            endorsed_on=datetime.date(2012, 3, 8),
        )


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(ServicePlanFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(ServicePlanFactory)
    objective = factory.SubFactory(ObjectiveFactory, plan=factory.SelfAttribute("..plan"))
    title = factory.Sequence(lambda n: f"Action {n}")
    target_date = datetime.date(2013, 3, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = datetime.date(2012, 9, 30)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    plan = factory.SubFactory(ServicePlanFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    is_high_profile = True


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    plan = factory.SubFactory(ServicePlanFactory)
    description = factory.Sequence(lambda n: f"Risk {n}")
    category = Risk.Category.OPERATIONAL
    likelihood = 3
    impact = 4


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    plan = factory.SubFactory(ServicePlanFactory)
    name = factory.Sequence(lambda n: f"Consultation {n}")
    start_date = datetime.date(2012, 6, 1)
    end_date = datetime.date(2012, 7, 31)
    consultation_type = Consultation.Type.COMMUNITY


class WorkStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkStream

    plan = factory.SubFactory(ServicePlanFactory)
    title = factory.Sequence(lambda n: f"Work-stream {n}")


class PlanEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanEvent

    plan = factory.SubFactory(ServicePlanFactory)
    kind = PlanEvent.Kind.SUBMITTED
    by = factory.SubFactory(UserFactory)


class MonitoringPointFactory(factory.django.DjangoModelFactory):
    """The half-year point of 2012/13 by default: as at 30 September, due by 31 October."""

    class Meta:
        model = MonitoringPoint
        django_get_or_create = ["year", "as_at"]

    year = factory.SubFactory(FinancialYearFactory)
    name = "Half-year"
    as_at = factory.LazyAttribute(lambda point: datetime.date(point.year.start_year, 9, 30))
    due_date = factory.LazyAttribute(lambda point: datetime.date(point.year.start_year, 10, 31))


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """An update on an action, on track, at the half-year. Pass `item=` (an action, milestone,
    project or risk) to take the service, kind and reference from it; a risk is re-scored."""

    class Meta:
        model = ProgressUpdate
        exclude = ["item"]

    item = factory.SubFactory(ActionFactory)
    service = factory.LazyAttribute(lambda u: _plan_of(u.item).service)
    point = factory.SubFactory(
        MonitoringPointFactory,
        year=factory.LazyAttribute(lambda p: _plan_of(p.factory_parent.item).year),
    )
    kind = factory.LazyAttribute(lambda u: type(u.item).__name__.lower())
    reference = factory.LazyAttribute(lambda u: u.item.reference)
    status = factory.LazyAttribute(lambda u: "" if u.kind == "risk" else "on_track")
    percent_complete = factory.LazyAttribute(lambda u: None if u.kind == "risk" else 50)
    likelihood = factory.LazyAttribute(lambda u: u.item.likelihood if u.kind == "risk" else None)
    impact = factory.LazyAttribute(lambda u: u.item.impact if u.kind == "risk" else None)
    commentary = "Going to plan."
    by = factory.SubFactory(UserFactory)


def _plan_of(item):
    return item.action.plan if isinstance(item, Milestone) else item.plan


# Performance -----------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from performance.models import Actual, Indicator, PeriodTarget, Target  # noqa: E402


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"LPI {n:03d}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    service = factory.SubFactory(ServiceFactory)
    unit = "%"
    decimal_places = 1
    polarity = Indicator._meta.get_field("polarity").default
    frequency = "monthly"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = factory.SubFactory(FinancialYearFactory)
    value = Decimal("90")


class PeriodTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodTarget

    target = factory.SubFactory(TargetFactory)
    period_end = datetime.date(2012, 6, 30)
    value = Decimal("30")


class ActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actual

    indicator = factory.SubFactory(IndicatorFactory)
    period_end = datetime.date(2012, 8, 31)
    value = Decimal("92")
    state = Actual.State.VERIFIED


# Budgets ---------------------------------------------------------------------------------------

from budgets.models import (  # noqa: E402
    Budget,
    BudgetRisk,
    ReportingLine,
    ReportingLineService,
    Saving,
    Staffing,
)


class ReportingLineFactory(factory.django.DjangoModelFactory):
    """A line over the given services: ReportingLineFactory(services=[a, b])."""

    class Meta:
        model = ReportingLine
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Reporting line {n}")
    head_of_service = factory.SubFactory(HeadOfServiceFactory)

    @factory.post_generation
    def services(self, create, services, **kwargs):
        if create and services:
            for service in services:
                ReportingLineService.objects.create(reporting_line=self, service=service)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    service = factory.SubFactory(ServiceFactory)
    year = factory.SubFactory(FinancialYearFactory)
    net_budget = Decimal("100")


class StaffingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staffing

    service = factory.SubFactory(ServiceFactory)
    year = factory.SubFactory(FinancialYearFactory)
    fte = Decimal("10.5")


class SavingFactory(factory.django.DjangoModelFactory):
    """A saving in one year by default; pass last_year for a span."""

    class Meta:
        model = Saving

    service = factory.SubFactory(ServiceFactory)
    first_year = factory.SubFactory(FinancialYearFactory)
    last_year = factory.SelfAttribute("first_year")
    amount = Decimal("25")
    description = factory.Sequence(lambda n: f"Saving {n}")
    status = Saving.Status.AGREED


class BudgetRiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetRisk

    head_of_service = factory.SubFactory(HeadOfServiceFactory)
    year = factory.SubFactory(FinancialYearFactory)
    title = factory.Sequence(lambda n: f"Budget risk {n}")
    text = "Income may fall short of the budget."


# In-year progress ------------------------------------------------------------------------------

# Given by service, kind and reference rather than by item (ProgressUpdateFactory above), for
# reports that read many services' progress.


class FixedMonitoringPointFactory(factory.django.DjangoModelFactory):
    """The half-year point of 2012/13 unless told otherwise."""

    class Meta:
        model = MonitoringPoint
        django_get_or_create = ["year", "name"]

    year = factory.SubFactory(FinancialYearFactory)
    name = "Half-year"
    as_at = datetime.date(2012, 9, 30)
    due_date = datetime.date(2012, 10, 31)


class RawProgressUpdateFactory(factory.django.DjangoModelFactory):
    """An update of an action on track; for a risk pass kind="risk", status="" and scores.
    Written straight to the table: plans.progress.record_progress is what users go through."""

    class Meta:
        model = ProgressUpdate

    service = factory.SubFactory(ServiceFactory)
    point = factory.SubFactory(FixedMonitoringPointFactory)
    kind = ProgressUpdate.Kind.ACTION
    reference = factory.Sequence(lambda n: f"SVC-A{n:02d}")
    status = ProgressUpdate.Status.ON_TRACK
    percent_complete = 50
    by = factory.SubFactory(UserFactory)


# Notifications ---------------------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    """A plan-published notification, unread and not yet emailed. notifications.services.notify
    is what the product goes through."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    kind = "plan-published"
    about = factory.Sequence(lambda n: f"plan:{n}")
    stage = "published"
    subject = factory.Sequence(lambda n: f"Service plan {n} is published")
    body = "Endorsed by Cabinet."
    url = "/plans/1/"
    reason = "You follow Cabinet."
