"""Reports as Word documents checked against their PDFs: the same headings in the same order and
levels (Word's heading styles), the same tables with the same captions and header rows (which
repeat on each page), and a picture for each chart the PDF tags as a figure, whose alternative
text is the chart's description."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import html as lxml_html

from plans.models import ServicePlan
from reports.docx import render_docx
from tests.reports.pdf_tags import Table, read_tags, squeeze

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


def docx_tables(document) -> list[Table]:
    """Every table, those inside others too, in reading order, with the Caption paragraph just
    before it and the text of each cell of its header rows."""

    def text(element) -> str:
        paragraphs = element.iter(qn("w:p"))
        return squeeze(" ".join("".join(t.text for t in p.iter(qn("w:t"))) for p in paragraphs))

    tables = []
    for table in document.element.body.iter(qn("w:tbl")):
        before = table.getprevious()
        style = before.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if before is not None else None
        caption = text(before) if style is not None and style.get(qn("w:val")) == "Caption" else ""
        rows = [
            [text(cell) for cell in row.findall(qn("w:tc"))]
            for row in table.findall(qn("w:tr"))
            if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        ]
        tables.append(Table(caption, rows))
    return tables


def html_charts(html: str) -> list[tuple[str, str]]:
    """(title, description) of each chart of the report's HTML, the PDF's source."""
    return [
        (squeeze(svg.findtext("title")), squeeze(svg.findtext("desc")))
        for svg in lxml_html.document_fromstring(html).iter("svg")
    ]


def assert_tables_and_charts_are_the_pdfs(html: str, pdf: bytes, docx: bytes) -> None:
    document = Document(io.BytesIO(docx))
    tags = read_tags(pdf)
    assert docx_tables(document) == tags.tables
    assert all(table.caption and table.header_rows for table in tags.tables)

    charts = html_charts(html)
    assert charts and tags.figures == [title for title, _ in charts]
    described = [(picture.get("title"), picture.get("descr")) for picture in pictures(document)]
    assert described == charts, "one picture per chart, described as the chart"
    for _title, description in charts:
        assert description and description in tags.text  # what the PDF says of the chart
    # Said once: no paragraph repeats a picture's alternative text.
    paragraphs = {squeeze(paragraph.text) for paragraph in document.paragraphs}
    assert not paragraphs & {description for _, description in charts}


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
    _report, _html, _pdf, docx = service_plan
    headers = [header_rows(table) for table in Document(io.BytesIO(docx.content)).tables]
    assert all(headers), "every table of the report has a header row"
    assert [["Objective", "Key objective", "Corporate priorities"]] in headers
    risk = ["Risk", "Category", "Likelihood", "Impact", "Score", "Owner", "Mitigation"]
    assert [risk] in headers


def test_service_plan_tables_and_charts_are_the_pdfs(service_plan):
    _report, html, pdf, docx = service_plan
    assert_tables_and_charts_are_the_pdfs(html, pdf.content, docx.content)
    # As wide as the PDF draws them (reports.css: 92 mm), within the A4 page's margins.
    document = Document(io.BytesIO(docx.content))
    assert {shape.width for shape in document.inline_shapes} == {Mm(92)}
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_service_plan_document_properties_and_council(service_plan):
    report, _html, _pdf, docx = service_plan
    document = Document(io.BytesIO(docx.content))
    assert docx.filename == f"{report.file_stem()}.docx"
    assert document.core_properties.title == "Direct Services service plan 2012/13"
    assert document.core_properties.language == "en-GB"
    from organisation.council import council_settings

    assert council_settings().name in [p.text for p in document.paragraphs[:3]]


def test_a_picture_keeps_its_alt_text_and_a_decorative_one_is_marked_so():
    from PIL import Image

    from reports.docx import html_to_docx

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), (29, 78, 137)).save(buffer, format="PNG")
    uri = "data:image/png;base64," + __import__("base64").b64encode(buffer.getvalue()).decode()
    html = (
        f'<html><body><p><img src="{uri}" alt="Weald District Council logo"></p>'
        f'<p><img src="{uri}" alt=""></p></body></html>'
    )
    logo, rule = pictures(Document(io.BytesIO(html_to_docx(html, title="Logo"))))
    decorative = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    assert logo.get("descr") == "Weald District Council logo"
    assert logo.find(f".//{decorative}") is None
    assert rule.get("descr") == "" and rule.find(f".//{decorative}").get("val") == "1"


CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40" width="200" height="40" '
    'font-family="Report Sans, Report Symbols" font-size="24"><title>Counts</title>'
    "<desc>Bar chart: 12 green.</desc>"
    '<text x="4" y="30" fill="#0b0c0c">{text}</text></svg>'
)


@pytest.mark.parametrize("text", ["12 Green", "✓ ▲ ●"])
def test_a_charts_text_and_symbols_are_drawn_in_its_picture(text):
    """The counts and the status symbols are text in the SVG: drawn with the reports' fonts,
    not left out for want of a font the machine lacks."""
    from PIL import Image

    from reports.chart_pictures import DPI, chart_png

    svg = lxml_html.fragment_fromstring(CHART.format(text=text))
    png = Image.open(io.BytesIO(chart_png(svg, width=Mm(50)))).convert("L")
    assert png.width == round(50 / 25.4 * DPI)
    inked = sum(png.histogram()[:128])  # pixels darker than mid-grey
    assert inked > png.width * png.height / 100


def test_a_chart_that_cannot_be_drawn_is_written_as_its_description(monkeypatch):
    from reports import docx
    from reports.chart_pictures import ChartNotDrawn

    def refuse(svg, *, width):
        raise ChartNotDrawn("no")

    monkeypatch.setattr(docx, "chart_png", refuse)
    html = f"<html><body><figure>{CHART.format(text='12')}</figure></body></html>"
    document = Document(io.BytesIO(docx.html_to_docx(html, title="Chart")))
    assert not pictures(document)
    assert [p.text for p in document.paragraphs] == ["Chart: Bar chart: 12 green."]


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


def test_committee_summary_tables_and_charts_are_the_pdfs(committee_summary):
    report, html, pdf, docx = committee_summary
    assert_tables_and_charts_are_the_pdfs(html, pdf.content, docx.content)
    document = Document(io.BytesIO(docx.content))
    headers = [header_rows(table) for table in document.tables]
    assert [["Head of Service", "Service", "Environment", "Social Affairs", "Services"]] in headers
    # The bar charts print at their own size in the PDF: 420 CSS pixels.
    assert {shape.width for shape in document.inline_shapes} == {Mm(420 * 25.4 / 96)}
    assert document.core_properties.title == report.document_title()
    assert document.core_properties.language == "en-GB"
