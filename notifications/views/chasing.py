"""The chasing page: what is late (or due soon) across the services a person chases, who does
it, and a button to remind them now. Administrators chase every service and heads of service
their portfolio's (notifications.access); everyone else is refused (403).

Each view's docstring says who may use it.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from notifications.access import services_chased_by
from notifications.chasing import CHASED_KINDS, Row, chase, filter_choices, person_name
from notifications.filters import ChasingFilterForm
from notifications.reminders import Outstanding, outstanding, remind_now, round_items
from organisation.access import is_administrator
from organisation.models import FinancialYear, Service
from spreadsheets.downloads import download, requested_format

FILTER_KEYS = ("kind", "head", "service", "person", "show", "on")
NO_EMAIL = "no email address: told in the product only"
COLUMNS = (
    "Head of service",
    "Service",
    "What",
    "Detail",
    "Due date",
    "Working days late",
    "Who",
    "Emails",
    "Last reminder",
)


@login_required
def chasing(request: HttpRequest) -> HttpResponse:
    """Administrators (every service) and heads of service (their portfolio's services): what
    is late, grouped by head of service and service, with filters; ?format=csv or xlsx
    downloads the rows shown."""
    services = services_chased_by(request.user)
    today = _as_at(request)
    items = _outstanding(services, today)
    form = ChasingFilterForm(request.GET, choices=filter_choices(items))
    filters = form.filters()
    page = chase(items, today=today, filters=filters)
    if file_format := requested_format(request):
        return _download(page.rows, today, file_format)
    query = _filter_query(request.GET)
    context = {
        "today": today,
        # Reminders go out now: they can be sent from today's page only.
        "may_remind": today == timezone.localdate(),
        "form": form,
        "filters": filters,
        "page": page,
        "kinds": CHASED_KINDS,
        "filtered": bool(query),
        # Narrowed to some items: "show" only widens the rows, and the counts are of late ones.
        "narrowed": any(key != "show" for key in query),
        "filter_query": query.urlencode(),
        "again": request.GET.get("again", ""),
        "no_email": NO_EMAIL,
    }
    return render(request, "notifications/chasing.html", context)


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    """Administrators and heads of service, for an item of the services they chase: remind the
    people who do it now, by email at once. Once a day unless they insist (insist=1). Only the
    item's key is read from the form: the item itself is found again among what is
    outstanding today (404 if it is not, or not theirs)."""
    services = services_chased_by(request.user)
    today = timezone.localdate()
    about = request.POST.get("about", "")
    item = next((i for i in _outstanding(services, today) if i.about == about), None)
    if item is None:
        raise Http404("Nothing outstanding by that name for your services.")
    told = remind_now(item, by=request.user, today=today, insist=request.POST.get("insist") == "1")
    query = _filter_query(QueryDict(request.POST.get("filters", "")))
    what = f"{item.service}: {item.what}"
    people = item.responsible
    if told:
        messages.success(request, f"Reminder sent to {_names(people)} ({what}).")
    elif not people:
        messages.error(
            request,
            f"Nobody does {what}: the service has no editor or head of service to remind. "
            "Nothing was sent.",
        )
    else:
        messages.warning(
            request,
            f"{_names(people)} already had a reminder today ({what}), so nothing was sent. "
            "Use “Send again anyway” beside it to remind them again.",
        )
        query["again"] = about
    anchor = Row(item, today).anchor
    url = reverse("notifications:chasing")
    return redirect(f"{url}?{query.urlencode()}#{anchor}" if query else f"{url}#{anchor}")


def _as_at(request: HttpRequest) -> datetime.date:
    """The day the page is as at: ?on=YYYY-MM-DD, or today (with a message for a bad date)."""
    text = request.GET.get("on", "").strip()
    if text:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            messages.error(request, f"“{text}” is not a date like 2012-10-22: showing today.")
    return timezone.localdate()


def _outstanding(services: QuerySet[Service], today: datetime.date) -> list[Outstanding]:
    return outstanding(today, services=list(services.values_list("pk", flat=True)))


def _filter_query(data: QueryDict) -> QueryDict:
    """The page's filters alone, from a query string: what a reminder's redirect keeps."""
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if data.get(key):
            query[key] = data[key]
    return query


def _names(people: list) -> str:
    names = [person_name(person) for person in people] or ["nobody"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _download(rows: list[Row], today: datetime.date, file_format: str) -> HttpResponse:
    """Exactly the rows shown, formulas neutralised (spreadsheets.writer)."""
    lines = [
        (
            str(row.head_of_service or ""),
            row.service.name,
            row.item.what,
            row.item.detail,
            row.item.due,
            row.working_days_late,
            "; ".join(person_name(person) for person in row.people),
            "; ".join(person.email or NO_EMAIL for person in row.people),
            (
                timezone.localtime(row.item.last_reminded).strftime("%Y-%m-%d %H:%M")
                if row.item.last_reminded
                else "none yet"
            ),
        )
        for row in rows
    ]
    return download(
        columns=COLUMNS,
        rows=lines,
        file_format=file_format,
        filename=f"chasing-{today:%Y-%m-%d}",
        sheet_title="Chasing",
    )


@login_required
@require_POST
def round_remind(request: HttpRequest) -> HttpResponse:
    """Administrators, from the planning round page: remind the people who do each selected
    service's plan for the year (its editors to submit it, its head of service to approve a
    submitted one) now, by email at once; once a day each. Back to the round page."""
    if not is_administrator(request.user):
        raise PermissionDenied
    wanted = request.POST.get("year", "")
    year = (
        FinancialYear.objects.filter(start_year=int(wanted)).first() if wanted.isdecimal() else None
    )
    if year is None:
        raise Http404("No such financial year.")
    back = f"{reverse('plans:planning-round')}?{request.POST.get('filters', '')}"
    service_ids = [int(pk) for pk in request.POST.getlist("service") if pk.isdecimal()]
    if not service_ids:
        messages.error(request, "Select the services whose people to remind.")
        return redirect(back)
    today = timezone.localdate()
    told, already, nobody = [], [], []
    for item in round_items(year, service_ids, today):
        if not item.responsible:
            nobody.append(item.service.name)
        elif remind_now(item, by=request.user, today=today):
            told.append(f"{item.service.name} ({_names(item.responsible)})")
        else:
            already.append(item.service.name)
    if told:
        messages.success(request, f"Reminder sent for {_listed(told)}.")
    if already:
        messages.warning(
            request, f"Already reminded today, so nothing was sent: {_listed(already)}."
        )
    if nobody:
        messages.error(
            request, f"Nobody to remind (no editor or head of service): {_listed(nobody)}."
        )
    if not (told or already or nobody):
        messages.info(request, "Nothing to remind: the selected plans are approved or published.")
    return redirect(back)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
