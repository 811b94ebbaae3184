"""Reports as Word documents: the same headings, in the same order and levels, as the PDF's,
with real heading styles, tables whose header rows repeat, and alt text on every picture."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from plans.models import ServicePlan
from reports.docx import render_docx

pytestmark = pytest.mark.django_db

# Word's styles by level: the document's title, then the headings.
LEVELS = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}


def pdf_outline(content: bytes) -> list[tuple[int, str]]:
    """(level from 0, title) of every bookmark of the PDF (WeasyPrint bookmarks each heading at
    its level), in order; the contents page is left out of the DOCX (Word makes its own)."""
    from pypdf import PdfReader

    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, " ".join(item.title.split())))

    walk(PdfReader(io.BytesIO(content)).outline, 0)
    return [(level, title) for level, title in found if title != "Contents"]


def docx_headings(document) -> list[tuple[int, str]]:
    return [
        (LEVELS[paragraph.style.name], " ".join(paragraph.text.split()))
        for paragraph in document.paragraphs
        if paragraph.style.name in LEVELS
    ]


def header_rows(table) -> list[list[str]]:
    return [
        [cell.text for cell in row.cells]
        for row in table.rows
        if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
    ]


def pictures(document):
    return document.element.body.findall(".//" + qn("wp:docPr"))


@pytest.fixture(scope="module")
def plan_pk(demo_council, django_db_blocker):
    with django_db_blocker.unblock():
        return ServicePlan.objects.get(service__name="Direct Services").pk


@pytest.fixture(scope="module")
def service_plan(rendered, plan_pk, django_db_blocker):
    report, _data, html, pdf = rendered("service-plan", plan=str(plan_pk))
    with django_db_blocker.unblock():
        docx = render_docx(report)
    return report, html, pdf, docx


def test_service_plan_headings_are_the_pdfs(service_plan):
    _report, _html, pdf, docx = service_plan
    document = Document(io.BytesIO(docx.content))
    headings = docx_headings(document)
    assert headings == pdf_outline(pdf.content)
    assert headings[0] == (0, "Direct Services service plan 2012/13")
    assert (1, "Performance indicators") in headings
    # Levels go down one at a time: no Heading 3 straight under Heading 1.
    assert all(b - a <= 1 for (a, _), (b, _) in zip(headings, headings[1:], strict=False))


def test_service_plan_tables_repeat_their_header_rows(service_plan):
    _report, html, pdf, docx = service_plan
    document = Document(io.BytesIO(docx.content))
    headers = [header_rows(table) for table in document.tables]
    assert all(headers), "every table of the report has a header row"
    assert [["Objective", "Key objective", "Corporate priorities"]] in headers
    risk = ["Risk", "Category", "Likelihood", "Impact", "Score", "Owner", "Mitigation"]
    assert [risk] in headers
    from tests.reports.conftest import pdf_pages, squeeze

    pdf_text = squeeze(" ".join(pdf_pages(pdf.content)))
    for (row,) in headers:
        assert " ".join(cell for cell in row if cell) in pdf_text


def test_service_plan_document_properties_and_council(service_plan):
    report, _html, _pdf, docx = service_plan
    document = Document(io.BytesIO(docx.content))
    assert docx.filename == f"{report.file_stem()}.docx"
    assert document.core_properties.title == "Direct Services service plan 2012/13"
    assert document.core_properties.language == "en-GB"
    from organisation.council import council_settings

    assert council_settings().name in [p.text for p in document.paragraphs[:3]]


def test_charts_become_their_description_and_every_picture_has_alt_text(service_plan):
    _report, _html, _pdf, docx = service_plan
    document = Document(io.BytesIO(docx.content))
    assert any(p.text.startswith("Chart: ") for p in document.paragraphs)
    assert all(picture.get("descr") for picture in pictures(document))


def test_a_picture_keeps_its_alt_text_as_its_description():
    from PIL import Image

    from reports.docx import html_to_docx

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), (29, 78, 137)).save(buffer, format="PNG")
    uri = "data:image/png;base64," + __import__("base64").b64encode(buffer.getvalue()).decode()
    html = f'<html><body><p><img src="{uri}" alt="Weald District Council logo"></p></body></html>'
    document = Document(io.BytesIO(html_to_docx(html, title="Logo")))
    assert [picture.get("descr") for picture in pictures(document)] == [
        "Weald District Council logo"
    ]


@pytest.fixture(scope="module")
def committee_summary(rendered, demo_council, django_db_blocker):
    from organisation.models import Committee

    with django_db_blocker.unblock():
        committee = Committee.objects.get(name="Services Select Committee")
    report, _data, html, pdf = rendered(
        "committee-summary", committee=str(committee.pk), year="2012", as_at="2012-08"
    )
    with django_db_blocker.unblock():
        docx = render_docx(report)
    return report, html, pdf, docx


def test_committee_summary_headings_are_the_pdfs(committee_summary):
    _report, _html, pdf, docx = committee_summary
    headings = docx_headings(Document(io.BytesIO(docx.content)))
    assert headings == pdf_outline(pdf.content)
    assert headings[0] == (0, "Summary of 2012/13 Service Plans")
    assert (1, "Guidance Page") in headings
    assert (2, "Part 1: Key Service Objectives") in headings
    assert all(b - a <= 1 for (a, _), (b, _) in zip(headings, headings[1:], strict=False))


def test_committee_summary_tables_repeat_their_header_rows(committee_summary):
    from tests.reports.conftest import pdf_pages, squeeze

    _report, _html, pdf, docx = committee_summary
    document = Document(io.BytesIO(docx.content))
    headers = [header_rows(table) for table in document.tables]
    pdf_text = squeeze(" ".join(pdf_pages(pdf.content)))
    assert headers and all(headers), "every table of the summary has a header row"
    assert [["Head of Service", "Service", "Environment", "Social Affairs", "Services"]] in headers
    for rows in headers:
        for row in rows:
            assert " ".join(cell for cell in dict.fromkeys(row) if cell) in pdf_text
    assert document.core_properties.title == _report.document_title()
    assert document.core_properties.language == "en-GB"
    assert any(p.text.startswith("Chart: ") for p in document.paragraphs)
    assert all(picture.get("descr") for picture in pictures(document))
