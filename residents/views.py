"""Pages for residents, without signing in: the council's published plans, its performance by
service and by corporate priority, its published reports and a link to the open data.

Each page reads through the residents' rules, one home each: published plans only
(plans.access.plans_public, services_public), the figures residents may read and no internal
commentary (the performance selectors' residents mode, performance.access), officers' names only
when the council shows them (organisation.access.public_shows_names), reports published to
members (reports.access.reports_public). Every page is the same for every reader:
residents.pages caches it and limits how many one address has made.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from budgets.selectors import service_resources
from organisation.access import public_shows_names
from organisation.models import FinancialYear
from performance.access import public_commentary
from performance.charts import trend_chart
from performance.selectors import (
    StatusCounts,
    head_of_service_summaries,
    indicator_statuses,
    indicator_trends,
    latest_reported_month,
)
from plans import browse, progress
from plans.access import PLAN_RELATED, plans_public, services_public
from plans.models import ServicePlan
from reports import tasks
from reports.access import reports_public
from residents.pages import OPEN_DATA_PATH, public_file, public_page


def _year(request: HttpRequest) -> tuple[FinancialYear | None, list[FinancialYear]]:
    """The year asked for (?year=2012), else the current one, among years with a published
    plan; residents never see a year with nothing published."""
    years = list(FinancialYear.objects.filter(pk__in=plans_public().values("year_id")))
    years.sort(key=lambda year: year.start_year, reverse=True)
    wanted = request.GET.get("year", "")
    chosen = next((y for y in years if wanted.isdecimal() and y.start_year == int(wanted)), None)
    current = next((y for y in years if y.is_current), years[0] if years else None)
    return chosen or current, years


def _published_plans(year: FinancialYear):
    return (
        plans_public()
        .filter(year=year)
        .select_related("service__head_of_service", "year")
        .order_by("service__head_of_service__name", "service__name")
    )


def _context(**values) -> dict:
    return {"shows_names": public_shows_names(), "open_data_path": OPEN_DATA_PATH, **values}


@public_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Residents: the council, the year, and where to read its plans, performance and reports."""
    year, years = _year(request)
    as_at = latest_reported_month(year, residents=True) if year else None
    summaries = []
    if as_at:
        summaries = head_of_service_summaries(
            year=year, as_at=as_at, services=services_public(year), residents=True
        )
    context = _context(
        year=year,
        years=years,
        plan_count=_published_plans(year).count() if year else 0,
        as_at=as_at,
        counts=_total_counts(summaries),
        report_count=reports_public().count(),
    )
    return render(request, "residents/home.html", context)


def _total_counts(summaries) -> StatusCounts:
    total = StatusCounts()
    for summary in summaries:
        total += summary.counts
    return total


@public_page
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    """Residents: the year's published plans, by head of service."""
    year, years = _year(request)
    plans = list(_published_plans(year)) if year else []
    context = _context(year=year, years=years, plans=plans)
    return render(request, "residents/plan_list.html", context)


@public_page
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Residents: a published plan, its progress, resources and indicators; any other plan,
    404."""
    plan = get_object_or_404(
        plans_public()
        .select_related(*PLAN_RELATED)
        .prefetch_related(
            "objectives__priorities",
            "actions__objective",
            "actions__milestones",
            "projects",
            "risks",
            "consultations",
            "work_streams",
        ),
        pk=pk,
    )
    _attach_progress(plan, progress.plan_progress(plan))
    as_at = latest_reported_month(plan.year, residents=True)
    statuses = []
    if as_at:
        statuses = indicator_statuses(
            year=plan.year, as_at=as_at, services=[plan.service], residents=True
        )
    context = _context(
        plan=plan,
        resources=service_resources(service=plan.service, year=plan.year),
        as_at=as_at,
        statuses=statuses,
        charts=_charts(statuses, plan.year, as_at),
        other_years=plans_public()
        .filter(service_id=plan.service_id)
        .exclude(pk=plan.pk)
        .select_related("year")
        .order_by("-year__start_year"),
        pdf=reports_public().filter(plan=plan).first(),
    )
    return render(request, "residents/plan_detail.html", context)


def _attach_progress(plan: ServicePlan, items: dict[str, progress.Item]) -> None:
    """Each action, milestone, project and risk of the (prefetched) plan gets its progress as
    residents read it: its latest update's commentary only if its author did not mark it
    internal."""
    for item in items.values():
        if item.latest is not None:
            latest = item.latest
            latest.commentary = public_commentary(
                latest.commentary, internal=latest.commentary_internal
            )
    parts = [*plan.actions.all(), *plan.projects.all(), *plan.risks.all()]
    parts += [milestone for action in plan.actions.all() for milestone in action.milestones.all()]
    for part in parts:
        part.progress = items.get(part.reference)


def _charts(statuses, year, as_at):
    if not statuses:
        return []
    indicators = [status.indicator for status in statuses]
    trends = indicator_trends(indicators=indicators, year=year, as_at=as_at, residents=True)
    return [(status, trend_chart(trends[status.indicator.pk])) for status in statuses]


@public_page
@require_safe
def performance(request: HttpRequest) -> HttpResponse:
    """Residents: green, amber and red counts by head of service and service, and the
    corporate priorities to read performance by."""
    year, years = _year(request)
    as_at = latest_reported_month(year, residents=True) if year else None
    summaries = []
    if as_at:
        summaries = head_of_service_summaries(
            year=year, as_at=as_at, services=services_public(year), residents=True
        )
    priorities = list(browse.priorities_for(year)) if year else []
    context = _context(
        year=year, years=years, as_at=as_at, summaries=summaries, priorities=priorities
    )
    return render(request, "residents/performance.html", context)


@public_page
@require_safe
def service_performance(request: HttpRequest, pk: int) -> HttpResponse:
    """Residents: a service's indicators with their trends, for a year it has a published plan
    for; any other service, 404."""
    year, years = _year(request)
    if year is None:
        raise Http404("No plan has been published yet.")
    service = get_object_or_404(services_public(year).select_related("head_of_service"), pk=pk)
    as_at = latest_reported_month(year, residents=True)
    statuses = []
    if as_at:
        statuses = indicator_statuses(year=year, as_at=as_at, services=[service], residents=True)
    context = _context(
        service=service,
        plan=plans_public().filter(service=service, year=year).first(),
        year=year,
        years=years,
        as_at=as_at,
        statuses=statuses,
        charts=_charts(statuses, year, as_at),
    )
    return render(request, "residents/service_performance.html", context)


@public_page
@require_safe
def priority_performance(request: HttpRequest, pk: int) -> HttpResponse:
    """Residents: a corporate priority — the published plans' objectives and actions that
    deliver it, and its indicators with their trends."""
    year, years = _year(request)
    if year is None:
        raise Http404("No plan has been published yet.")
    priority = get_object_or_404(browse.priorities_for(year), pk=pk)
    as_at = latest_reported_month(year, residents=True)
    statuses = []
    if as_at:
        statuses = indicator_statuses(
            year=year,
            as_at=as_at,
            services=services_public(year),
            priority=priority,
            residents=True,
        )
    context = _context(
        priority=priority,
        year=year,
        years=years,
        thread=browse.priority_thread(priority, year),
        as_at=as_at,
        statuses=statuses,
        charts=_charts(statuses, year, as_at),
    )
    return render(request, "residents/priority_performance.html", context)


@public_page
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """Residents: the reports released to them, newest first, with their files."""
    reports = list(reports_public()[:100])
    return render(request, "residents/report_list.html", _context(reports=reports))


@public_file
@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Residents: the file of a report released to them; any other, 404."""
    row = get_object_or_404(reports_public(), pk=pk)
    return tasks.storage.file_response(row)
