"""HTML to PDF with WeasyPrint: the last step of every report, and the only one that is slow.

- Tagged PDF/UA-1 (WeasyPrint's pdf_variant="pdf/ua-1"): a structure tree for screen readers,
  the document's title shown instead of its file name, and its language, as the accessibility
  regulations expect of committee papers. reports.tagging finishes WeasyPrint's tags (running
  headers as artifacts, a table broken across pages as one table, links printable, figures'
  boxes in points).
- Nothing is fetched over a network. The HTML links its stylesheet and fonts under STATIC_URL,
  as a browser preview would; the URL fetcher below reads those from the project's static
  files, and refuses every other URL, so a stray link in a plan's text cannot make the server
  fetch something.
"""

import functools
import hashlib
import logging
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

from organisation.council import council_logo_data_uri

# The documents' base URL: relative and root-relative links resolve against it. The .invalid
# domain cannot exist (RFC 2606), so nothing could ever be fetched from it by mistake.
BASE_URL = "https://report.invalid/"
PDF_VARIANT = "pdf/ua-1"

PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")

# Raise it when a change to this module or reports.tagging changes the PDFs made from the same
# HTML: stored reports' fingerprints (reports.base.fingerprint) then no longer match, and each
# is rendered again when next asked for instead of reusing the file made before.
# 2: the KPI booklet laid out in parts numbers its pages "of M" and has no empty pages.
RENDERER_VERSION = 2


@functools.cache
def engine_version() -> str:
    """What makes the PDF of an HTML document besides the document: the engine's and the
    tagging's versions, and the stylesheet every report links."""
    return (
        f"weasyprint {metadata.version('weasyprint')}; pikepdf {metadata.version('pikepdf')}; "
        f"renderer {RENDERER_VERSION}; stylesheet {stylesheet_digest()}"
    )


@functools.cache
def stylesheet_digest() -> str:
    """The stylesheet every report links, by its content: a release may change it under the
    same URL, and it decides what a report shows (colours, words put in by `content:`)."""
    stylesheet = static_path(BASE_URL.rstrip("/") + static_url("css/reports.css"))
    return hashlib.sha256(stylesheet.read_bytes()).hexdigest()[:16] if stylesheet else "-"


@dataclass(frozen=True)
class PdfResult:
    content: bytes
    page_count: int
    seconds: float


class ResourceRefused(Exception):
    pass


def html_to_pdf(html: str, *, progress: Callable[[int, str], None] | None = None) -> PdfResult:
    """Lay out the HTML document and write it as a tagged PDF. `progress(per_cent, message)`
    hears about each page as WeasyPrint lays it out."""
    from weasyprint.text.fonts import FontConfiguration

    from reports.tagging import finish_tagged_pdf

    started = time.perf_counter()
    options = {"pdf_variant": PDF_VARIANT, "optimize_images": True}
    watcher = _ProgressWatcher(progress) if progress else None
    if watcher:
        PROGRESS_LOGGER.addHandler(watcher)
        PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        document = _document(html).render(font_config=FontConfiguration(), **options)
        if progress:
            progress(90, f"Writing the PDF ({len(document.pages)} pages)")
        content = finish_tagged_pdf(document.write_pdf(**options))
    finally:
        if watcher:
            PROGRESS_LOGGER.removeHandler(watcher)
    return PdfResult(content, len(document.pages), time.perf_counter() - started)


def html_to_untagged_pdf(html: str) -> bytes:
    """Lay out the HTML document as a PDF without tags: for what is drawn over a tagged PDF's
    pages as artifacts (the page numbers of a report laid out in parts: reports.joining)."""
    return _document(html).write_pdf()


def _document(html: str):
    """WeasyPrint's document of the HTML, its files served by _fetcher_class only."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()())


class _ProgressWatcher(logging.Handler):
    """Turns WeasyPrint's progress log ("Step 5 - Creating layout - Page 12") into progress,
    for this thread's render only."""

    def __init__(self, progress: Callable[[int, str], None]):
        super().__init__(logging.INFO)
        self.progress = progress
        self.thread = threading.get_ident()
        self.last = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        now = time.monotonic()
        if now - self.last < 0.5:  # a page every few milliseconds: tell the page, not the log
            return
        self.last = now
        if "Page" in message:
            page = message.rsplit(" ", 1)[-1]
            self.progress(40, f"Laying out page {page}")
        elif "formatting structure" in message:
            self.progress(20, "Styling the document")


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported when a PDF is made, not when the site starts.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves the project's static files (stylesheet, fonts) and data: URLs; refuses the
        rest."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ResourceRefused(f"Reports load only the project's static files, not {url}")
            mime_type, _ = mimetypes.guess_type(path.name)
            return URLFetcherResponse(
                url,
                body=path.read_bytes(),
                headers={"Content-Type": mime_type or "application/octet-stream"},
            )

    return StaticFilesFetcher


def static_path(url: str) -> Path | None:
    """The file on disk behind a static URL of a report, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    prefix = static_url("")  # "/static/"
    if not parts.path.startswith(prefix):
        return None
    name = parts.path[len(prefix) :]
    if ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    # After collectstatic, with hashed names (production).
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


def static_url(name: str) -> str:
    """The unhashed URL of a static file, "/static/css/reports.css": the PDF fetcher finds it
    without collectstatic's manifest, and WhiteNoise serves it to a browser preview too."""
    return "/" + settings.STATIC_URL.strip("/") + "/" + name


def logo_data_uri() -> str:
    """The council's logo (its settings: organisation.council) as a data: URI, the same in the
    PDF and in the browser preview; "" without one."""
    return council_logo_data_uri()
