"""The read API (/api/v1/): structure, plans and indicators, as JSON.

Each list reads through the same access functions as the pages, so a token or a session sees
exactly what its person sees there: plans through plans_visible_to, performance through
services_readable_by (a service's figures once its plan for the year is published, and the
person's own). Each list costs a fixed number of queries, whatever the number of rows.
"""

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers
from organisation.models import Committee, FinancialYear, Service
from performance import periods
from performance.selectors import indicator_statuses, latest_reported_month
from plans.access import plans_visible_to, services_readable_by
from plans.progress import progress_of_plans

SERVICE = OpenApiParameter("service", str, description="A service's code, e.g. LIC.")
HEAD_OF_SERVICE = OpenApiParameter("head_of_service", int, description="A head of service's id.")
COMMITTEE = OpenApiParameter("committee", int, description="A committee's id.")
YEAR = OpenApiParameter(
    "year", int, description="The financial year by the calendar year it starts: 2012 = 2012/13."
)


def _whole_number(request: Request, name: str) -> int | None:
    text = request.query_params.get(name, "")
    if not text:
        return None
    if not text.isdecimal():
        raise ValidationError({name: "A whole number."})
    return int(text)


def _services_filter(request: Request, through: str = "") -> Q:
    """?service=LIC&head_of_service=3&committee=2, on services or on what belongs to one."""
    where = Q()
    if code := request.query_params.get("service"):
        where &= Q(**{f"{through}code": code})
    if (head := _whole_number(request, "head_of_service")) is not None:
        where &= Q(**{f"{through}head_of_service": head})
    if (committee := _whole_number(request, "committee")) is not None:
        where &= Q(**{f"{through}committees": committee})
    return where


def _year(request: Request) -> FinancialYear:
    """?year=2012, else the current year."""
    wanted = _whole_number(request, "year")
    wanted_year = {"start_year": wanted} if wanted is not None else {"is_current": True}
    year = FinancialYear.objects.filter(**wanted_year).first()
    if year is None:
        raise NotFound("No such financial year.")
    return year


@extend_schema(parameters=[SERVICE, HEAD_OF_SERVICE, COMMITTEE])
class ServiceList(generics.ListAPIView):
    """Services with their head of service, directorate and the committees that review them:
    the council's structure, which everyone signed in reads."""

    serializer_class = serializers.ServiceSerializer

    def get_queryset(self) -> QuerySet[Service]:
        return (
            Service.objects.filter(_services_filter(self.request))
            .distinct()
            .select_related("head_of_service__directorate")
            .prefetch_related("committees")
            .order_by("code", "pk")
        )


class CommitteeList(generics.ListAPIView):
    """The committees (their ids are the `committee` filter of the other lists)."""

    serializer_class = serializers.CommitteeSerializer
    queryset = Committee.objects.order_by("position", "name", "pk")


@extend_schema(
    parameters=[
        YEAR,
        SERVICE,
        HEAD_OF_SERVICE,
        COMMITTEE,
        OpenApiParameter("status", str, description="draft, submitted, approved, published…"),
    ]
)
class PlanList(generics.ListAPIView):
    """Service plans the person may read (published ones; every version of their own for a
    service's staff), with their actions, milestones, projects and risks by reference and
    each one's latest progress."""

    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        plans = plans_visible_to(self.request.user).filter(
            _services_filter(self.request, "service__")
        )
        if (year := _whole_number(self.request, "year")) is not None:
            plans = plans.filter(year__start_year=year)
        if status := self.request.query_params.get("status"):
            plans = plans.filter(status=status)
        return (
            plans.distinct()
            .select_related("service", "year", "endorsed_by")
            .order_by("-year__start_year", "service__code", "-version", "pk")
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        context = self.get_serializer_context() | {"progress": progress_of_plans(page)}
        data = serializers.PlanSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)


@extend_schema(
    parameters=[
        YEAR,
        OpenApiParameter(
            "as_at",
            OpenApiTypes.STR,
            description="The month (YYYY-MM) of the year to read as at; "
            "by default the latest with a figure.",
        ),
        SERVICE,
        HEAD_OF_SERVICE,
        COMMITTEE,
    ]
)
class IndicatorList(generics.ListAPIView):
    """Indicators as at a month: the period due, its target and actual, the RAG status and
    whether the figure is provisional or signed off. Only services whose performance the
    person may read: those with a published plan for the year, and their own."""

    serializer_class = serializers.IndicatorStatusSerializer

    def get_queryset(self):
        year = _year(self.request)
        as_at = self._as_at(year)
        if as_at is None:
            return []
        services = services_readable_by(self.request.user, year).filter(
            _services_filter(self.request)
        )
        return indicator_statuses(year=year, as_at=as_at, services=services)

    def _as_at(self, year: FinancialYear) -> periods.Period | None:
        text = self.request.query_params.get("as_at")
        if not text:
            return latest_reported_month(year)
        try:
            as_at = periods.parse(text)
        except ValueError as error:
            raise ValidationError({"as_at": str(error)}) from error
        if as_at not in periods.months_of_year(year.start_year):
            raise ValidationError({"as_at": f"A month of {year.label}."})
        return as_at
