"""The council's settings, as every page, report, email and due date reads them.

`council_settings()` is the one way to read them. The row (organisation.models.CouncilSettings)
is kept in Django's cache, so a page costs no query for it; saving the settings page
(organisation.services.update_council_settings) empties the cache entry. With the shared cache
of production (Redis, CACHE_URL) every web process reads the new values at once; where each
process keeps its own cache (no CACHE_URL), the others read them when their copy expires,
CACHE_SECONDS at most.

Until an administrator first saves the settings page there is no row, and the values come from
the environment (settings.COUNCIL_NAME, REPORT_LOGO, REPORT_COLOUR, MONITORING_CADENCE,
FIGURES_DUE_WORKING_DAYS, BANK_HOLIDAYS): they are the first values of a new install.
"""

import base64
import contextlib
import datetime
import functools
import mimetypes
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from organisation.models import CouncilSettings

CACHE_KEY = "organisation:council-settings:1"
LOGO_CACHE_KEY = "organisation:council-logo:1"
CACHE_SECONDS = 60
NO_ROW = "no row"  # cached when nothing is saved yet: the environment's values apply

# The name pages show when the council has none yet: a product's name, no council's.
NEUTRAL_TITLE = "Service plans"

SETTING_FIELDS = (
    "name",
    "report_colour",
    "contact_email",
    "contact_phone",
    "contact_address",
    "accessibility_prepared_on",
    "accessibility_reviewed_on",
    "accessibility_tested_on",
    "monitoring_cadence",
    "figures_due_working_days",
    "bank_holidays",
    "public_pages",
    "public_shows_provisional",
    "public_shows_names",
    "logo_type",
)


@dataclass(frozen=True)
class Council:
    """The council's settings, without the logo's bytes (council_logo_data_uri has them)."""

    name: str
    report_colour: str
    contact_email: str
    contact_phone: str
    contact_address: str
    accessibility_prepared_on: datetime.date | None
    accessibility_reviewed_on: datetime.date | None
    accessibility_tested_on: datetime.date | None
    monitoring_cadence: str
    figures_due_working_days: int
    bank_holidays: str
    public_pages: bool
    public_shows_provisional: bool
    public_shows_names: bool
    logo_type: str  # "" without a logo
    saved: bool  # False: nothing saved yet, these are the environment's values

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.contact_address)


def council_settings() -> Council:
    """The council's settings: the saved row, or the environment's values before there is one.
    Cached; no query while the cache holds them, and read from the cache once per request
    (read_once_per_request)."""
    kept = _this_request.get()
    if kept:
        return kept[0]
    values = cache.get(CACHE_KEY)
    if values is None:
        row = CouncilSettings.objects.filter(pk=1).values(*SETTING_FIELDS).first()
        values = row if row is not None else NO_ROW
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    council = environment_settings() if values == NO_ROW else Council(**values, saved=True)
    if kept is not None:
        kept.append(council)
    return council


# The settings read during the request being answered: a page asks for them several times (the
# middleware, the header, the footer), and each read from the shared cache is a round trip.
# None outside a request (commands, the report worker), which read the cache every time.
_this_request: ContextVar[list[Council] | None] = ContextVar("council_this_request", default=None)


@contextlib.contextmanager
def read_once_per_request():
    """Within this block (a request: organisation.middleware), the settings are read from the
    cache once. Saving them (forget_cached_settings) drops the copy, so the same request's
    next read sees the new values."""
    token = _this_request.set([])
    try:
        yield
    finally:
        _this_request.reset(token)


def environment_settings() -> Council:
    """The first values of a new install, from the environment (read when asked, so tests can
    change them with pytest-django's `settings`)."""
    logo = settings.REPORT_LOGO
    return Council(
        name=settings.COUNCIL_NAME,
        report_colour=settings.REPORT_COLOUR,
        contact_email="",
        contact_phone="",
        contact_address="",
        accessibility_prepared_on=None,
        accessibility_reviewed_on=None,
        accessibility_tested_on=None,
        monitoring_cadence=settings.MONITORING_CADENCE,
        figures_due_working_days=settings.FIGURES_DUE_WORKING_DAYS,
        bank_holidays=settings.BANK_HOLIDAYS,
        public_pages=False,
        public_shows_provisional=False,
        public_shows_names=False,
        logo_type=(mimetypes.guess_type(logo)[0] or "") if logo else "",
        saved=False,
    )


def council_logo_data_uri() -> str:
    """The council's logo as a data: URI, the same in a PDF and in a browser preview; "" without
    one. Cached like the settings."""
    council = council_settings()
    if not council.saved:
        return _file_logo(settings.REPORT_LOGO)
    if not council.logo_type:
        return ""
    uri = cache.get(LOGO_CACHE_KEY)
    if uri is None:
        logo = CouncilSettings.objects.filter(pk=1).values_list("logo", flat=True).first()
        uri = data_uri(bytes(logo or b""), council.logo_type)
        cache.set(LOGO_CACHE_KEY, uri, CACHE_SECONDS)
    return uri


def data_uri(content: bytes, content_type: str) -> str:
    if not content:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


@functools.cache
def _file_logo(path: str) -> str:
    if not path:
        return ""
    mime_type, _ = mimetypes.guess_type(path)
    return data_uri(Path(path).read_bytes(), mime_type or "image/png")


def forget_cached_settings() -> None:
    """Drop the cached copy, so the next read sees the database."""
    cache.delete_many([CACHE_KEY, LOGO_CACHE_KEY])
    kept = _this_request.get()
    if kept:
        kept.clear()


def settings_for_editing() -> CouncilSettings:
    """The saved row, or (before the first save) an unsaved one holding the environment's
    first values, the logo file's bytes included."""
    row = CouncilSettings.objects.filter(pk=1).first()
    if row is not None:
        return row
    first = environment_settings()
    row = CouncilSettings(
        name=first.name,
        report_colour=first.report_colour,
        monitoring_cadence=first.monitoring_cadence,
        figures_due_working_days=first.figures_due_working_days,
        bank_holidays=first.bank_holidays,
    )
    if first.logo_type:
        row.logo = Path(settings.REPORT_LOGO).read_bytes()
        row.logo_type = first.logo_type
    return row
