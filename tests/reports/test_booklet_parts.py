"""The KPI booklet laid out in parts and joined into one PDF (reports.joining), as a large
council's is: here the demo council's, in parts of a dozen indicators. The joined document
must read as the booklet laid out whole does: the same tables with their captions and header
rows, contents whose page numbers and links lead to the sections, bookmarks to them, pages
numbered on from part to part, and one structure tree whose every page and link finds its
elements (the PDF/UA check: test_accessibility)."""

import io

import pikepdf
import pytest

from reports import booklet
from tests.reports.conftest import pdf_pages, squeeze
from tests.reports.pdf_tags import read_tags

pytestmark = pytest.mark.django_db

FORM = {"year": "2012", "as_at": "2012-08"}


@pytest.fixture(scope="module")
def whole(rendered):
    return rendered("kpi-booklet", **FORM)[3].content


@pytest.fixture(scope="module")
def in_parts(demo_council, django_db_blocker):
    from reports import pdf
    from reports.base import get_report

    laid_out = []
    real = pdf.html_to_pdf
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(booklet, "PART_INDICATORS", 12)
        patch.setattr(pdf, "html_to_pdf", lambda html: laid_out.append(html) or real(html))
        report = get_report("kpi-booklet").from_form_data(FORM)
        data = report.data()
        groups = booklet.portfolio_groups(data["portfolios"], 12)
        content = report.render().content
    # The front (twice: its page count, then its page numbers), the overview, each group.
    assert len(groups) >= 3 and len(laid_out) == len(groups) + 3
    return data, content


@pytest.fixture(scope="module")
def pages(in_parts):
    return [squeeze(page) for page in pdf_pages(in_parts[1])]


def test_the_parts_hold_the_same_tables_and_text_as_the_whole_booklet(whole, in_parts):
    joined, alone = read_tags(in_parts[1]), read_tags(whole)
    assert joined.tables == alone.tables
    assert len(joined.tables) > 10
    # After the contents (whose page numbers differ: each part starts on a new page).
    last_entry = "Exceptions: indicators missing target by 10% or more"
    assert squeeze(joined.text).split(last_entry)[-1] == squeeze(alone.text).split(last_entry)[-1]


def test_pages_are_numbered_on_from_part_to_part_with_the_total(in_parts, pages):
    from tests.reports.test_tags import drawn_in_artifacts

    assert len(pages) > 8
    for number, text in enumerate(drawn_in_artifacts(in_parts[1]), start=1):
        assert f"Page {number} of {len(pages)}" in text, text[-80:]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, text[-80:]


def test_contents_links_and_bookmarks_lead_to_the_page_each_section_starts_on(in_parts, pages):
    data, content = in_parts
    with pikepdf.open(io.BytesIO(content)) as pdf:
        page_numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        destinations = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        links = [
            str(annotation.A.D)
            for annotation in pdf.pages[1].get("/Annots", [])
            if annotation.get("/Subtype") == "/Link"
        ]
        anchors = [anchor for anchor, _title, _level in data["contents"]]
        assert list(dict.fromkeys(links)) == anchors
        for anchor, title, _level in data["contents"]:
            page = page_numbers[destinations[anchor][0].objgen]
            assert pages[page - 1].startswith(title) or f" {title} " in pages[page - 1]
            listed = pages[1].split(title, 1)[1].lstrip(" .").split()[0]
            assert listed == str(page), (title, listed, page)
        with pdf.open_outline() as outline:
            bookmarks = {
                item.title: page_numbers[item.destination[0].objgen]
                for item in outline.root
                for item in [item, *item.children]
            }
    for anchor, title, _level in data["contents"]:
        page = page_numbers[destinations[anchor][0].objgen]
        assert bookmarks[title] == page


def test_every_page_and_link_finds_its_own_structure_elements(in_parts):
    _, content = in_parts
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
        assert len(parents) == len(nums) // 2  # no key twice
        for page in pdf.pages:
            for element in parents[int(page.StructParents)]:
                if element is not None:
                    assert element.Pg.objgen == page.objgen
            for annotation in page.get("/Annots", []):
                link = parents[int(annotation.StructParent)]
                assert any(kid.get("/Obj") == annotation for kid in link.K)
        documents = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
        assert [str(document.S) for document in documents] == ["/Document"]
        ids = [str(node.ID) for node in _elements(root) if "/ID" in node]
        assert len(ids) == len(set(ids)) > 50


def _elements(node):
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def test_the_joined_booklet_has_no_pdf_ua_error(in_parts, tmp_path):
    from tests.reports.test_accessibility import ALLOWED_WARNINGS, check, checker

    if checker() is None:
        pytest.skip("No PDF/UA checker: set OUTLOUD or install .[pdfcheck] in .venv-pdfcheck")
    path = tmp_path / "booklet-in-parts.pdf"
    path.write_bytes(in_parts[1])
    result = check(path)
    errors = [f"{f['rule']} {f['message']}" for f in result["findings"] if f["severity"] == "error"]
    assert errors == []
    warnings = {f["rule"] for f in result["findings"] if f["severity"] == "warning"}
    assert warnings <= ALLOWED_WARNINGS
    passed = {rule["rule"] for rule in result["rules"] if rule["outcome"] == "pass"}
    assert {"DOC-001", "DOC-002", "DOC-003", "TAG-001", "TXT-001", "HDG-001"} <= passed


def test_the_structure_elements_are_packed_into_compressed_object_streams(whole, in_parts):
    """A large booklet has a structure element for every cell (136,000 in the county's), each
    written one by one: 17.6 MB for its 467 pages, 5 MB packed."""
    for content in (whole, in_parts[1]):
        assert b"/StructElem" not in content
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert any(element.S == "/TD" for element in _elements(pdf.Root.StructTreeRoot))


def test_no_page_is_left_with_only_its_running_header_and_number(in_parts):
    """Each part starts on a page of its own: none leaves an empty page before it."""
    with pikepdf.open(io.BytesIO(in_parts[1])) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            tagged = [
                operands
                for operands, _ in pikepdf.parse_content_stream(page, "BDC")
                if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
            ]
            assert tagged, f"page {number} has nothing on it"
