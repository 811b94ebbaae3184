"""Performance pages that depend on plans: reading a service's figures once its plan for the
year is published, and editing the indicators a draft plan proposes.

Each view's docstring says who may use it.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify

from organisation import content_versions
from organisation.models import FinancialYear
from performance import periods
from performance.access import may_read_history
from performance.charts import trend_chart
from performance.forms import draft_indicator_formset
from performance.models import Indicator
from performance.selectors import (
    HeadOfServiceSummary,
    IndicatorStatus,
    draft_indicator_rows,
    exception_statuses,
    head_of_service_summaries,
    indicator_statuses,
    indicator_trends,
    indicators_in_order,
    latest_reported_month,
    most_reported_month,
    statuses_of,
)
from performance.services import (
    IndicatorCodeTaken,
    IndicatorsChanged,
    draft_indicators_fingerprint,
    save_draft_indicators,
)
from plans.access import plans_editable_by, services_readable_by
from plans.models import ServicePlan
from plans.progress import OffTrack, actions_off_track
from portal import downloads
from portal.views.reading import INDICATORS_PER_PAGE, NO_MONTH
from spreadsheets.downloads import download, requested_format


@login_required
def plan_indicators_edit(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Editors of the service: the indicators a draft plan proposes and their targets for its
    year. They take effect when the plan is published."""
    plan = get_object_or_404(
        plans_editable_by(request.user).select_related("service", "year"),
        pk=plan_pk,
    )
    if not plan.is_editable:
        messages.info(request, f"This plan is {plan.get_status_display().lower()}: read only.")
        return redirect("portal:plan-workspace", pk=plan.pk)
    draft = {"service": plan.service, "year": plan.year, "version": plan.version}
    rows = draft_indicator_rows(**draft)
    data = request.POST if request.method == "POST" else None
    formset = draft_indicator_formset(data, year=plan.year, rows=rows)
    base = request.POST.get("base", "") if data else draft_indicators_fingerprint(**draft)
    conflict = False
    if data and formset.is_valid():
        try:
            save_draft_indicators(**draft, rows=formset.rows(), base=base)
        except IndicatorsChanged:
            conflict = True
            base = draft_indicators_fingerprint(**draft)
        except IndicatorCodeTaken as taken:
            _show_codes_taken(formset, taken.problems)
        else:
            messages.success(request, "Indicators and targets saved in the draft.")
            return redirect("portal:plan-indicators", plan_pk=plan.pk)
    context = {
        "plan": plan,
        "form": formset,
        "base": base,
        "conflict": conflict,
        "saved": draft_indicator_rows(**draft) if conflict else None,
    }
    return render(
        request, "performance/plan_indicators.html", context, status=409 if conflict else 200
    )


def _show_codes_taken(formset, problems: dict[str, str]) -> None:
    for form in formset.forms:
        code = (getattr(form, "cleaned_data", {}).get("code") or "").casefold()
        if code in problems and form.cleaned_data.get("indicator") is None:
            form.add_error("code", problems[code])


# Reading performance: anyone signed in, for the services whose performance they may read ----


def _reading_year_and_month(request: HttpRequest):
    """?year=2012&as_at=2012-08, defaulting to the current year and its latest reported month."""
    years = list(FinancialYear.objects.order_by("-start_year"))
    wanted = request.GET.get("year", "")
    year = next((y for y in years if wanted.isdecimal() and y.start_year == int(wanted)), None)
    year = year or next((y for y in years if y.is_current), years[0] if years else None)
    if year is None:
        return None, [], None, []
    months = [
        m for m in periods.months_of_year(year.start_year) if m.end_date <= timezone.localdate()
    ]
    as_at = None
    try:
        asked = periods.parse(request.GET["as_at"]) if request.GET.get("as_at") else None
    except ValueError:
        asked = None
    if asked in months:
        as_at = asked
    return year, years, as_at or latest_reported_month(year), months


def _download_query(year, as_at) -> str:
    """The year and month shown, named in the download links: the file has the page's month
    even when the page took the latest reported one and a later month is reported meanwhile."""
    query = {"year": year.start_year, "as_at": as_at.name} if year and as_at else {}
    return urlencode(query)


# The exceptions the overview lists in full under each head of service; the rest are counted
# and found on each service's page, so the page stays short and its reads small at any size.
EXCEPTIONS_SHOWN = 5


@dataclass
class Portfolio:
    """A head of service on the overview: its counts, then what needs attention first."""

    summary: HeadOfServiceSummary
    exceptions: list[IndicatorStatus] = field(default_factory=list)
    off_track: list[OffTrack] = field(default_factory=list)

    @property
    def more_exceptions(self) -> int:
        return len(self.summary.exceptions) - len(self.exceptions)

    @property
    def off_track_shown(self) -> list[OffTrack]:
        return self.off_track[:EXCEPTIONS_SHOWN]

    @property
    def more_off_track(self) -> int:
        return len(self.off_track) - len(self.off_track_shown)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: per head of service, green/amber/red counts now and forecast, then
    the exceptions — red indicators and those forecast to end the year red, with their
    commentary, and actions off track — then each service's counts (Part 3a/3b); ?format=csv
    or xlsx downloads the counts. Without a month asked for, it opens on the latest month
    most indicators due have reported for, and says so."""
    year, years, as_at, months = _reading_year_and_month(request)
    opened_on, services, readable = None, None, {}
    if year and as_at:
        services = services_readable_by(request.user, year)
        readable = _service_ids_by_head(services)
        if not request.GET.get("as_at"):
            opened_on = _most_reported_month(year, services, readable)
            as_at = opened_on.period if opened_on else as_at
    if file_format := requested_format(request):
        summaries = (
            head_of_service_summaries(year=year, as_at=as_at, services=services) if readable else []
        )
        return download(
            columns=downloads.OVERVIEW_COLUMNS,
            rows=downloads.overview_rows(summaries),
            file_format=file_format,
            filename=downloads.filename("performance-overview", year, as_at),
            sheet_title="Performance overview",
        )
    context = {
        "year": year,
        "years": years,
        "as_at": as_at,
        "months": months,
        "sections": _portfolio_sections(year, as_at, services, readable) if readable else [],
        "opened_on": opened_on,
        "download_query": _download_query(year, as_at),
    }
    return render(request, "performance/overview.html", context)


def _service_ids_by_head(services) -> dict[int, list[int]]:
    """The readable services' ids by head of service, heads in the page's order (by name)."""
    by_head: dict[int, list[int]] = {}
    for service_id, head_id in services.order_by(
        "head_of_service__name", "head_of_service_id", "name", "pk"
    ).values_list("pk", "head_of_service_id"):
        by_head.setdefault(head_id, []).append(service_id)
    return by_head


def _most_reported_month(year, services, readable: dict[int, list[int]]):
    """most_reported_month, kept in the shared cache until a figure is written anywhere."""
    ids = [service_id for ids in readable.values() for service_id in ids]
    stamp = [year.pk, timezone.localdate(), content_versions.figures_version(), _digest(ids)]
    key = "overview-month:" + _digest(stamp)
    found = cache.get(key)
    if found is None:
        found = most_reported_month(year, services=services) or NO_MONTH
        cache.set(key, found, settings.PLAN_PAGE_CACHE_SECONDS)
    return None if found == NO_MONTH else found


def _portfolio_sections(year, as_at, services, readable: dict[int, list[int]]) -> list[str]:
    """Each head of service's section of the overview, made once for everyone who may read the
    same services and kept in the shared cache: the overview is the page most read at a
    county's size, and its counts, exceptions and service tables take a few milliseconds per
    service to make.

    A section's key holds the version of each of its services (organisation.content_versions:
    a figure, sign-off, progress update or publication of one service draws a new one, so only
    its head's section is made again; a change across the council makes them all again), the
    services the reader may read, the month shown and the day (the forecast and the overdue
    actions move with the date). PLAN_PAGE_CACHE_SECONDS only bounds how long a change made
    behind the product's back may go unseen."""
    versions = content_versions.versions_of(pk for ids in readable.values() for pk in ids)
    day = timezone.localdate()
    keys = {
        head_id: "overview-section:"
        + _digest([head_id, year.pk, as_at.name, day, *(f"{pk}={versions[pk]}" for pk in ids)])
        for head_id, ids in readable.items()
    }
    sections = cache.get_many(keys.values())
    missing = [head_id for head_id, key in keys.items() if key not in sections]
    if missing:
        made = _make_sections(year, as_at, services.filter(head_of_service__in=missing))
        new = {keys[head_id]: made.get(head_id, "") for head_id in missing}
        cache.set_many(new, settings.PLAN_PAGE_CACHE_SECONDS)
        sections.update(new)
    # A head whose services report no indicator in the year has an empty section.
    return [sections[keys[head_id]] for head_id in readable if sections[keys[head_id]]]


def _digest(parts) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def _make_sections(year, as_at, services) -> dict[int, str]:
    """The sections of the heads of these services, by head of service id."""
    summaries = head_of_service_summaries(year=year, as_at=as_at, services=services)
    return {
        portfolio.summary.head_of_service.pk: render_to_string(
            "performance/_portfolio.html", {"portfolio": portfolio, "year": year, "as_at": as_at}
        )
        for portfolio in _portfolios(summaries, year, as_at, services)
    }


def _portfolios(summaries, year, as_at, services) -> list[Portfolio]:
    """Each head of service's summary with its exceptions read in full: the first few red
    indicators (now or forecast) and the actions off track in its services' published plans
    as at the month shown."""
    portfolios = {summary.head_of_service.pk: Portfolio(summary) for summary in summaries}
    exceptions = exception_statuses(summaries, year=year, as_at=as_at, per_head=EXCEPTIONS_SHOWN)
    for head_id, statuses in exceptions.items():
        portfolios[head_id].exceptions = statuses
    plans = ServicePlan.objects.published().filter(year=year, service__in=services)
    for off_track in actions_off_track(plans=plans, as_at=as_at.end_date):
        head_id = off_track.action.plan.service.head_of_service_id
        if head_id in portfolios:
            portfolios[head_id].off_track.append(off_track)
    return list(portfolios.values())


@login_required
def service_performance(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in, for a service whose performance they may read: its indicators;
    ?format=csv or xlsx downloads the table shown."""
    year, years, as_at, months = _reading_year_and_month(request)
    if year is None:
        raise Http404("No financial year has been set up.")
    service = get_object_or_404(
        services_readable_by(request.user, year).select_related("head_of_service"), pk=pk
    )
    statuses = indicator_statuses(year=year, as_at=as_at, services=[service]) if as_at else []
    if file_format := requested_format(request):
        return download(
            columns=downloads.STATUS_COLUMNS,
            rows=downloads.status_rows(statuses),
            file_format=file_format,
            filename=downloads.filename(f"performance-{slugify(service.name)}", year, as_at),
            sheet_title="Indicators",
        )
    trends = indicator_trends(indicators=[s.indicator for s in statuses], year=year, as_at=as_at)
    context = {
        "service": service,
        "year": year,
        "years": years,
        "as_at": as_at,
        "months": months,
        "statuses": statuses,
        "charts": [(s, trend_chart(trends[s.indicator.pk])) for s in statuses],
        "history_links": may_read_history(request.user, service),
        "download_query": _download_query(year, as_at),
    }
    return render(request, "performance/service.html", context)


@login_required
def corporate(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: the corporate indicators of the services they may read; ?format=csv
    or xlsx downloads the table shown."""
    year, years, as_at, months = _reading_year_and_month(request)
    indicators, page, statuses = Indicator.objects.none(), None, []
    if year and as_at:
        services = services_readable_by(request.user, year)
        indicators = indicators_in_order(year=year, services=services, corporate_only=True)
    if file_format := requested_format(request):
        statuses = statuses_of(list(indicators), year=year, as_at=as_at) if as_at else []
        return download(
            columns=downloads.STATUS_COLUMNS,
            rows=downloads.status_rows(statuses),
            file_format=file_format,
            filename=downloads.filename("corporate-indicators", year, as_at),
            sheet_title="Corporate indicators",
        )
    if as_at:
        # A county's corporate indicators run to hundreds: a page of them at a time, each page
        # reading the figures of its own indicators only (the download has them all).
        page = Paginator(indicators, INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
        statuses = statuses_of(list(page.object_list), year=year, as_at=as_at)
    context = {
        "year": year,
        "years": years,
        "as_at": as_at,
        "months": months,
        "statuses": statuses,
        "page": page,
        "download_query": _download_query(year, as_at),
    }
    return render(request, "performance/corporate.html", context)
