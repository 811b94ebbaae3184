"""Officers record their services' performance figures: a grid per service and period, and
an upload of a CSV or XLSX file that reuses the import service. Each indicator's figures have
a history; heads of service sign off a service's figures for a period.

Each view's docstring says who may use it; services come from performance.access, so
another service's page is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from organisation.models import FinancialYear
from performance import periods
from performance.access import may_sign_off, service_for_sign_off, services_for_figures
from performance.forms import FigureForm, UploadForm
from performance.models import FigureChange, Indicator
from performance.selectors import (
    entry_rows,
    figure_history,
    figures_due,
    sign_off_of,
    why_not_ready_for_sign_off,
)
from performance.services import (
    FiguresChanged,
    FiguresRefused,
    SignOffRefused,
    describe_sign_off,
    figures_fingerprint,
    import_actuals,
    record_figures,
    sign_off_figures,
)
from spreadsheets.reader import ImportRejected


@login_required
def figures_overview(request: HttpRequest) -> HttpResponse:
    """Editors of at least one service: the figures due for each of their services."""
    services = services_for_figures(request)
    year = FinancialYear.objects.filter(is_current=True).first()
    due = figures_due(services=services, year=year, today=timezone.localdate()) if year else []
    context = {
        "year": year,
        "due": due,
        "may_sign_off": {row.service.pk for row in due if may_sign_off(request.user, row.service)},
    }
    return render(request, "performance/figures_overview.html", context)


@login_required
def figures_entry(request: HttpRequest, service_pk: int, period: str) -> HttpResponse:
    """Editors of the service: the grid of indicators due in a period."""
    service = get_object_or_404(
        services_for_figures(request).select_related("head_of_service"), pk=service_pk
    )
    period, year = _ended_period(period)
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
        except FiguresRefused as refused:
            for form in forms:
                for field, message in refused.problems.get(form.status.indicator.pk, {}).items():
                    form.add_error(field, message)
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
        "sign_off": sign_off_of(service=service, period=period),
        "may_sign_off": may_sign_off(request.user, service),
    }
    return render(
        request, "performance/figures_entry.html", context, status=409 if conflict else 200
    )


def _ended_period(name: str) -> tuple[periods.Period, FinancialYear]:
    """The period named in the URL ("2012-08"), which must have ended, and its year; 404
    otherwise."""
    try:
        period = periods.parse(name)
    except ValueError as error:
        raise Http404(str(error)) from error
    year = get_object_or_404(FinancialYear, start_year=period.financial_year)
    if period.end_date > timezone.localdate():
        raise Http404("This period has not ended yet.")
    return period, year


@login_required
def indicator_history(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    """Editors of the indicator's service (its officers, its head of service, administrators):
    every change to its figures, by whom, when and how, with what it was before."""
    indicator = get_object_or_404(
        Indicator.objects.filter(service__in=services_for_figures(request)).select_related(
            "service"
        ),
        pk=indicator_pk,
    )
    context = {"indicator": indicator, "history": figure_history(indicator=indicator)}
    return render(request, "performance/figure_history.html", context)


@login_required
def sign_off(request: HttpRequest, service_pk: int, period: str) -> HttpResponse:
    """Heads of service, for their own services, and administrators: a service's figures for
    a period, and the button that signs them off. The figures must be the ones shown: any
    changed since the page was opened refuse the sign-off (409)."""
    service = service_for_sign_off(request, service_pk)
    period, year = _ended_period(period)
    problem, status = "", 200
    if request.method == "POST":
        try:
            sign_off_figures(
                service=service, period=period, by=request.user, base=request.POST.get("base", "")
            )
        except FiguresChanged:
            problem = (
                "The figures changed after you opened this page, so they were not signed off. "
                "Check them as they are now, below, and sign off again."
            )
            status = 409
        except SignOffRefused as refused:
            problem = str(refused)
        else:
            messages.success(
                request, f"The figures of {service} for {period.month_label} are signed off."
            )
            return redirect("performance:sign-off", service_pk=service.pk, period=period.name)
    rows = entry_rows(service=service, year=year, period=period)
    signed = sign_off_of(service=service, period=period)
    context = {
        "service": service,
        "period": period,
        "rows": rows,
        "base": figures_fingerprint([row.indicator for row in rows], period),
        "sign_off": signed,
        "signed_off": describe_sign_off(signed) if signed else "",
        "not_ready": why_not_ready_for_sign_off(service=service, period=period, rows=rows),
        "problem": problem,
    }
    return render(request, "performance/sign_off.html", context, status=status)


@login_required
def figures_upload(request: HttpRequest) -> HttpResponse:
    """Editors of at least one service: import figures for their own services from a file."""
    services = services_for_figures(request)
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
                route=FigureChange.Route.UPLOAD,
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"Figures imported: {result.describe()}")
            return redirect("performance:figures-overview")
    return render(request, "performance/figures_upload.html", {"form": form, "errors": errors})
