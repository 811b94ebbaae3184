"""Joining tagged PDFs (PDF/UA-1, as reports.pdf writes them) into one document, for a report
laid out in parts (the KPI booklet of a large council: WeasyPrint holds every page of a
document in memory until it is written, so 800 pages take 1.7 GB, and a part of 60 takes a
tenth of that).

What a reader and a PDF/UA checker see stays one document:

- the pages, in order, with the first part's catalogue (title, language, metadata, viewer
  preferences);
- one structure tree: every part's elements under the first part's Document element, the
  ParentTree keys (a page's /StructParents, an annotation's /StructParent) moved past the
  parts before, and table header IDs made unique (WeasyPrint numbers them per document);
- one outline (bookmarks): each part's after the ones before;
- one set of named destinations, so that a link from one part to an anchor in another works:
  WeasyPrint writes no link to an anchor outside its document, so such a link is written as a
  URL under PART_LINK ("https://report.invalid/parts/#head-3") and turned back into a jump to
  the named destination here.

The page numbers ("Page 12 of 467") are drawn once the parts are joined, when the total is
known: a document of as many empty pages, each the shape of the page it goes over, with only
reports.css's page numbers, is laid out (quickly: there is nothing on them) and each of its
pages drawn over the same page of the booklet as a pagination artifact (_number_pages).
"""

import io
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, String

from reports.pdf import BASE_URL
from reports.tagging import COMPACT

PART_LINK = f"{BASE_URL}parts/"

# Given each page's named page in reports.css ("landscape", or "auto": A4 upright), an untagged
# PDF of as many pages of those shapes with nothing on them but their page numbers.
PageNumbers = Callable[[list[str]], bytes]
FOOTER = "<</Type /Pagination /Subtype /Footer>>"


def join_tagged_pdfs(parts: list[bytes], *, page_numbers: PageNumbers | None = None) -> bytes:
    """One PDF of the parts, in order (see the module's description), its pages numbered by
    `page_numbers` when given."""
    with pikepdf.open(io.BytesIO(parts[0])) as joined:
        _unique_header_ids(joined, "p0-")
        next_key = _next_struct_parent(joined)
        outline_items = _outline_items(joined, joined)
        for number, content in enumerate(parts[1:], start=1):
            with pikepdf.open(io.BytesIO(content)) as part:
                _unique_header_ids(part, f"p{number}-")
                next_key = _append_part(joined, part, next_key, outline_items)
        _write_outline(joined, outline_items)
        _links_between_parts(joined)
        if page_numbers:
            _number_pages(joined, page_numbers)
        output = io.BytesIO()
        joined.save(output, fix_metadata_version=False, object_stream_mode=COMPACT)
        return output.getvalue()


def _number_pages(pdf, page_numbers: PageNumbers) -> None:
    """Draws each page of page_numbers' PDF over the same page, as a pagination artifact."""
    shapes = ["landscape" if _is_landscape(page) else "auto" for page in pdf.pages]
    with pikepdf.open(io.BytesIO(page_numbers(shapes))) as drawn:
        if len(drawn.pages) != len(pdf.pages):
            raise ValueError(f"{len(drawn.pages)} pages of numbers for {len(pdf.pages)} pages.")
        for number, (page, over) in enumerate(zip(pdf.pages, drawn.pages, strict=True), 1):
            if _size(over) != _size(page):
                raise ValueError(f"Page {number}'s number is laid out on a page of another size.")
            form = pdf.copy_foreign(over.as_form_xobject())
            _own_resources(page)
            name = page.add_resource(form, Name.XObject, prefix="PageNumber")
            # The page's own drawing may leave the coordinates changed: kept inside q ... Q.
            page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
            drawing = f"\nQ\n/Artifact {FOOTER} BDC q {name} Do Q EMC\n"
            page.contents_add(pikepdf.Stream(pdf, drawing.encode()))


def _own_resources(page) -> None:
    """WeasyPrint gives every page of a document one resources dictionary: each page's number
    goes into a copy of its own, or every page would list every other page's number."""
    resources = Dictionary(page.Resources)
    resources.XObject = Dictionary(resources.get("/XObject", Dictionary()))
    page.Resources = resources


def _size(page) -> tuple[int, int]:
    left, bottom, right, top = (float(value) for value in page.mediabox)
    return round(right - left), round(top - bottom)


def _is_landscape(page) -> bool:
    width, height = _size(page)
    return width > height


def anchor_pages(content: bytes) -> dict[str, int]:
    """The page (from 0) of each named destination (an element's id) of a PDF."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        return {
            name: pages[destination[0].objgen]
            for name, destination in _named_destinations(pdf).items()
            if isinstance(destination, Array) and destination[0].objgen in pages
        }


def _append_part(joined, part, first_key: int, outline_items: list) -> int:
    """Moves the part's pages, tags, outline and named destinations into `joined`; returns
    the next free ParentTree key."""
    _shift_struct_parents(part, first_key)
    next_key = _next_struct_parent(part)
    joined.pages.extend(part.pages)
    # copy_foreign maps each of the part's objects once: the structure elements' /Pg, the
    # destinations' pages and the ParentTree's elements all land on the copies made above.
    document = _document_element(joined)
    for kid in _kids(_document_element(part)):
        copied = _copy(joined, kid)
        copied.P = document
        document.K.append(copied)
    nums = _parent_tree_nums(joined)
    part_nums = _parent_tree_nums(part)
    for index in range(0, len(part_nums), 2):
        nums.append(part_nums[index])
        nums.append(_copy(joined, part_nums[index + 1]))
    destinations = _named_destinations(joined)
    for name, destination in _named_destinations(part).items():
        destinations[name] = _copy(joined, destination)
    outline_items += _outline_items(part, joined)
    return next_key


def _copy(target, value):
    """`value` of another PDF in `target`: copy_foreign takes only indirect objects, and a
    destination or a ParentTree entry may be a direct array of references."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return target.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(target, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(target, item) for key, item in value.items()})
    return value


def _document_element(pdf):
    root = pdf.Root.StructTreeRoot
    kids = _kids(root)
    document = kids[0]
    if not isinstance(root.K, Array) or len(root.K) != 1:
        root.K = Array([document])
    if not isinstance(document.get("/K"), Array):
        document.K = Array(_kids(document))
    return document


def _kids(node) -> list:
    found = node.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def _parent_tree_nums(pdf) -> Array:
    tree = pdf.Root.StructTreeRoot.ParentTree
    if "/Nums" not in tree:
        tree.Nums = Array()
    return tree.Nums


def _next_struct_parent(pdf) -> int:
    nums = _parent_tree_nums(pdf)
    keys = [int(nums[index]) for index in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _shift_struct_parents(pdf, by: int) -> None:
    """Moves every ParentTree key of the part past the ones already in the joined PDF."""
    for page in pdf.pages:
        if "/StructParents" in page:
            page.StructParents = int(page.StructParents) + by
        for annotation in page.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + by
    nums = _parent_tree_nums(pdf)
    for index in range(0, len(nums), 2):
        nums[index] = int(nums[index]) + by


def _unique_header_ids(pdf, prefix: str) -> None:
    """WeasyPrint names a header cell "<table's object number>-<row>-<column>", unique in one
    document only; the cells' /Headers name them."""
    for node in _elements(pdf.Root.StructTreeRoot):
        if "/ID" in node:
            node.ID = String(prefix + str(node.ID))
        attributes = node.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array(String(prefix + str(name)) for name in attributes.Headers)


def _elements(node):
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _named_destinations(pdf) -> NameTree:
    names = pdf.Root.get("/Names")
    if names is None:
        pdf.Root.Names = names = Dictionary()
    if "/Dests" not in names:
        names.Dests = NameTree.new(pdf).obj
    return NameTree(names.Dests)


def _outline_items(pdf, target) -> list:
    """The part's bookmarks as pikepdf OutlineItems for `target`, their destinations (an
    explicit [page /XYZ left top zoom]) copied into it."""
    with pdf.open_outline() as outline:
        return [_copy_item(item, target, pdf is target) for item in outline.root]


def _copy_item(item, target, same: bool):
    destination = item.destination
    if destination is not None and not same:
        destination = _copy(target, destination)
    copied = pikepdf.OutlineItem(item.title, destination)
    copied.children = [_copy_item(child, target, same) for child in item.children]
    return copied


def _write_outline(pdf, items: list) -> None:
    with pdf.open_outline() as outline:
        outline.root[:] = items


def _links_between_parts(pdf) -> None:
    """Links written as PART_LINK#anchor jump to the anchor's named destination."""
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get("/A")
            if not isinstance(action, Dictionary) or action.get("/S") != Name.URI:
                continue
            uri = str(action.URI)
            if uri.startswith(PART_LINK + "#"):
                annotation.A = Dictionary(S=Name.GoTo, D=String(uri.split("#", 1)[1]))
