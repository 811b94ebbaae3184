"""Finishing WeasyPrint's tagged PDF (PDF/UA-1) with pikepdf: what a screen reader and a PDF/UA
checker need that WeasyPrint 70 leaves out or gets wrong. Every report goes through it
(reports.pdf.html_to_pdf).

- Running headers and page numbers (CSS margin boxes) are tagged as content that no structure
  element reaches; they become pagination artifacts, and the page's ParentTree forgets them.
- A table broken across pages is one table again: WeasyPrint tags each page's part as a table
  of its own, the caption on the first only and the header rows repeated. The later parts' rows
  move into the first table's body (the repeated header rows too, where the page breaks), a
  footer repeated at the foot of each part is kept once, at the end, and the cells' /Headers
  point at the first part's header cells.
- A Span with nothing in it is dropped: WeasyPrint leaves one where a line breaks between two
  inline elements (a row header's title and the polarity after it), and a checker flags it.
- Link annotations get the Print flag (PDF/UA: annotations are printed).
- A figure's /BBox is in CSS pixels from the top of the page; PDF wants points from the bottom.

WeasyPrint's own header cell computation (/Headers) ignores a row span at the start of a row;
the templates avoid row spans instead (reports/committee_summary.html's matrix).
"""

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

PX_TO_PT = 0.75  # CSS: 96 px to the inch, 72 pt to the inch
PRINT_FLAG = 4
# Written with the small objects (the structure elements: 136,000 in the county's KPI booklet)
# packed into compressed object streams, not one by one: that booklet is 5 MB, not 17.6 MB.
COMPACT = pikepdf.ObjectStreamMode.generate
PAGINATION = Dictionary(Type=Name.Pagination)
MARKED_CONTENT = pikepdf.Operator("BDC")


def finish_tagged_pdf(content: bytes) -> bytes:
    """The PDF with its tags finished as described above; unchanged when it has no tags."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return content
        page_numbers = {page.objgen: index for index, page in enumerate(pdf.pages)}
        tables = [node for node in _elements(pdf.Root.StructTreeRoot) if node.S == "/Table"]
        _merge_continued_tables(tables, page_numbers)
        _drop_empty_spans(pdf.Root.StructTreeRoot)
        _artifact_unreachable_content(pdf)
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link":
                    annotation.F = int(annotation.get("/F", 0)) | PRINT_FLAG
        _figure_boxes_in_points(pdf)
        output = io.BytesIO()
        pdf.save(output, fix_metadata_version=False, object_stream_mode=COMPACT)
        return output.getvalue()


def _kids(node) -> list:
    found = node.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def _is_element(node) -> bool:
    return isinstance(node, Dictionary) and "/S" in node


def _elements(node):
    """Every structure element under `node`, in document (depth-first) order."""
    for kid in _kids(node):
        if _is_element(kid):
            yield kid
            yield from _elements(kid)


def _drop_empty_spans(root) -> None:
    # Innermost first: a Span holding only empty Spans is empty once they are gone.
    for element in reversed(list(_elements(root))):
        kids = _kids(element)
        kept = [kid for kid in kids if not _is_empty_span(kid)]
        if len(kept) < len(kids):
            element.K = Array(kept)


def _is_empty_span(node) -> bool:
    return (
        _is_element(node)
        and node.S == "/Span"
        and not _kids(node)
        and "/Alt" not in node
        and "/ActualText" not in node
    )


def _tagged(node, name: str) -> list:
    return [kid for kid in _kids(node) if _is_element(kid) and str(kid.S) == name]


def _page_of(node, page_numbers: dict) -> int | None:
    return page_numbers.get(node.Pg.objgen) if "/Pg" in node else None


def _last_page_of(node, page_numbers: dict) -> int | None:
    pages = [_page_of(node, page_numbers)]
    pages += [_page_of(kid, page_numbers) for kid in _elements(node)]
    return max((page for page in pages if page is not None), default=None)


def _header_cells(table) -> list:
    return [
        cell
        for head in _tagged(table, "/THead")
        for row in _tagged(head, "/TR")
        for cell in _tagged(row, "/TH")
    ]


def _shape(table) -> list[int]:
    """Cells per header row: a repeated header has the same."""
    return [len(_kids(row)) for head in _tagged(table, "/THead") for row in _tagged(head, "/TR")]


def _merge_continued_tables(tables: list, page_numbers: dict) -> None:
    first = None
    for table in tables:
        continues = (
            first is not None
            and not _tagged(table, "/Caption")
            and _shape(table) == _shape(first)
            and _page_of(table, page_numbers) == _last_page_of(first, page_numbers) + 1
        )
        if continues:
            _merge_into(first, table)
        elif _tagged(table, "/Caption"):
            first = table
        else:
            first = None


def _merge_into(first, continuation) -> None:
    renamed = {
        bytes(old.ID): old_to
        for old, old_to in zip(
            _header_cells(continuation),
            [cell.ID for cell in _header_cells(first)],
            strict=True,
        )
        if "/ID" in old
    }
    bodies = _tagged(first, "/TBody")
    if not bodies:
        bodies = [_adopt(first, Dictionary(Type=Name.StructElem, S=Name.TBody, K=Array()))]
    body = bodies[-1]
    for part in _kids(continuation):
        if not _is_element(part):
            continue
        if part.S == "/THead":
            # The header rows repeated at the top of the page stay readable, as rows of the
            # body where the page breaks: as artifacts, a checker takes them for hidden prose.
            for row in _tagged(part, "/TR"):
                _adopt(body, row)
                for cell in _tagged(row, "/TH"):  # the cells name the first part's headers
                    cell.A = Dictionary(cell.get("/A", Dictionary(O=Name.Table)))
                    cell.A.Scope = Name.Column
            continue
        if part.S == "/TFoot":
            for footer in _tagged(first, "/TFoot"):  # repeated at the foot of every part
                _detach(first, footer)
            _adopt(first, part)
            rows = _tagged(part, "/TR")
        elif part.S == "/TBody":
            rows = _tagged(part, "/TR")
            for row in rows:
                _adopt(body, row)
        else:
            _adopt(first, part)
            rows = []
        for row in rows:
            for cell in _kids(row):
                if _is_element(cell) and "/A" in cell and "/Headers" in cell.A:
                    cell.A.Headers = Array(
                        renamed.get(bytes(header), header) for header in cell.A.Headers
                    )
    parent = continuation.P
    _detach(parent, continuation)
    while parent.get("/S") not in (None, "/Document") and not _kids(parent):
        grandparent = parent.P
        _detach(grandparent, parent)
        parent = grandparent


def _adopt(parent, kid):
    if "/K" not in parent or not isinstance(parent.K, Array):
        parent.K = Array(_kids(parent))
    parent.K.append(kid)
    kid.P = parent
    return kid


def _detach(parent, kid) -> None:
    parent.K = Array(other for other in _kids(parent) if other.objgen != kid.objgen)


def _reachable_content(root) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) of the marked content that the structure tree reaches."""
    reached = set()

    def walk(node, page):
        if isinstance(node, int):
            reached.add((page, node))
            return
        if not isinstance(node, Dictionary):
            return
        if node.get("/Type") == "/MCR":
            reached.add((node.Pg.objgen if "/Pg" in node else page, int(node.MCID)))
            return
        if "/Pg" in node:
            page = node.Pg.objgen
        for kid in _kids(node):
            walk(kid, page)

    walk(root, None)
    return reached


def _artifact_unreachable_content(pdf) -> None:
    reached: dict[tuple[int, int], set[int]] = {}
    for page, mcid in _reachable_content(pdf.Root.StructTreeRoot):
        reached.setdefault(page, set()).add(mcid)
    parent_tree = pdf.Root.StructTreeRoot.ParentTree
    nums = parent_tree.Nums if "/Nums" in parent_tree else Array()
    parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    for page in pdf.pages:
        orphans = _mark_as_artifacts(pdf, page, reached.get(page.objgen, set()))
        entries = parents.get(int(page.get("/StructParents", -1)))
        if orphans and isinstance(entries, Array):
            for mcid in orphans:
                if mcid < len(entries):
                    entries[mcid] = None


# How WeasyPrint writes the start of tagged content: "/Span <</MCID 12>> BDC".
_TAGGED = re.compile(rb"/[^\s/<>\[\]()]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _mark_as_artifacts(pdf, page, reached: set[int]) -> set[int]:
    """Rewrites the page's tagged content that the structure tree does not reach
    (`/Span <</MCID n>> BDC`) as pagination artifacts; returns their MCIDs. Replacing the bytes
    WeasyPrint writes is ten times faster than parsing the stream and writing it again, which
    is what happens to a page whose content is in several streams."""
    orphans: set[int] = set()
    contents = page.Contents
    if isinstance(contents, pikepdf.Stream):

        def artifact(match):
            mcid = int(match.group(1))
            if mcid in reached:
                return match.group(0)
            orphans.add(mcid)
            return _ARTIFACT

        data = _TAGGED.sub(artifact, contents.read_bytes())
        if orphans:
            contents.write(data)
        return orphans
    instructions = pikepdf.parse_content_stream(page)
    for index, instruction in enumerate(instructions):
        if instruction.operator != MARKED_CONTENT:
            continue
        properties = instruction.operands[1]
        if isinstance(properties, Dictionary) and "/MCID" in properties:
            mcid = int(properties.MCID)
            if mcid not in reached:
                orphans.add(mcid)
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, PAGINATION], MARKED_CONTENT
                )
    if orphans:
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return orphans


def _figure_boxes_in_points(pdf) -> None:
    for node in _elements(pdf.Root.StructTreeRoot):
        if node.S != "/Figure" or "/A" not in node or "/Pg" not in node:
            continue
        attributes = node.A
        if not isinstance(attributes, Dictionary) or "/BBox" not in attributes:
            continue
        left, top, right, bottom = (float(value) for value in attributes.BBox)
        media = [float(value) for value in node.Pg.MediaBox]
        page_top = media[3]
        attributes.BBox = Array(
            [
                media[0] + left * PX_TO_PT,
                page_top - bottom * PX_TO_PT,
                media[0] + right * PX_TO_PT,
                page_top - top * PX_TO_PT,
            ]
        )
