"""Officers record their services' performance figures: a grid per service and period, and
an upload of a CSV or XLSX file that reuses the import service.

Each view's docstring says who may use it; services come from Service.objects.editable_by, so
another service's page is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from organisation.models import FinancialYear, Service
from performance import periods
from performance.charts import trend_chart
from performance.forms import FigureForm, UploadForm, draft_indicator_formset
from performance.selectors import (
    draft_indicator_rows,
    entry_rows,
    figures_due,
    head_of_service_summaries,
    indicator_statuses,
    indicator_trends,
    latest_reported_month,
)
from performance.services import (
    FiguresChanged,
    IndicatorCodeTaken,
    IndicatorsChanged,
    draft_indicators_fingerprint,
    figures_fingerprint,
    import_actuals,
    record_figures,
    save_draft_indicators,
)
from plans.access import services_readable_by
from plans.models import ServicePlan
from spreadsheets.reader import ImportRejected


def _editable_services(request: HttpRequest):
    services = Service.objects.editable_by(request.user)
    if not services.exists():
        raise PermissionDenied
    return services


@login_required
def figures_overview(request: HttpRequest) -> HttpResponse:
    """Editors of at least one service: the figures due for each of their services."""
    services = _editable_services(request)
    year = FinancialYear.objects.filter(is_current=True).first()
    due = figures_due(services=services, year=year, today=timezone.localdate()) if year else []
    return render(request, "performance/figures_overview.html", {"year": year, "due": due})


@login_required
def figures_entry(request: HttpRequest, service_pk: int, period: str) -> HttpResponse:
    """Editors of the service: the grid of indicators due in a period."""
    service = get_object_or_404(_editable_services(request), pk=service_pk)
    try:
        period = periods.parse(period)
    except ValueError as error:
        raise Http404(str(error)) from error
    year = get_object_or_404(FinancialYear, start_year=period.financial_year)
    if period.end_date > timezone.localdate():
        raise Http404("This period has not ended yet.")
    rows = entry_rows(service=service, year=year, period=period)
    data = request.POST if request.method == "POST" else None
    forms = [FigureForm(data, status=row, prefix=f"i{row.indicator.pk}") for row in rows]
    indicators = [row.indicator for row in rows]
    base = request.POST.get("base", "") if data else figures_fingerprint(indicators, period)
    conflict = False
    if request.method == "POST" and all(form.is_valid() for form in forms):
        entries = [form.entry() for form in forms if not form.is_blank]
        try:
            changed = record_figures(
                period=period, entries=entries, base=base, entered_by=request.user
            )
        except FiguresChanged:
            conflict = True
            rows = entry_rows(service=service, year=year, period=period)
            base = figures_fingerprint(indicators, period)
        else:
            messages.success(request, f"{changed} figure{'s' if changed != 1 else ''} saved.")
            return redirect("performance:figures-entry", service_pk=service.pk, period=period.name)
    context = {
        "service": service,
        "year": year,
        "period": period,
        "rows": list(zip(rows, forms, strict=True)),
        "base": base,
        "conflict": conflict,
        "has_errors": any(form.errors for form in forms),
    }
    return render(
        request, "performance/figures_entry.html", context, status=409 if conflict else 200
    )


@login_required
def figures_upload(request: HttpRequest) -> HttpResponse:
    """Editors of at least one service: import figures for their own services from a file."""
    services = _editable_services(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # The file name only tells CSV from XLSX; nothing is written to disk.
            result = import_actuals(
                content=upload.read(),
                filename=upload.name,
                entered_by=request.user,
                services=services,
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"Figures imported: {result.describe()}")
            return redirect("performance:figures-overview")
    return render(request, "performance/figures_upload.html", {"form": form, "errors": errors})


@login_required
def plan_indicators_edit(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Editors of the service: the indicators a draft plan proposes and their targets for its
    year. They take effect when the plan is published."""
    plan = get_object_or_404(
        ServicePlan.objects.editable_by(request.user).select_related("service", "year"),
        pk=plan_pk,
    )
    if not plan.is_editable:
        messages.info(request, f"This plan is {plan.get_status_display().lower()}: read only.")
        return redirect("plans:plan-workspace", pk=plan.pk)
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
            return redirect("performance:plan-indicators", plan_pk=plan.pk)
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


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: green/amber/red counts by head of service and service (Part 3a/3b)."""
    year, years, as_at, months = _reading_year_and_month(request)
    summaries = []
    if year and as_at:
        services = services_readable_by(request.user, year)
        summaries = head_of_service_summaries(year=year, as_at=as_at, services=services)
    context = {
        "year": year,
        "years": years,
        "as_at": as_at,
        "months": months,
        "summaries": summaries,
    }
    return render(request, "performance/overview.html", context)


@login_required
def service_performance(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in, for a service whose performance they may read: its indicators."""
    year, years, as_at, months = _reading_year_and_month(request)
    if year is None:
        raise Http404("No financial year has been set up.")
    service = get_object_or_404(
        services_readable_by(request.user, year).select_related("head_of_service"), pk=pk
    )
    statuses = indicator_statuses(year=year, as_at=as_at, services=[service]) if as_at else []
    trends = indicator_trends(indicators=[s.indicator for s in statuses], year=year, as_at=as_at)
    context = {
        "service": service,
        "year": year,
        "years": years,
        "as_at": as_at,
        "months": months,
        "statuses": statuses,
        "charts": [(s, trend_chart(trends[s.indicator.pk])) for s in statuses],
    }
    return render(request, "performance/service.html", context)


@login_required
def corporate(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: the corporate indicators of the services they may read."""
    year, years, as_at, months = _reading_year_and_month(request)
    statuses = []
    if year and as_at:
        services = services_readable_by(request.user, year)
        statuses = indicator_statuses(
            year=year, as_at=as_at, services=services, corporate_only=True
        )
    context = {"year": year, "years": years, "as_at": as_at, "months": months, "statuses": statuses}
    return render(request, "performance/corporate.html", context)
