"""Reads for members browsing published plans: by committee, head of service, service and
corporate priority, and search. Only published plans are ever returned, whoever asks."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.utils.safestring import SafeString

from organisation.fulltext import (
    ESCAPED_IN_SQL,
    MARK_END,
    MARK_START,
    fts5_match,
    headline_options,
    highlighted,
    search_words,
)
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
    snippet: SafeString  # the text around the match, escaped, the matching words in <mark>
    score: float  # higher is better; comparable between the hits of one search


HITS_PER_KIND = 50


def search_published(text: str, year: FinancialYear | None = None) -> list[SearchHit]:
    """Published plans, objectives and actions containing every word of `text` (stemmed:
    "licences" finds "licence", "fly-tipping" finds "Fly-tips"; whole words: "bin" does not
    find "combined"), best first, each with a highlighted snippet. Reads the stored full-text
    index (migration plans 0010): FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL.
    The user's text is only ever a list of plain words, never the engine's query syntax."""
    words = search_words(text)
    if not words:
        return []
    plans = ServicePlan.objects.published()
    if year is not None:
        plans = plans.filter(year=year)
    published = plans.order_by().values("pk").query.sql_with_params()
    search = _search_postgresql if connection.vendor == "postgresql" else _search_sqlite
    rows = []
    with connection.cursor() as cursor:
        for kind, table in SEARCHED:
            cursor.execute(*search(table, words, published))
            rows += [(kind, *row) for row in cursor.fetchall()]
    found_plans = ServicePlan.objects.select_related("service", "year").in_bulk(
        {row[2] for row in rows}
    )
    hits = [
        SearchHit(
            kind=kind,
            text=str(found_plans[plan_id]) if kind == "Plan" else title,
            plan=found_plans[plan_id],
            snippet=highlighted(snippet, escaped=connection.vendor == "postgresql"),
            score=score,
        )
        for kind, _, plan_id, title, score, snippet in rows
    ]
    return sorted(hits, key=lambda hit: -hit.score)


# What search covers: each kind's table; its FTS5 table (SQLite) is named after it + "_search".
SEARCHED = (
    ("Plan", "plans_serviceplan"),
    ("Objective", "plans_objective"),
    ("Action", "plans_action"),
)
# Per table: the plan's id, the title shown (a plan's is its name), the text of the snippet.
PLAN_ID = {"plans_serviceplan": "t.id", "plans_objective": "t.plan_id", "plans_action": "t.plan_id"}
TITLE = {"plans_serviceplan": "''", "plans_objective": "t.title", "plans_action": "t.title"}
BODY = {
    "plans_serviceplan": "concat_ws(' ', t.introduction, t.key_achievements, t.structure)",
    "plans_objective": "t.title",
    "plans_action": "t.title",
}


def _search_sqlite(table: str, words: list[str], published: tuple) -> tuple[str, list]:
    """FTS5: every word a quoted string (an implicit AND), ranked by bm25 (negated, so that
    higher is better); a plan's service name weighs ten times its body."""
    fts = f"{table}_search"
    weights = ", 10.0, 1.0" if table == "plans_serviceplan" else ""
    # A plan: a passage around the match in its body; an objective or action: its title (up
    # to 64 words, the most FTS5 gives).
    body_column, tokens = (1, 24) if table == "plans_serviceplan" else (0, 64)
    published_sql, published_params = published
    sql = f"""
        SELECT t.id, {PLAN_ID[table]}, {TITLE[table]}, -bm25({fts}{weights}) AS score,
               snippet({fts}, {body_column}, %s, %s, '…', {tokens})
        FROM {fts} JOIN {table} t ON t.id = {fts}.rowid
        WHERE {fts} MATCH %s AND {PLAN_ID[table]} IN ({published_sql})
        ORDER BY score DESC, t.id LIMIT {HITS_PER_KIND}
    """
    return sql, [MARK_START, MARK_END, fts5_match(words), *published_params]


def _search_postgresql(table: str, words: list[str], published: tuple) -> tuple[str, list]:
    """The stored search_vector (GIN index) against the words as plain terms, all required;
    ts_headline runs on the best rows only, after the LIMIT, on the escaped text."""
    # A plan: a passage around the match; an objective or action: its whole title.
    options = headline_options(whole=table != "plans_serviceplan")
    published_sql, published_params = published
    escaped_body = ESCAPED_IN_SQL.format("body")
    sql = f"""
        SELECT id, plan_id, title, score, ts_headline('english', {escaped_body}, query, %s)
        FROM (
            SELECT t.id, {PLAN_ID[table]} AS plan_id, {TITLE[table]} AS title,
                   {BODY[table]} AS body, query, ts_rank(t.search_vector, query) AS score
            FROM {table} t, plainto_tsquery('english', %s) query
            WHERE t.search_vector @@ query AND {PLAN_ID[table]} IN ({published_sql})
            ORDER BY score DESC, t.id LIMIT {HITS_PER_KIND}
        ) best
    """
    return sql, [options, " ".join(words), *published_params]
