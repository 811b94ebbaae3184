"""Reads for members browsing published plans: by committee, head of service, service and
corporate priority, and search. Only published plans are ever returned, whoever asks."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from organisation.models import (
    Committee,
    CommitteeReview,
    FinancialYear,
    HeadOfService,
    Priority,
    Service,
)
from plans.models import Action, Objective, ServicePlan


def reading_years() -> QuerySet:
    """Years with at least one published plan, newest first."""
    published = ServicePlan.objects.published().values("year_id")
    return FinancialYear.objects.filter(pk__in=published).order_by("-start_year")


def published_plans(year: FinancialYear) -> QuerySet:
    return (
        ServicePlan.objects.published()
        .filter(year=year)
        .select_related("service__head_of_service", "year")
        .order_by("service__head_of_service__name", "service__name")
    )


def published_plan_by_service(year: FinancialYear, services) -> dict[int, ServicePlan]:
    plans = published_plans(year).filter(service__in=services)
    return {plan.service_id: plan for plan in plans}


@dataclass(frozen=True)
class ReviewRow:
    review: CommitteeReview
    plan: ServicePlan | None  # the published plan of the year, if any


def committee_reviews(committee: Committee, year: FinancialYear) -> list[ReviewRow]:
    """What a committee reviews, with scope notes, and each service's published plan."""
    reviews = list(
        committee.reviews.select_related("service__head_of_service").order_by(
            "service__head_of_service__name", "service__name"
        )
    )
    plans = published_plan_by_service(year, [review.service_id for review in reviews])
    return [ReviewRow(review, plans.get(review.service_id)) for review in reviews]


def committees_with_counts() -> QuerySet:
    return Committee.objects.annotate(service_count=Count("reviews")).order_by("position", "name")


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    plan: ServicePlan | None


def head_of_service_services(head: HeadOfService, year: FinancialYear) -> list[ServiceRow]:
    services = list(head.services.prefetch_related("reviews__committee").order_by("name"))
    plans = published_plan_by_service(year, services)
    return [ServiceRow(service, plans.get(service.pk)) for service in services]


def heads_of_service_with_services() -> QuerySet:
    return HeadOfService.objects.prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name"))
    ).order_by("name")


def published_versions(service: Service) -> QuerySet:
    """The service's published plans, newest year first (superseded versions are history)."""
    return service.plans.published().select_related("year").order_by("-year__start_year")


@dataclass
class PriorityThread:
    """The golden thread of one priority in a year: objectives and actions of published
    plans that deliver it. Indicators come from the performance app."""

    priority: Priority
    objectives: list[Objective]
    actions: list[Action]


def priority_thread(priority: Priority, year: FinancialYear) -> PriorityThread:
    plans = ServicePlan.objects.published().filter(year=year)
    objectives = (
        Objective.objects.filter(plan__in=plans, priorities=priority)
        .select_related("plan__service")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("position", "id")))
        .order_by("plan__service__name", "position", "id")
    )
    direct_actions = (
        Action.objects.filter(plan__in=plans, priorities=priority)
        .exclude(objective__priorities=priority)
        .select_related("plan__service")
        .order_by("plan__service__name", "position", "id")
    )
    return PriorityThread(priority, list(objectives), list(direct_actions))


def priorities_for(year: FinancialYear) -> QuerySet:
    return Priority.objects.filter(
        first_year__lte=year.start_year, last_year__gte=year.start_year
    ).order_by("theme", "code")


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "Plan", "Objective", "Action"
    text: str
    plan: ServicePlan


def search_published(text: str, year: FinancialYear | None = None) -> list[SearchHit]:
    """Published plans, objectives and actions matching `text`: PostgreSQL full-text search
    (English stemming, ranked) where available, otherwise every word as a substring."""
    text = text.strip()[:200]
    if not text:
        return []
    plans = ServicePlan.objects.published()
    if year is not None:
        plans = plans.filter(year=year)
    hits = []
    plan_fields = ("service__name", "introduction", "key_achievements", "structure")
    for plan in _matching(plans, plan_fields, text).select_related("service", "year")[:50]:
        hits.append(SearchHit("Plan", str(plan), plan))
    for model, kind in ((Objective, "Objective"), (Action, "Action")):
        parts = model.objects.filter(plan__in=plans)
        for part in _matching(parts, ("title",), text).select_related(
            "plan__service", "plan__year"
        )[:50]:
            hits.append(SearchHit(kind, part.title, part.plan))
    return hits


def _matching(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="english")
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            queryset.annotate(rank=SearchRank(vector, query)).filter(rank__gt=0).order_by("-rank")
        )
    for word in text.split():
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset
