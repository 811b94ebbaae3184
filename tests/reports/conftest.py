import io

import pytest


@pytest.fixture(autouse=True)
def report_worker(settings):
    """Jobs wait for the worker the test runs (REPORTS_WORKER=process) unless a test asks for
    the in-process thread. (Rendered reports go to the test's own MEDIA_ROOT: tests/conftest.)"""
    settings.REPORTS_WORKER = "process"


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as a reader copying it would get it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def page_of(pages: list[str], text: str, *, start: int = 0) -> int:
    """The number (from 1) of the first page from `start` whose text contains `text`."""
    for index, page in enumerate(pages[start:], start=start):
        if text in " ".join(page.split()):
            return index + 1
    raise AssertionError(f"{text!r} is on no page")


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(demo_council, django_db_blocker, tmp_path_factory):
    """Render a report of the demo council once for the module: rendered(slug, **form_data)
    returns (report, data, html, RenderedReport), cached by its arguments."""
    from reports.base import get_report

    cache = {}

    def render(slug, **form_data):
        key = (slug, tuple(sorted(form_data.items())))
        if key not in cache:
            with django_db_blocker.unblock():
                report = get_report(slug).from_form_data(form_data)
                data = report.data()
                html = report.html(data)
                cache[key] = (report, data, html, report.render())
        return cache[key]

    return render
