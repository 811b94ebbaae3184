"""The key performance information booklet of the demo council at August 2012: exceptions
first, then every indicator by head of service and service."""

import io
import re

import pytest

from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def booklet(rendered):
    return rendered("kpi-booklet", year="2012", as_at="2012-08")


@pytest.fixture(scope="module")
def pages(booklet):
    return [squeeze(page) for page in pdf_pages(booklet[3].content)]


def test_exceptions_come_first_with_their_commentary(booklet, pages):
    data = booklet[1]
    assert len(data["exceptions"]) == 10  # the Sevenoaks 2012/13 summary's nine reds and NI 157c
    assert {status.rag for status in data["exceptions"]} == {"red"}
    text = " ".join(pages[2:])  # after the cover and contents
    exceptions = text.index("Exceptions: indicators missing target")
    summary = text.index("Summary by head of service", exceptions)
    assert exceptions < summary < text.index("Direct Services: 4 green, 1 amber, 4 red")
    assert "10 red indicators of 60" in text[exceptions:summary]
    for status in data["exceptions"]:
        assert status.indicator.code in text[exceptions:summary]
        assert squeeze(status.commentary)[:40] in text[exceptions:summary]


def test_the_summary_counts_every_indicator(booklet, pages):
    total = booklet[1]["total"]
    assert total.total == 60
    assert (total.green, total.amber, total.red) == (35, 7, 10)
    assert re.search(r"Council 35 7 10 \d+ [-\d]+ ✓ Green", " ".join(pages))


def test_within_a_service_red_comes_first(booklet):
    direct = next(
        entry
        for portfolio in booklet[1]["portfolios"]
        for entry in portfolio.services
        if entry.service.name == "Direct Services"
    )
    order = [status.rag.value for status in direct.statuses]
    assert order == ["red"] * 4 + ["amber"] + ["green"] * 4 + ["not-due"]


def test_tables_print_landscape_with_their_header_on_every_page(booklet, pages):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(booklet[3].content))
    first, later = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert first.width < first.height  # the cover is portrait
    assert later.width > later.height  # the tables are A4 landscape
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        # Every page of a table starts with its header row, repeated.
        if number > 2 and "Summary by head of service" not in page:
            assert re.search(r"Indicator (Service )?Period Target Actual Status", page), number


def test_direction_of_travel_reads_without_colour(pages):
    text = " ".join(pages)
    assert "↑ Improving" in text and "↓ Worse" in text and "year:" in text
