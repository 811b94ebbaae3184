"""Reports as Word documents (DOCX), for clerks who edit them before the agenda goes out.

A report's DOCX is built from the same data and the same HTML as its PDF (Report.data, then
Report.html): the HTML's structure is written out with Word's own styles, so a screen reader or
the navigation pane finds the same sections, tables and charts as in the PDF, on the same page
(A4, the PDF's margins).

    h1 (the cover's title)   Title
    h2, h3, h4               Heading 1, 2, 3
    table                    a Word table; its caption a Caption paragraph before it; the rows of
                             its thead repeat at the top of each page (w:tblHeader)
    img (raster)             a picture with the image's alt text as its description (docPr
                             descr); marked decorative (Word's own mark) when its alt is empty
    figure with a chart      the chart (inline SVG) drawn as a picture by reports.chart_pictures,
                             as wide as in the PDF, with the chart's description (its <desc>) as
                             alternative text and its <title> as the picture's title. The
                             figcaption is left out when it is that description, which a screen
                             reader would otherwise read twice; the figures are in the table
                             beside the chart, as in the PDF. A chart that cannot be drawn is
                             written as its description.

The contents page is left out: Word builds its own from the headings, with page numbers.
"""

import base64
import binascii
import io
import logging
import re

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from lxml import etree
from lxml import html as lxml_html

from organisation.council import council_settings
from reports.base import Progress, RenderedReport, Report, no_progress
from reports.chart_pictures import ChartNotDrawn, chart_png, printed_width

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "en-GB"
HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
SKIPPED_CLASSES = {"running-strings", "preview-note", "contents"}
RASTER_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif);base64,(.*)$", re.DOTALL)
WHITESPACE = re.compile(r"\s+")
PICTURE_WIDTH = Cm(4)
# The PDF's page (reports.css @page): A4, and its margins.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(22), "right": Mm(16), "bottom": Mm(20), "left": Mm(16)}
# Word's extension for a decorative picture (MS-ODRAWXML 2.3.1.37).
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"

logger = logging.getLogger(__name__)


def render_docx(report: Report, progress: Progress = no_progress) -> RenderedReport:
    """The report as a Word document: (file name, content type, bytes)."""
    progress(2, "Gathering the figures")
    data = report.data(progress)
    progress(60, "Writing the document")
    content = html_to_docx(report.html(data), title=report.document_title())
    progress(100, "Ready")
    return RenderedReport(
        filename=f"{report.file_stem()}.docx", content_type=DOCX_CONTENT_TYPE, content=content
    )


def html_to_docx(html: str, *, title: str) -> bytes:
    document = Document()
    council = council_settings()
    properties = document.core_properties
    properties.title = title
    properties.language = LANGUAGE
    properties.author = council.name
    properties.subject = council.name
    properties.created = timezone.now()
    _set_default_language(document)
    _set_page(document)
    body = lxml_html.document_fromstring(html).body
    _Writer(document).blocks(body, document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_default_language(document) -> None:
    # Spelling and the screen reader's voice follow the run properties' language, not the
    # document's metadata: set it on the defaults every style inherits.
    r_pr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    r_pr = r_pr.find(qn("w:rPr")) if r_pr is not None else None
    if r_pr is None:
        return
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _set_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.right_margin = MARGINS["top"], MARGINS["right"]
    section.bottom_margin, section.left_margin = MARGINS["bottom"], MARGINS["left"]


def _text(element) -> str:
    return WHITESPACE.sub(" ", element.text_content()).strip()


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


class _Writer:
    def __init__(self, document):
        self.document = document

    # --- blocks: headings, paragraphs, lists, tables, figures ----------------------------------

    def blocks(self, element, container) -> None:
        """Write the children of `element` into `container` (the document or a table cell)."""
        pending = []  # inline content between blocks (a cell's text, a div's loose text)
        if element.text and element.text.strip():
            pending.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):  # comments
                if child.tail and child.tail.strip():
                    pending.append(child.tail)
                continue
            if self.is_block(child):
                self.flush(pending, container)
                pending = []
                self.block(child, container)
            else:
                pending.append(child)
            if child.tail and child.tail.strip():
                pending.append(child.tail)
        self.flush(pending, container)

    def is_block(self, element) -> bool:
        return element.tag in {
            "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "figure", "div",
            "section", "main", "nav", "dl", "article", "header", "footer", "aside",
        }  # fmt: skip

    def flush(self, pending: list, container) -> None:
        if not any(isinstance(item, str) and item.strip() or not isinstance(item, str)
                   for item in pending):  # fmt: skip
            return
        paragraph = container.add_paragraph()
        for item in pending:
            if isinstance(item, str):
                paragraph.add_run(WHITESPACE.sub(" ", item))
            else:
                self.inline(item, paragraph)
        self.tidy(paragraph)

    def block(self, element, container) -> None:
        tag = element.tag
        if _classes(element) & SKIPPED_CLASSES:
            return
        if tag in HEADING_STYLES:
            container.add_paragraph(_text(element), style=HEADING_STYLES[tag])
        elif tag in {"h5", "h6"}:
            container.add_paragraph(_text(element), style="Heading 3")
        elif tag == "p":
            paragraph = container.add_paragraph()
            self.inlines(element, paragraph)
            self.tidy(paragraph)
        elif tag in {"ul", "ol"}:
            style = "List Bullet" if tag == "ul" else "List Number"
            for item in element.findall("li"):
                paragraph = container.add_paragraph(style=style)
                self.inlines(item, paragraph)
                self.tidy(paragraph)
        elif tag == "dl":
            for term in element.findall("dt"):
                definition = term.getnext()
                paragraph = container.add_paragraph()
                paragraph.add_run(f"{_text(term)}: ").bold = True
                if definition is not None and definition.tag == "dd":
                    paragraph.add_run(_text(definition))
        elif tag == "table":
            self.table(element, container)
        elif tag == "figure":
            self.figure(element, container)
        else:
            self.blocks(element, container)

    def figure(self, element, container) -> None:
        """A figure's charts and images as pictures; its caption unless it only repeats a
        chart's alternative text (a screen reader would read it twice)."""
        alt_texts = set()
        for child in element.iter("img", "svg"):
            if child.tag == "img":
                self.picture(child, container.add_paragraph())
            else:
                alt_texts.add(self.chart(child, element, container))
        caption = element.find("figcaption")
        if caption is not None and _text(caption) and _text(caption) not in alt_texts:
            container.add_paragraph(_text(caption), style="Caption")

    def chart(self, svg, figure, container) -> str:
        """The chart as a picture, its description as its alternative text (and its title as
        the picture's title); its description as text if it cannot be drawn. Returns the
        description."""
        title, description, caption = (
            _text(found) if found is not None else ""
            for found in (svg.find("title"), svg.find("desc"), figure.find("figcaption"))
        )
        description = description or caption or title
        section = self.document.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        width = printed_width(svg, _classes(figure), most=text_width)
        try:
            png = chart_png(svg, width=width)
        except ChartNotDrawn as error:
            logger.warning("Chart %r written as its description: %s", title, error)
            container.add_paragraph(f"Chart: {description}", style="Caption")
            return description
        shape = container.add_paragraph().add_run().add_picture(io.BytesIO(png), width=width)
        _describe(shape, description=description, title=title)
        return description

    def table(self, element, container) -> None:
        caption = element.find("caption")
        if caption is not None and _text(caption):
            container.add_paragraph(_text(caption), style="Caption")
        head = [row for part in element.findall("thead") for row in part.findall("tr")]
        rows = head + [
            row
            for part in element
            if part.tag in {"tbody", "tfoot"}
            for row in part.findall("tr")
        ] + element.findall("tr")  # fmt: skip
        if not rows:
            return
        width = max(
            sum(int(cell.get("colspan") or 1) for cell in row if cell.tag in {"td", "th"})
            for row in rows
        )
        table = container.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for index, row in enumerate(rows):
            docx_row = table.rows[index]
            if index < len(head):
                _repeat_as_header(docx_row)
            column = 0
            for cell in row:
                if cell.tag not in {"td", "th"}:
                    continue
                span = min(int(cell.get("colspan") or 1), width - column)
                target = docx_row.cells[column]
                if span > 1:
                    target = target.merge(docx_row.cells[column + span - 1])
                # A new cell holds one empty paragraph: write into it, not after it.
                first = target.paragraphs[0]
                self.blocks(cell, target)
                if len(target.paragraphs) > 1 and not first.text:
                    first._element.getparent().remove(first._element)
                if cell.tag == "th" or index < len(head):
                    for paragraph in target.paragraphs:
                        for run in paragraph.runs:
                            run.bold = True
                column += span

    # --- inline content: text, bold, line breaks, pictures --------------------------------------

    def inlines(self, element, paragraph) -> None:
        if element.text:
            paragraph.add_run(WHITESPACE.sub(" ", element.text))
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, paragraph)
            if child.tail:
                paragraph.add_run(WHITESPACE.sub(" ", child.tail))

    def inline(self, element, paragraph, *, bold: bool = False) -> None:
        tag = element.tag
        if tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif tag == "img":
            self.picture(element, paragraph)
        elif tag == "svg":
            return
        elif tag in {"strong", "b", "th"} or bold:
            if element.text:
                paragraph.add_run(WHITESPACE.sub(" ", element.text)).bold = True
            for child in element:
                if isinstance(child.tag, str):
                    self.inline(child, paragraph, bold=True)
                if child.tail:
                    paragraph.add_run(WHITESPACE.sub(" ", child.tail)).bold = True
        elif tag in {"ul", "ol"}:
            for item in element.findall("li"):
                paragraph.add_run().add_break(WD_BREAK.LINE)
                paragraph.add_run("• ")
                self.inlines(item, paragraph)
        else:
            self.inlines(element, paragraph)

    def picture(self, image, paragraph) -> None:
        match = RASTER_IMAGE.match(image.get("src") or "")
        if not match:  # an SVG logo or a linked file: its alt text stands in for it
            if image.get("alt"):
                paragraph.add_run(image.get("alt"))
            return
        try:
            data = base64.b64decode(match.group(2))
        except (binascii.Error, ValueError):
            return
        shape = paragraph.add_run().add_picture(io.BytesIO(data), width=PICTURE_WIDTH)
        if _is_decorative(image):
            _mark_decorative(shape)
        else:
            _describe(shape, description=image.get("alt") or "")

    def tidy(self, paragraph) -> None:
        # Leading and trailing spaces of the HTML's layout are not the author's.
        runs = [run for run in paragraph.runs if run.text]
        if runs:
            runs[0].text = runs[0].text.lstrip()
            runs[-1].text = runs[-1].text.rstrip()


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _describe(shape, *, description: str, title: str = "") -> None:
    """The picture's alternative text, as Word's Alt Text pane shows it and a screen reader
    reads it."""
    shape._inline.docPr.set("descr", description)
    if title:
        shape._inline.docPr.set("title", title)


def _is_decorative(image) -> bool:
    # alt="" is HTML's word for an image that says nothing; so are role and aria-hidden.
    return (
        image.get("alt") == ""
        or image.get("role") in {"presentation", "none"}
        or image.get("aria-hidden") == "true"
    )


def _mark_decorative(shape) -> None:
    """Word's "Mark as decorative" (Office 2019 on): screen readers pass the picture by, and
    Word's accessibility checker does not ask for its alternative text."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", "")
    extensions = OxmlElement("a:extLst")
    extension = OxmlElement("a:ext")
    extension.set("uri", DECORATIVE_EXTENSION)
    decorative = etree.SubElement(
        extension, f"{{{DECORATIVE_NAMESPACE}}}decorative", nsmap={"adec": DECORATIVE_NAMESPACE}
    )
    decorative.set("val", "1")
    extensions.append(extension)
    doc_pr.append(extensions)
