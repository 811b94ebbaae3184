"""The report PDFs' structure tree as a screen reader meets it, where WeasyPrint alone gets it
wrong (reports/tagging.py finishes its tags, the templates avoid what it cannot tag):

- every table cell names the header cells of its own row and column (the guidance matrix);
- running headers and page numbers are artifacts, and no tagged content is out of the tree;
- a table broken across pages is one table, with its caption, and all its rows;
- links are printed, and a figure's bounding box is where the figure is drawn, in points.
"""

import io
from html.parser import HTMLParser

import pikepdf
import pytest
from pypdf import PdfReader

from organisation.models import Committee
from plans.models import ServicePlan
from tests.reports.pdf_tags import _marked_texts, squeeze

pytestmark = pytest.mark.django_db

SLUGS = ["committee-summary", "service-plan", "kpi-booklet"]


@pytest.fixture(scope="module")
def forms(demo_council, django_db_blocker):
    with django_db_blocker.unblock():
        committee = Committee.objects.get(name="Services Select Committee")
        plan = ServicePlan.objects.get(service__name="Direct Services")
    return {
        "committee-summary": {"committee": str(committee.pk), "year": "2012", "as_at": "2012-08"},
        "service-plan": {"plan": str(plan.pk)},
        "kpi-booklet": {"year": "2012", "as_at": "2012-08"},
    }


@pytest.fixture(scope="module")
def report(rendered, forms):
    def report(slug):
        _, data, html, result = rendered(slug, **forms[slug])
        return data, html, result.content

    return report


@pytest.fixture(scope="module")
def tree_of(report):
    """Each report's structure tree, read once for the module (reading it costs seconds)."""
    trees = {}

    def tree_of(slug):
        if slug not in trees:
            trees[slug] = Tree(report(slug)[2])
        return trees[slug]

    return tree_of


class Tree:
    """A tagged PDF's structure elements, with the text each one's marked content draws."""

    def __init__(self, content: bytes):
        self.pdf = pikepdf.open(io.BytesIO(content))
        self.texts = _marked_texts(PdfReader(io.BytesIO(content)))
        self.page_numbers = {page.objgen: number for number, page in enumerate(self.pdf.pages, 1)}

    def elements(self, node=None):
        node = self.pdf.Root.StructTreeRoot if node is None else node
        for kid in kids(node):
            if is_element(kid):
                yield kid
                yield from self.elements(kid)

    def tables(self) -> list:
        return [node for node in self.elements() if node.S == "/Table"]

    def text(self, node, page=None) -> str:
        if isinstance(node, int):
            return self.texts[page[0]].get(node, "")
        if node.get("/Type") == "/MCR":
            return self.texts[node.Pg.objgen[0]].get(int(node.MCID), "")
        if "/Pg" in node:
            page = node.Pg.objgen
        return squeeze("".join(self.text(kid, page) for kid in kids(node) if not is_objr(kid)))

    def reached(self) -> set[tuple[int, int]]:
        """(page number, MCID) of the marked content some structure element reaches."""
        found = set()

        def walk(node, page):
            if isinstance(node, int):
                found.add((self.page_numbers[page], node))
            elif node.get("/Type") == "/MCR":
                found.add((self.page_numbers[node.Pg.objgen], int(node.MCID)))
            elif not is_objr(node):
                page = node.Pg.objgen if "/Pg" in node else page
                for kid in kids(node):
                    walk(kid, page)

        walk(self.pdf.Root.StructTreeRoot, None)
        return found


def unspaced(text: str) -> str:
    """Text without its spaces: a line break in a cell draws none."""
    return "".join(text.split())


def kids(node) -> list:
    found = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def is_objr(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/OBJR"


def tagged(node, *names) -> list:
    return [kid for kid in kids(node) if is_element(kid) and str(kid.S) in names]


def grid(table) -> list[tuple[object, str, set[int], set[int]]]:
    """(cell, its row group, the grid rows it covers, the grid columns it covers), honouring
    row and column spans."""
    taken: set[tuple[int, int]] = set()
    cells = []
    rows = [
        (str(group.S), row)
        for group in tagged(table, "/THead", "/TBody", "/TFoot")
        for row in tagged(group, "/TR")
    ]
    for number, (group, row) in enumerate(rows):
        column = 0
        for cell in tagged(row, "/TH", "/TD"):
            while (number, column) in taken:
                column += 1
            attributes = cell.get("/A", {})
            row_span = int(attributes.get("/RowSpan", 1))
            column_span = int(attributes.get("/ColSpan", 1))
            covered_rows = set(range(number, number + row_span))
            covered_columns = set(range(column, column + column_span))
            taken |= {(r, c) for r in covered_rows for c in covered_columns}
            cells.append((cell, group, covered_rows, covered_columns))
            column += column_span
    return cells


# --- header cells -------------------------------------------------------------------------


def test_every_tick_of_the_matrix_names_its_head_of_service_service_and_committee(report, tree_of):
    data = report("committee-summary")[0]
    tree = tree_of("committee-summary")
    matrix = next(
        table
        for table in tree.tables()
        if tree.text(tagged(table, "/Caption")[0]).startswith("Which committee reviews")
    )
    header_text = {bytes(cell.ID): tree.text(cell) for cell, *_ in grid(matrix) if "/ID" in cell}
    ticks = {
        tuple(unspaced(header_text[bytes(header)]) for header in cell.A.Headers)
        for cell, *_ in grid(matrix)
        if cell.S == "/TD" and tree.text(cell).startswith("✓")
    }
    expected = {
        (
            unspaced(str(row.head_of_service)),
            unspaced(str(row.service)),
            unspaced(committee.name.replace(" Select Committee", "")),
        )
        for row in data["matrix"]
        for committee, review in zip(data["matrix_committees"], row.cells, strict=True)
        if review
    }
    assert len(expected) > 20
    assert ticks == expected


@pytest.mark.parametrize("slug", SLUGS)
def test_every_cell_names_headers_of_its_own_row_and_column(tree_of, slug):
    tree = tree_of(slug)
    checked = 0
    for table in tree.tables():
        cells = grid(table)
        headers = {
            bytes(cell.ID): (group, rows, columns)
            for cell, group, rows, columns in cells
            if "/ID" in cell
        }
        for cell, _, rows, columns in cells:
            if cell.S != "/TD" or "/Headers" not in cell.get("/A", {}):
                continue
            for header in cell.A.Headers:
                group, header_rows, header_columns = headers[bytes(header)]
                if group == "/THead":
                    assert header_columns & columns, tree.text(cell)
                else:
                    assert header_rows & rows, tree.text(cell)
                checked += 1
    assert checked > 100


# --- artifacts ----------------------------------------------------------------------------


def drawn_in_artifacts(content: bytes) -> list[str]:
    """The text each page draws inside /Artifact marked content."""
    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        stack: list[str] = []
        found: list[str] = []

        def operator(op, args, _cm, _tm, stack=stack):
            if op in (b"BDC", b"BMC"):
                stack.append(str(args[0]))
            elif op == b"EMC" and stack:
                stack.pop()

        def drawn(value, _cm, _tm, _font, _size, stack=stack, found=found):
            if stack and stack[-1] == "/Artifact":
                found.append(value)

        page.extract_text(visitor_operand_before=operator, visitor_text=drawn)
        pages.append(squeeze(" ".join(found)))
    return pages


@pytest.mark.parametrize("slug", SLUGS)
def test_running_headers_and_page_numbers_are_artifacts(report, tree_of, slug):
    content = report(slug)[2]
    tree = tree_of(slug)
    marked = {
        (number, int(operands[1].MCID))
        for number, page in enumerate(tree.pdf.pages, 1)
        for operands, _ in pikepdf.parse_content_stream(page, "BDC")
        if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
    }
    assert marked - tree.reached() == set()
    artifacts = drawn_in_artifacts(content)
    pages = len(artifacts)
    for number, text in enumerate(artifacts, 1):
        assert f"Page {number} of {pages}" in squeeze(text)
    tagged_text = " ".join(tree.text(node) for node in tree.elements())
    assert f"Page 1 of {pages}" not in tagged_text


def test_the_parent_tree_names_no_artifact(tree_of):
    tree = tree_of("service-plan")
    reached = tree.reached()
    nums = tree.pdf.Root.StructTreeRoot.ParentTree.Nums
    for index, page in enumerate(tree.pdf.pages):
        number = int(page.StructParents)
        entries = next(nums[i + 1] for i in range(0, len(nums), 2) if int(nums[i]) == number)
        for mcid, entry in enumerate(entries):
            if entry is not None:
                assert (index + 1, mcid) in reached


# --- tables across pages ------------------------------------------------------------------


class HtmlTables(HTMLParser):
    """Each <table>'s caption and the number of rows in its body and footer."""

    def __init__(self):
        super().__init__()
        self.tables: list[list] = []
        self.open: list[list] = []
        self.in_caption = False
        self.group = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.open.append(["", 0])
        elif tag == "caption":
            self.in_caption = True
        elif tag in ("thead", "tbody", "tfoot"):
            self.group = tag
        elif tag == "tr" and self.group in ("tbody", "tfoot"):
            self.open[-1][1] += 1

    def handle_endtag(self, tag):
        if tag == "table":
            table = self.open.pop()
            self.tables.append((squeeze(table[0]), table[1]))
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data):
        if self.in_caption:
            self.open[-1][0] += data


@pytest.mark.parametrize("slug", ["service-plan", "kpi-booklet"])
def test_a_table_across_pages_is_one_table_with_its_caption_and_rows(report, tree_of, slug):
    html = report(slug)[1]
    tree = tree_of(slug)
    parser = HtmlTables()
    parser.feed(html)
    found, across_pages = [], 0
    for table in tree.tables():
        captions = tagged(table, "/Caption")
        rows = [row for group in tagged(table, "/TBody", "/TFoot") for row in tagged(group, "/TR")]
        # Less the header rows repeated where the page breaks.
        header_rows = {tree.text(row) for head in tagged(table, "/THead") for row in kids(head)}
        body_rows = [row for row in rows if tree.text(row) not in header_rows]
        found.append((unspaced(tree.text(captions[0])) if captions else "", len(body_rows)))
        pages = {row.Pg.objgen for row in body_rows}
        across_pages += len(pages) > 1
    assert across_pages >= 1
    assert found == [(unspaced(caption), rows) for caption, rows in parser.tables]


# --- links and figures --------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_links_are_printed(tree_of, slug):
    tree = tree_of(slug)
    links = [
        annotation
        for page in tree.pdf.pages
        for annotation in page.get("/Annots", [])
        if annotation.get("/Subtype") == "/Link"
    ]
    assert links
    assert all(int(link.get("/F", 0)) & 4 for link in links)


def test_figure_boxes_are_where_the_charts_are_drawn(report, tree_of):
    content = report("committee-summary")[2]
    tree = tree_of("committee-summary")
    figures = {}  # (page number, MCID) -> its /BBox
    for node in tree.elements():
        if node.S == "/Figure":
            for kid in kids(node):
                if isinstance(kid, int):
                    figures[(tree.page_numbers[node.Pg.objgen], kid)] = [
                        float(value) for value in node.A.BBox
                    ]
    assert figures
    drawn: dict[tuple[int, int], list[tuple[float, float]]] = {key: [] for key in figures}
    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages, 1):
        stack: list[int | None] = []

        def operator(op, args, cm, _tm, stack=stack, number=number):
            if op == b"BDC":
                properties = args[1] if isinstance(args[1], dict) else {}
                stack.append(properties.get("/MCID"))
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()
            elif op in (b"m", b"l", b"re") and stack and (number, stack[-1]) in drawn:
                x, y = (float(value) for value in args[:2])
                corners = [(x, y)]
                if op == b"re":
                    corners.append((x + float(args[2]), y + float(args[3])))
                drawn[(number, stack[-1])] += [
                    (cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5])
                    for x, y in corners
                ]

        page.extract_text(visitor_operand_before=operator)
    for key, (left, bottom, right, top) in figures.items():
        points = drawn[key]
        assert points, key
        assert all(left - 1 <= x <= right + 1 and bottom - 1 <= y <= top + 1 for x, y in points)
        # The chart fills its box.
        assert max(x for x, _ in points) - min(x for x, _ in points) > 0.5 * (right - left)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_span_is_left_empty(tree_of, slug):
    """WeasyPrint tags a line broken between two inline elements with a Span that holds
    nothing; a checker flags it (nothing to read) and it is dropped."""
    empty = [
        node
        for node in tree_of(slug).elements()
        if node.S == "/Span" and not kids(node) and "/Alt" not in node
    ]
    assert empty == []
