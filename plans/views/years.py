"""The years page: financial years, which one is current, their monitoring points and the
planning round's deadlines, and opening the round. Administrators only (403 for everyone
else). Every change goes through organisation.services or plans.rounds.

Each view's docstring says who may use it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from organisation import services
from organisation.models import FinancialYear, MonitoringPoint
from plans import rounds as planning_round
from plans.access import require_administrator
from plans.forms import PlanDeadlinesForm


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    """Administrators: the years, the current one, their points and deadlines."""
    require_administrator(request)
    return _page(request, _deadlines_form(None))


def _page(request: HttpRequest, form: PlanDeadlinesForm, status: int = 200) -> HttpResponse:
    years = list(
        FinancialYear.objects.prefetch_related(
            Prefetch("monitoring_points", queryset=MonitoringPoint.objects.order_by("as_at"))
        )
    )
    context = {
        "years": years,
        "planned": planning_round.year_being_planned(years),
        "form": form,
        "next_label": _next_label(years),
    }
    return render(request, "plans/years.html", context, status=status)


def _next_label(years: list[FinancialYear]) -> str:
    return str(FinancialYear(start_year=years[-1].start_year + 1)) if years else "the first year"


def _deadlines_form(data) -> PlanDeadlinesForm:
    if data is not None:
        return PlanDeadlinesForm(data)
    planned = planning_round.year_being_planned(list(FinancialYear.objects.all()))
    initial = {}
    if planned:
        initial = {
            "year": planned,
            "plans_due": planned.plans_due,
            "approvals_due": planned.approvals_due,
        }
    return PlanDeadlinesForm(initial=initial)


@login_required
@require_POST
def year_create(request: HttpRequest) -> HttpResponse:
    """Administrators: create the year after the latest, with its usual monitoring points."""
    require_administrator(request)
    year = services.create_next_year()
    points = ", ".join(point.name for point in year.monitoring_points.all()) or "none"
    messages.success(request, f"{year} created, with its monitoring points: {points}.")
    return redirect("plans:years")


@login_required
@require_POST
def year_make_current(request: HttpRequest, start_year: int) -> HttpResponse:
    """Administrators: make this the current year (the old one stops being current)."""
    require_administrator(request)
    year = get_object_or_404(FinancialYear, start_year=start_year)
    old = FinancialYear.objects.filter(is_current=True).exclude(pk=year.pk).first()
    services.make_current(year=year)
    was = f"; {old} is no longer current" if old else ""
    messages.success(request, f"{year} is now the current year{was}.")
    return redirect("plans:years")


@login_required
@require_POST
def year_deadlines(request: HttpRequest) -> HttpResponse:
    """Administrators: set when a year's plans are due for submission and approval."""
    require_administrator(request)
    form = PlanDeadlinesForm(request.POST)
    if not _set_deadlines(form):
        return _page(request, form, status=400)
    year = form.cleaned_data["year"]
    messages.success(request, f"Deadlines for {year}'s plans saved: {_described(year)}.")
    return redirect("plans:years")


@login_required
@require_POST
def round_open(request: HttpRequest) -> HttpResponse:
    """Administrators: open the round for a year: save its deadlines and roll forward, in the
    background, every published plan of the year before without a plan for the year."""
    require_administrator(request)
    form = PlanDeadlinesForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["year"]
    try:
        job = planning_round.open_round(
            year=year,
            by=request.user,
            plans_due=form.cleaned_data["plans_due"],
            approvals_due=form.cleaned_data["approvals_due"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _page(request, form, status=400)
    except planning_round.RoundRefused as refused:
        messages.error(request, str(refused))
        return redirect("plans:years")
    if job is None:
        messages.success(
            request,
            f"The {year} round is open: deadlines saved ({_described(year)}). There is no year "
            "before to roll plans forward from: each service's editors start its plan from their "
            "home page.",
        )
        return redirect("plans:years")
    messages.success(
        request,
        f"The {year} round is open: deadlines saved ({_described(year)}); last year's published "
        "plans are being rolled forward in the background. Progress is shown below.",
    )
    return redirect(f"{reverse('plans:planning-round')}?year={year.start_year}#round-progress")


def _set_deadlines(form: PlanDeadlinesForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.set_plan_deadlines(
            year=form.cleaned_data["year"],
            plans_due=form.cleaned_data["plans_due"],
            approvals_due=form.cleaned_data["approvals_due"],
        )
    except ValidationError as error:
        _add_errors(form, error)
        return False
    return True


def _add_errors(form: PlanDeadlinesForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _described(year: FinancialYear) -> str:
    def day(date) -> str:
        return date.strftime("%-d %B %Y") if date else "none"

    return f"submission by {day(year.plans_due)}, approval by {day(year.approvals_due)}"
