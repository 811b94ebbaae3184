"""Pages for reading published plans: home, a plan, and browsing by committee, head of
service, service and corporate priority, and search. Anyone signed in may read published
plans; staff also read their own services' other versions (plans.access)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from budgets.downloads import figure_table_columns, figure_table_rows
from budgets.selectors import (
    budget_risks,
    budget_table,
    savings_plan_table,
    service_resources,
    staffing_table,
)
from organisation import content_versions, reporting_calendar
from organisation.access import is_administrator, services_editable_by
from organisation.models import Committee, FinancialYear, HeadOfService, Priority, Service
from performance.charts import trend_chart
from performance.selectors import (
    draft_indicator_changes,
    draft_indicator_rows,
    figures_awaiting_sign_off,
    figures_due,
    indicator_statuses,
    indicator_trends,
    indicators_in_order,
    latest_reported_month,
    search_indicators,
    statuses_of,
)
from plans import browse, progress, selectors
from plans.access import PLAN_RELATED, plan_for_reader, revision_of, services_readable_by
from plans.models import ServicePlan
from plans.sections import empty_sections
from spreadsheets.downloads import download, requested_format


def _reading_year(request: HttpRequest) -> tuple[FinancialYear | None, list[FinancialYear]]:
    """The year asked for (?year=2012), else the current one, among years with published plans."""
    years = list(browse.reading_years())
    wanted = request.GET.get("year", "")
    chosen = next((y for y in years if wanted.isdecimal() and y.start_year == int(wanted)), None)
    current = next((y for y in years if y.is_current), years[0] if years else None)
    return chosen or current, years


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: their plans and what awaits them; members, the published plans."""
    year = selectors.current_year()
    years = list(FinancialYear.objects.filter(start_year__gte=year.start_year)[:2]) if year else []
    user = request.user
    administrator = is_administrator(user)
    # Administrators follow every plan in the planning round rather than a list of 'theirs'.
    mine = [] if administrator else selectors.my_plans(user, years)
    # The published plans and, before any is published, last year's: for readers with no plans
    # of their own (the page lists them only for those). A query each, whatever is published.
    published = list(browse.published_plans(year)) if year and not mine else []
    last_year = _last_year_with_plans(year) if year and not mine else None
    context = {
        "current_year": year,
        "is_administrator": administrator,
        "my_plans": [(plan, empty_sections(plan)) for plan in mine],
        "to_start": [] if administrator else selectors.plans_to_start(user, years),
        "awaiting_approval": selectors.plans_awaiting_approval(user),
        "figures_due": _oldest_figures_due(user, year) if year and not administrator else [],
        # A head of service's figures still to check; administrators see them on the figures
        # overview instead (every service, every month would drown this page).
        "awaiting_sign_off": [] if administrator else figures_awaiting_sign_off(user)[:SHOWN],
        "updates_due": _updates_due(user, year) if year and not administrator else [],
        "today": timezone.localdate(),
        "published": published,
        "last_year": last_year,
    }
    return render(request, "plans/home.html", context)


# The longest list a home page shows; each links to a page with the rest.
SHOWN = 12


def _last_year_with_plans(year: FinancialYear | None) -> FinancialYear | None:
    """The latest year before `year` with a published plan (one query; None without)."""
    if year is None:
        return None
    return (
        FinancialYear.objects.filter(start_year__lt=year.start_year, plans__status="published")
        .order_by("-start_year")
        .first()
    )


def _updates_due(user, year):
    """The progress updates an officer still owes for the monitoring point being worked to."""
    point = reporting_calendar.current_point(year, timezone.localdate())
    if point is None:
        return []
    return progress.updates_due(services_editable_by(user), point)


def _oldest_figures_due(user, year):
    """Per service the user edits, the earliest ended period with figures still missing."""
    services = services_editable_by(user)
    oldest = {}
    for row in figures_due(services=services, year=year, today=timezone.localdate()):
        if row.missing and row.service.pk not in oldest:
            oldest[row.service.pk] = row
    return list(oldest.values())


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in, for published plans; staff also for their own services' versions.
    A superseded version's address leads those who may not read it to the version now
    published, saying when the plan was revised."""
    try:
        plan = plan_for_reader(request, pk)
    except Http404:
        revision = revision_of(pk) if request.user.is_authenticated else None
        if revision is None:
            raise
        # "revised on 7 March 2013": the day the committee endorsed it, as its title says.
        revised = revision.revision_label or "revised"
        messages.info(request, f"This plan was {revised}: this is the version now published.")
        return redirect("portal:plan-detail", revision.pk)
    if plan.status != ServicePlan.Status.PUBLISHED:
        as_at = latest_reported_month(plan.year)
        return render(
            request, "plans/plan_detail.html", {"plan": plan, "body": _plan_body(plan, as_at)}
        )
    context = {
        "plan": plan,
        "body": _published_body(plan),
        "may_record_progress": progress.may_record_progress(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _published_body(plan: ServicePlan) -> str:
    """The published plan's body, the same for every reader, made once and kept in the shared
    cache. What differs by reader (the header with their name, the sign-out form's CSRF token,
    the "Record progress" button, messages) is rendered around it for each request.

    The body is kept under the plan's key with a stamp of what it shows: the plan and when it
    last changed, the service's content version (a figure, sign-off or progress update of the
    service, or a change across the council, draws a new one: organisation.content_versions),
    the month it reports as at, and the day (overdue items and the month "as at" move with the
    date). It is read in the same round trip as the versions and used only when its stamp is
    the one they make now; after every write through the product's services it is not, so
    PLAN_PAGE_CACHE_SECONDS only bounds how long a change made behind the product's back (in
    the database itself) may go unseen. One body per plan is kept: a new one replaces it."""
    today = timezone.localdate().isoformat()
    month_key, body_key = f"latest-reported-month:{plan.year_id}:{today}", f"plan-body:{plan.pk}"
    service_version, figures_version, kept = content_versions.versions(
        plan.service_id, along_with=[month_key, body_key]
    )
    as_at = _latest_reported_month(plan.year, figures_version, month_key, kept.get(month_key))
    stamp = ":".join(
        [str(plan.updated_at.timestamp()), service_version, as_at.name if as_at else "-", today]
    )
    kept_stamp, body = kept.get(body_key, (None, None))
    if kept_stamp != stamp:
        body = _plan_body(plan, as_at)
        cache.set(body_key, (stamp, body), settings.PLAN_PAGE_CACHE_SECONDS)
    return body


def _latest_reported_month(year: FinancialYear, figures_version: str, key: str, kept):
    """latest_reported_month, kept in the shared cache with the version of the figures it was
    found in (read with the versions, in their round trip): found again once a figure is
    written anywhere."""
    if kept is not None and kept[0] == figures_version:
        found = kept[1]
    else:
        found = latest_reported_month(year) or NO_MONTH
        cache.set(key, (figures_version, found), settings.PLAN_PAGE_CACHE_SECONDS)
    return None if found == NO_MONTH else found


NO_MONTH = "none"  # kept for a year with no figure yet: None means "not in the cache"


def _plan_body(plan: ServicePlan, as_at) -> str:
    plan = (
        ServicePlan.objects.select_related(*PLAN_RELATED)
        .prefetch_related(
            "objectives__priorities",
            "actions__objective",
            "actions__milestones",
            "projects",
            "risks",
            "consultations",
            "work_streams",
        )
        .get(pk=plan.pk)
    )
    published = plan.status == ServicePlan.Status.PUBLISHED
    if published:
        _attach_progress(plan, progress.plan_progress(plan))
    statuses = (
        indicator_statuses(year=plan.year, as_at=as_at, services=[plan.service]) if as_at else []
    )
    trends = indicator_trends(
        indicators=[status.indicator for status in statuses], year=plan.year, as_at=as_at
    )
    context = {
        "plan": plan,
        "resources": service_resources(service=plan.service, year=plan.year),
        "as_at": as_at,
        "indicators": [(status, trend_chart(trends[status.indicator.pk])) for status in statuses],
        "indicator_statuses": statuses,
        "other_published": browse.published_versions(plan.service).exclude(pk=plan.pk),
        "shows_progress": published,
        "left_behind": progress.not_carried_forward(plan) if published else [],
        "last_year": progress.last_years_plan(plan) if published else None,
        # Staff reading a draft see what it would change; members never read a draft.
        "indicator_changes": []
        if plan.status == ServicePlan.Status.PUBLISHED
        else draft_indicator_changes(
            draft_indicator_rows(service=plan.service, year=plan.year, version=plan.version),
            year=plan.year,
        ),
    }
    return render_to_string("plans/_plan_body.html", context)


def _attach_progress(plan: ServicePlan, items: dict[str, progress.Item]) -> None:
    """Each action, milestone, project and risk of the (prefetched) plan gets its progress, so
    the page reads it beside the part: no query per part."""
    parts = [*plan.actions.all(), *plan.projects.all(), *plan.risks.all()]
    parts += [milestone for action in plan.actions.all() for milestone in action.milestones.all()]
    for part in parts:
        part.progress = items.get(part.reference)


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: the committees and how many services each reviews."""
    return render(
        request, "plans/committee_list.html", {"committees": browse.committees_with_counts()}
    )


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in: what a committee reviews, with scope notes and published plans."""
    committee = get_object_or_404(Committee, pk=pk)
    year, years = _reading_year(request)
    rows = browse.committee_reviews(committee, year) if year else []
    context = {"committee": committee, "year": year, "years": years, "rows": rows}
    return render(request, "plans/committee_detail.html", context)


@login_required
def head_of_service_list(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: heads of service and their services."""
    year, years = _reading_year(request)
    context = {"heads": browse.heads_of_service_with_services(), "year": year, "years": years}
    return render(request, "plans/head_of_service_list.html", context)


@login_required
def head_of_service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in: a head of service's services, published plans and resources;
    ?table=staffing, budgets or savings with ?format=csv or xlsx downloads that table."""
    head = get_object_or_404(HeadOfService, pk=pk)
    year, years = _reading_year(request)
    if (file_format := requested_format(request)) and year:
        return _budgets_download(request, head, year, file_format)
    context = {
        "head": head,
        "year": year,
        "years": years,
        "rows": browse.head_of_service_services(head, year) if year else [],
        "budgets": budget_table(head_of_service=head, year=year) if year else None,
        "staffing": staffing_table(head_of_service=head, year=year) if year else None,
        "savings": savings_plan_table(head_of_service=head, year=year) if year else None,
        "risks": budget_risks(head_of_service=head, year=year) if year else None,
        # The year shown, named in the download links whichever year the page defaulted to.
        "download_query": f"year={year.start_year}" if year else "",
    }
    return render(request, "plans/head_of_service_detail.html", context)


def _budgets_download(
    request: HttpRequest, head: HeadOfService, year: FinancialYear, file_format: str
) -> HttpResponse:
    """One of the page's resources tables, as shown (404 for a table the page has not)."""
    tables = {"staffing": staffing_table, "budgets": budget_table, "savings": savings_plan_table}
    which = request.GET.get("table", "")
    if which not in tables:
        raise Http404("No such table on this page.")
    table = tables[which](head_of_service=head, year=year)
    return download(
        columns=figure_table_columns(table),
        rows=figure_table_rows(table),
        file_format=file_format,
        filename=f"{slugify(head.name)}-{which}-{year.label.replace('/', '-')}",
        sheet_title=which.capitalize(),
    )


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in: a service, its committees and its published plans by year."""
    service = get_object_or_404(Service.objects.select_related("head_of_service"), pk=pk)
    context = {
        "service": service,
        "reviews": service.reviews.select_related("committee"),
        "plans": browse.published_versions(service),
    }
    return render(request, "plans/service_detail.html", context)


@login_required
def priority_list(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: the corporate priorities of a year, by theme."""
    year, years = _reading_year(request)
    priorities = browse.priorities_for(year) if year else []
    context = {"priorities": priorities, "year": year, "years": years}
    return render(request, "plans/priority_list.html", context)


INDICATORS_PER_PAGE = 50


@login_required
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in: the golden thread of a priority, across every service."""
    priority = get_object_or_404(Priority, pk=pk)
    year, years = _reading_year(request)
    thread = browse.priority_thread(priority, year) if year else None
    as_at = latest_reported_month(year) if year else None
    page, statuses = None, []
    if as_at:
        services = services_readable_by(request.user, year)
        # A priority of a large council is measured by hundreds of indicators: a page of
        # them at a time, each page reading the figures of its own indicators only.
        indicators = indicators_in_order(year=year, services=services, priority=priority)
        page = Paginator(indicators, INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
        statuses = statuses_of(list(page.object_list), year=year, as_at=as_at)
    context = {
        "priority": priority,
        "year": year,
        "years": years,
        "thread": thread,
        "as_at": as_at,
        "statuses": statuses,
        "page": page,
        "page_query": f"year={year.start_year}" if year else "",
    }
    return render(request, "plans/priority_detail.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: published plans, objectives, actions and indicators."""
    text = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL
    year, years = _reading_year(request)
    hits = browse.search_published(text, year) if text and year else []
    indicators = []
    if text and year:
        readable = services_readable_by(request.user, year)
        indicators = search_indicators(text=text, services=readable)
    context = {
        "q": text,
        "year": year,
        "years": years,
        "hits": hits,
        "indicators": indicators,
        "total": len(hits) + len(indicators),
    }
    return render(request, "plans/search.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    """Everyone, signed in or not: the accessibility statement the regulations require."""
    return render(request, "plans/accessibility.html")
