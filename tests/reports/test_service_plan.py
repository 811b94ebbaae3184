"""The service plan report of the demo's Direct Services plan: every section, in order, on the
pages the contents say, with resources and indicators read back from the PDF's text."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import ServicePlan
from reports.service_plan import SECTIONS, ServicePlanReport
from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plan_pk(demo_council, django_db_blocker):
    with django_db_blocker.unblock():
        return ServicePlan.objects.get(service__name="Direct Services").pk


@pytest.fixture(scope="module")
def plan_report(rendered, plan_pk):
    return rendered("service-plan", plan=str(plan_pk))


@pytest.fixture(scope="module")
def pages(plan_report):
    return [squeeze(page) for page in pdf_pages(plan_report[3].content)]


def outline_pages(content: bytes) -> dict[str, int]:
    """Each heading's page (from 1), from the PDF's bookmarks: WeasyPrint bookmarks every
    heading where it lands."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    found = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return found


def test_the_contents_lists_every_section_on_the_page_where_it_starts(pages, plan_report):
    headings = outline_pages(plan_report[3].content)
    contents = next(page for page in pages if page.count("Contents") == 1)
    for _anchor, title in SECTIONS:
        found = re.search(re.escape(title) + r"[ .]*(\d+)", contents)
        assert found, title
        assert int(found.group(1)) == headings[title], title
        assert title in pages[headings[title] - 1]


def test_cover_and_page_numbers(pages, plan_report):
    assert "Direct Services service plan 2012/13" in pages[0]
    assert "Published: endorsed by Cabinet on 8 March 2012" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert plan_report[3].filename == "direct-services-service-plan-2012-13.pdf"


def test_resources_give_the_budget_staff_and_savings_with_their_total(pages):
    text = " ".join(pages)
    # The Sevenoaks 2012/13 summary's three years of Part 2b, then the medium-term forecasts.
    assert re.search(r"Direct Services 4,311 3,671 3,662 [\d,]+ \(forecast\)", text)
    assert "Budget 2010/11 Budget 2011/12 Budget 2012/13" in text
    assert re.search(r"Savings in 2012/13 \(£000\).*TOTAL 16", text)


def test_indicators_show_target_actual_status_in_words_and_direction(pages, plan_report):
    text = " ".join(pages)
    assert "Figures as at August 2012" in text
    # LPI DS01 missed bin collections, August 2012: 78 against 60 (lower is better): red.
    assert re.search(r"LPI DS01 Missed bin collections.*?August 2012 60 78 ● Red ↓ Worse", text)
    assert "✓ Green" in text and "▲ Amber" in text
    charts = plan_report[1]["performance"]["rows"]
    assert len(charts) == 10
    assert all("<svg" in row["chart"].svg for row in charts)
    assert 'font-family="Report Sans, Report Symbols"' in charts[0]["chart"].svg


def test_the_html_step_needs_no_weasyprint(demo_council, plan_pk):
    report = ServicePlanReport.from_form_data({"plan": str(plan_pk)})
    with CaptureQueriesContext(connection) as queries:
        data = report.data()
    html = report.html(data)
    assert "<title>Direct Services service plan 2012/13</title>" in html
    assert 'href="#indicators"' in html and 'id="indicators"' in html
    # The plan and its parts, its resources, its indicators' statuses and their trends: a fixed
    # number, however many indicators the service has.
    assert len(data["performance"]["rows"]) == 10
    assert len(queries) == 29
