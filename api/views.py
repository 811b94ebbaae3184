"""The read API (/api/v1/): structure, plans and indicators, as JSON.

Each list reads through the same access functions as the pages, so a token or a session sees
exactly what its person sees there: plans through plans_visible_to, performance through
services_readable_by (a service's figures once its plan for the year is published, and the
person's own). Each list costs a fixed number of queries, whatever the number of rows.
"""

from django.db.models import Prefetch, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers
from api.params import (
    AS_AT,
    COMMITTEE,
    HEAD_OF_SERVICE,
    PRIORITY,
    SERVICE,
    YEAR,
    as_at,
    priority,
    services_filter,
    whole_number,
    year_or_current,
)
from organisation.models import Committee, Directorate, HeadOfService, Service
from performance.models import Indicator
from performance.selectors import indicators_in_order, statuses_of
from plans.access import plans_visible_to, services_readable_by
from plans.progress import progress_of_plans


@extend_schema(parameters=[SERVICE, HEAD_OF_SERVICE, COMMITTEE])
class ServiceList(generics.ListAPIView):
    """Services with their head of service, directorate and the committees that review them:
    the council's structure, which everyone signed in reads."""

    serializer_class = serializers.ServiceSerializer

    def get_queryset(self) -> QuerySet[Service]:
        return (
            Service.objects.filter(services_filter(self.request))
            .distinct()
            .select_related("head_of_service__directorate")
            .prefetch_related("committees")
            .order_by("code", "pk")
        )


class DirectorateList(generics.ListAPIView):
    """Directorates (the optional tier above heads of service) with their director and heads
    of service: the structure the reading pages show everyone signed in."""

    serializer_class = serializers.DirectorateSerializer

    def get_queryset(self) -> QuerySet[Directorate]:
        heads = HeadOfService.objects.order_by("name")
        return Directorate.objects.prefetch_related(
            Prefetch("heads_of_service", queryset=heads)
        ).order_by("name", "pk")


@extend_schema(
    parameters=[
        OpenApiParameter("directorate", str, description="A directorate's name."),
        COMMITTEE,
    ]
)
class HeadOfServiceList(generics.ListAPIView):
    """Heads of service: the portfolio, the officer who leads it (by name, as the pages show
    it: never their account), its directorate and its services by code."""

    serializer_class = serializers.HeadOfServiceSerializer

    def get_queryset(self) -> QuerySet[HeadOfService]:
        heads = HeadOfService.objects.select_related("directorate").prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("code", "pk"))
        )
        if directorate := self.request.query_params.get("directorate"):
            heads = heads.filter(directorate__name=directorate)
        if (committee := whole_number(self.request, "committee")) is not None:
            heads = heads.filter(services__committees=committee).distinct()
        return heads.order_by("name", "pk")


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
        PRIORITY,
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
            services_filter(self.request, "service__")
        )
        if (year := whole_number(self.request, "year")) is not None:
            plans = plans.filter(year__start_year=year)
        if status := self.request.query_params.get("status"):
            plans = plans.filter(status=status)
        if (wanted := priority(self.request)) is not None:
            # Plans that deliver the priority: through an objective or an action.
            plans = plans.filter(Q(objectives__priorities=wanted) | Q(actions__priorities=wanted))
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


@extend_schema(parameters=[YEAR, AS_AT, SERVICE, HEAD_OF_SERVICE, COMMITTEE, PRIORITY])
class IndicatorList(generics.ListAPIView):
    """Indicators as at a month: the period due, its target and actual, the RAG status, the
    forecast outturn and its RAG, the direction of travel against the period before and the
    same period last year, and whether the figure is provisional or signed off. Only services
    whose performance the person may read: those with a published plan for the year, and
    their own."""

    serializer_class = serializers.IndicatorStatusSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        self.year = year_or_current(self.request)
        self.as_at = as_at(self.request, self.year)
        wanted_priority = priority(self.request)
        if self.as_at is None:
            return Indicator.objects.none()
        services = services_readable_by(self.request.user, self.year).filter(
            services_filter(self.request)
        )
        return indicators_in_order(year=self.year, services=services, priority=wanted_priority)

    def list(self, request: Request, *args, **kwargs) -> Response:
        # The statuses of the page's indicators only: the cost of a page is the same however
        # many indicators the council has.
        page = self.paginate_queryset(self.get_queryset())
        statuses = statuses_of(page, year=self.year, as_at=self.as_at) if page else []
        return self.get_paginated_response(self.get_serializer(statuses, many=True).data)
