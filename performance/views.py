"""Officers record their services' performance figures: a grid per service and period, and
an upload of a CSV or XLSX file that reuses the import service.

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
from performance.access import services_for_figures
from performance.forms import FigureForm, UploadForm
from performance.selectors import (
    entry_rows,
    figures_due,
)
from performance.services import (
    FiguresChanged,
    FiguresRefused,
    figures_fingerprint,
    import_actuals,
    record_figures,
)
from spreadsheets.reader import ImportRejected


@login_required
def figures_overview(request: HttpRequest) -> HttpResponse:
    """Editors of at least one service: the figures due for each of their services."""
    services = services_for_figures(request)
    year = FinancialYear.objects.filter(is_current=True).first()
    due = figures_due(services=services, year=year, today=timezone.localdate()) if year else []
    return render(request, "performance/figures_overview.html", {"year": year, "due": due})


@login_required
def figures_entry(request: HttpRequest, service_pk: int, period: str) -> HttpResponse:
    """Editors of the service: the grid of indicators due in a period."""
    service = get_object_or_404(services_for_figures(request), pk=service_pk)
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
    }
    return render(
        request, "performance/figures_entry.html", context, status=409 if conflict else 200
    )


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
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, f"Figures imported: {result.describe()}")
            return redirect("performance:figures-overview")
    return render(request, "performance/figures_upload.html", {"form": form, "errors": errors})
