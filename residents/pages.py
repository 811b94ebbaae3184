"""What every public page does before its view: not found while the council's public pages are
off; served from the cache when made recently; refused (429) when one network address makes
too many; else made, and kept for the next reader.

A public page is the same for every reader (it reads nothing of the request but its path and
query), so it is cached whole, for settings.PUBLIC_PAGE_CACHE_SECONDS. The key holds each
council setting that changes what the pages show, so changing one shows at once; the
version of the reports released to residents, so releasing or withdrawing one shows at once;
and the version of everything readers are shown (organisation.content_versions), so a figure
signed off, a progress update or a plan published shows at once. PUBLIC_PAGE_CACHE_SECONDS only
bounds how long a change made behind the product's back goes unseen.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django_ratelimit.core import is_ratelimited

from organisation import content_versions
from organisation.access import public_pages_on
from organisation.council import council_settings
from reports.access import releases_version
from security.audit import client_ip

RATE_LIMIT_GROUP = "public-pages"
# Where the open data lives (the opendata app's index), linked from every public page.
OPEN_DATA_PATH = reverse_lazy("opendata:index")
CACHE_PREFIX = "public-page:1"


def cache_key(request: HttpRequest) -> str:
    council = council_settings()
    shown = (
        council.name,
        council.public_shows_provisional,
        council.public_shows_names,
        releases_version(),
        content_versions.any_content_version(),
    )
    digest = hashlib.sha256(repr((shown, request.get_full_path())).encode()).hexdigest()
    return f"{CACHE_PREFIX}:{digest}"


def _address_key(group: str, request: HttpRequest) -> str:
    return f"ip:{client_ip(request)}"


def too_many(request: HttpRequest) -> bool:
    """Count a page made for this request's network address; true beyond the minute's limit."""
    rate = f"{settings.PUBLIC_PAGES_PER_MINUTE}/m"
    return is_ratelimited(
        request, group=RATE_LIMIT_GROUP, key=_address_key, rate=rate, increment=True
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    context = {"open_data_path": OPEN_DATA_PATH}
    response = render(request, "residents/too_many_requests.html", context, status=429)
    response["Retry-After"] = "60"
    return response


def not_found(request: HttpRequest) -> HttpResponse:
    """Not found, among the public pages: said in their own layout, which links nowhere a
    resident cannot go."""
    context = {"open_data_path": OPEN_DATA_PATH}
    return render(request, "residents/not_found.html", context, status=404)


def public_page(view: Callable) -> Callable:
    """For a page residents read: 404 while public pages are off, cached, rate-limited."""

    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not public_pages_on():
            raise Http404("No such page.")
        key = cache_key(request)
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body)
        if too_many(request):
            return too_many_requests(request)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 200:
            cache.set(key, response.content, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return page


def public_file(view: Callable) -> Callable:
    """For a file residents download: 404 while public pages are off, rate-limited, never
    cached here (the file is read from storage as it is)."""

    @wraps(view)
    def download(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not public_pages_on():
            raise Http404("No such file.")
        if too_many(request):
            return too_many_requests(request)
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return not_found(request)

    return download
