"""One thing by its stable identifier: a plan by year and service code, an indicator by code.

Each reads through the access functions the pages use, so what is not the person's to read is
a 404, exactly as a plan or indicator that does not exist: a member never learns a draft exists.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Prefetch, Value, When
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.params import (
    AS_AT,
    YEAR,
    YEAR_IN_PATH,
    as_at,
    financial_year,
    whole_number,
    year_in_path,
    year_or_current,
)
from organisation.models import FinancialYear
from performance.models import Indicator, Target
from performance.periods import Period
from performance.selectors import IndicatorStatus, indicator_through_year, indicators_reported_in
from plans.access import plans_visible_to, services_readable_by
from plans.models import Action, Project, ServicePlan
from plans.progress import plan_progress

VERSION = OpenApiParameter(
    "version", int, description="A version of the plan; by default the published one."
)


class PlanDetail(APIView):
    """A service's plan for a year, in full: its sections, objectives, actions with their
    milestones, projects and risks, each item with its latest progress. The published
    version, unless ?version= names another one the person may read (a service's staff read
    its drafts; nobody else does)."""

    @extend_schema(parameters=[YEAR_IN_PATH, VERSION], responses=serializers.PlanDetailSerializer)
    def get(self, request: Request, year: str, service_code: str) -> Response:
        plan = self._plan(request, year_in_path(year), service_code)
        _attach_progress(plan)
        return Response(serializers.PlanDetailSerializer(plan).data)

    def _plan(self, request: Request, year: int, service_code: str) -> ServicePlan:
        the_year = financial_year(year)
        plans = plans_visible_to(request.user).filter(
            year=the_year, service__code__iexact=service_code
        )
        if (version := whole_number(request, "version")) is not None:
            plans = plans.filter(version=version)
        else:
            # The published version if there is one the person may read, else their newest.
            plans = plans.order_by(_published_first(), "-version")
        plan = _with_parts(plans).first()
        if plan is None:
            which = f"version {version} of " if version is not None else ""
            raise NotFound(f"No {which}{service_code} plan for {the_year.label} that you may read.")
        return plan


def _published_first() -> Case:
    return Case(When(status=ServicePlan.Status.PUBLISHED, then=Value(0)), default=Value(1))


def _with_parts(plans):
    """Everything the plan's page shows, joined: a fixed number of queries for any plan."""
    return plans.select_related("service__head_of_service", "year", "endorsed_by").prefetch_related(
        "objectives__priorities",
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("objective").prefetch_related(
                "priorities", "milestones"
            ),
        ),
        Prefetch("projects", queryset=Project.objects.select_related("priority")),
        "risks",
    )


def _attach_progress(plan: ServicePlan) -> None:
    """Each action, milestone, project and risk gets its progress Item (status, overdue,
    latest update) by reference; each objective its number, and each action its objective's."""
    items = plan_progress(plan)
    numbers = {}
    for number, objective in enumerate(plan.objectives.all(), start=1):
        objective.number = numbers[objective.pk] = number
    for action in plan.actions.all():
        action.progress = items[action.reference]
        action.objective_number = numbers.get(action.objective_id)
        for milestone in action.milestones.all():
            milestone.progress = items[milestone.reference]
    for part in (*plan.projects.all(), *plan.risks.all()):
        part.progress = items[part.reference]


@dataclass(frozen=True)
class IndicatorYear:
    indicator: Indicator
    year: FinancialYear
    as_at: Period | None
    annual_target: Decimal | None
    periods: list[IndicatorStatus]


class IndicatorDetail(APIView):
    """An indicator by its code (e.g. NI 181; spaces as %20), for a year: its definition, the
    year's target, and each period's target, actual, RAG, forecast and its RAG, direction of
    travel both ways and whether the figure is provisional or signed off — each period as at
    its own end — up to ?as_at= (by default the latest month with a figure). Only an
    indicator of a service whose performance the person may read for the year (a published
    plan for it, or their own)."""

    @extend_schema(parameters=[YEAR, AS_AT], responses=serializers.IndicatorYearSerializer)
    def get(self, request: Request, code: str) -> Response:
        year = year_or_current(request)
        month = as_at(request, year)
        readable = services_readable_by(request.user, year)
        indicator = (
            indicators_reported_in(year)
            .filter(code__iexact=code, service__in=readable)
            .select_related("service__head_of_service")
            .prefetch_related("priorities")
            .first()
        )
        if indicator is None:
            raise NotFound(f"No indicator {code!r} reported in {year.label} that you may read.")
        target = Target.objects.filter(indicator=indicator, year=year).first()
        periods = (
            indicator_through_year(indicator=indicator, year=year, as_at=month) if month else []
        )
        found = IndicatorYear(indicator, year, month, target.value if target else None, periods)
        return Response(serializers.IndicatorYearSerializer(found).data)
