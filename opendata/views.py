"""The open data pages: the index of datasets and their files.

Who may read them: anyone signed in, and anyone at all while the council's public pages are
on (organisation.access.public_pages_on); otherwise a visitor is sent to sign in. What they
read is the same for everyone: published content only (opendata.datasets).
"""

import hashlib
import re

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from opendata import formats, licence
from opendata.datasets import DATASETS, month_of, months_published
from organisation.access import public_pages_on
from organisation.council import council_settings
from organisation.models import FinancialYear
from performance.selectors import latest_reported_month
from plans.browse import reading_years

FILE = re.compile(r"(?P<slug>[a-z]+)(?P<suffix>\.csv|\.json|\.csv-metadata\.json|\.schema\.json)")
KINDS = {suffix: kind for kind, suffix in formats.SUFFIXES.items()}


def _sign_in_unless_public(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated or public_pages_on():
        return None
    return redirect_to_login(request.get_full_path())


def index(request: HttpRequest) -> HttpResponse:
    """The years and months with data, each dataset's files for the month chosen (?year=2012
    &as_at=2012-10; by default the current year's latest month with figures), what each
    column means, and the licence."""
    if refused := _sign_in_unless_public(request):
        return refused
    years = list(reading_years())
    wanted = request.GET.get("year", "")
    year = next((y for y in years if wanted.isdecimal() and y.start_year == int(wanted)), None)
    year = year or next((y for y in years if y.is_current), years[0] if years else None)
    months = months_published(year, today=timezone.localdate()) if year else []
    as_at = next((m for m in months if m.name == request.GET.get("as_at")), None)
    if year and as_at is None:
        as_at = latest_reported_month(year) or (months[-1] if months else None)
    context = {
        "years": years,
        "year": year,
        "months": months,
        "as_at": as_at,
        "datasets": [
            (
                dataset,
                {kind: formats.file_name(dataset, kind) for kind in formats.SUFFIXES},
                # When its data last changed: six queries for the three.
                dataset.last_change(year=year, as_at=as_at) if as_at else None,
            )
            for dataset in DATASETS.values()
        ],
        "licence": licence,
    }
    return render(request, "opendata/index.html", context)


def data_file(request: HttpRequest, year: int, month: str, filename: str) -> HttpResponse:
    """One file of a dataset as at a month: /open-data/2012/2012-10/performance.csv (or .json,
    .csv-metadata.json, .schema.json). The same data gives the same bytes (and ETag)."""
    if refused := _sign_in_unless_public(request):
        return refused
    financial_year = FinancialYear.objects.filter(start_year=year).first()
    if financial_year is None:
        return _not_found(f"There is no financial year {year} (the year starting in April {year}).")
    try:
        as_at = month_of(financial_year, month, today=timezone.localdate())
    except ValueError as problem:
        return _not_found(str(problem))
    found = FILE.fullmatch(filename)
    dataset = DATASETS.get(found["slug"]) if found else None
    if dataset is None:
        names = ", ".join(
            formats.file_name(each, kind) for each in DATASETS.values() for kind in ("csv", "json")
        )
        return _not_found(f"There is no file {filename!r} here. The files are: {names}.")
    kind = KINDS[found["suffix"]]
    content, last_change = formats.dataset_file(
        dataset, kind, year=financial_year, as_at=as_at, publisher=council_settings().name
    )
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    last_modified = int(last_change.timestamp()) if last_change else None
    unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if unchanged is not None:
        return unchanged
    response = HttpResponse(content, content_type=formats.CONTENT_TYPES[kind])
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if kind == "csv":
        download = f"{dataset.slug}-{financial_year.label.replace('/', '-')}-{as_at.name}.csv"
        response["Content-Disposition"] = f'attachment; filename="{download}"'
        # CSVW: where a processor finds the file's metadata.
        response["Link"] = f'<{formats.file_name(dataset, "csvw")}>; rel="describedby"'
    return response


def _not_found(message: str) -> HttpResponse:
    return HttpResponseNotFound(message + "\n", content_type="text/plain; charset=utf-8")
