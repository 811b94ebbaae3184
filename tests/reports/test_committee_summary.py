"""The summary of service plans for the Services Select Committee 2012/13, as at August 2012,
reproduces the Sevenoaks 2012/13 summary: the figures below are copied from the Sevenoaks summary's
text, not from the demo's
files, and are read back from the text of the PDF.

Rendered once for the module (a few seconds of WeasyPrint); the HTML step is tested apart,
without WeasyPrint.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.models import Committee
from reports.base import get_report
from reports.committee_summary import ServiceEntry, split_services
from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db

PORTFOLIOS = (
    "Environmental & Operational Services",
    "Finance & HR",
    "Housing & Communications",
    "IT & Facilities Management",
    "Legal & Democratic Services",
)

# The Sevenoaks 2012/13 summary, Part 2b: Budget 10/11, 11/12, 12/13 (£000). Its "IT" is the
# service "IT Services".
SEED_BUDGET_ROWS = [
    "Building Control 33 -69 -58",
    "Direct Services 4,311 3,671 3,662",
    "Environmental Health 879 706 669",
    "Licensing 2 -11 -25",
    "Parking & Amenity -1,372 -1,624 -1,711",
    "Audit, Risk & Anti Fraud 152 161 139",
    "Finance 3,152 2,711 2,834",
    "Housing Benefits 940 664 169",
    "Human Resources 493 555 633",
    "Revenues 280 233 154",
    "Communications 158 145 145",
    "Housing Policy 42 39 30",
    "Private & Social Housing 821 738 699",
    "Customer Services 507 525 461",
    "IT Services 1,204 1,115 1,073",
    "Facilities Management 545 516 515",
    "Democratic Services 129 89 116",
    "Elections & Land Charges 136 91 77",
    "Legal Services 377 295 313",
    "Policy & Performance 25 0.9 6",
    "Property Services 686 607 466",
]

# Part 2c: 2008 - 10, 2011/12, 2012/13, 2013/14, 2014/15 (£000): each TOTAL row as printed.
SEED_SAVINGS_TOTALS = {
    "Environmental & Operational Services": "TOTAL 1,137 1,096 44 14 50",
    "Finance & HR": "TOTAL 570 131 50 50 -",
    "Housing & Communications": "TOTAL 231 114 69 - -",
    "IT & Facilities Management": "TOTAL 247 180 120 20 60",
}
SEED_SAVINGS_ROWS = [
    "Direct Services 456 668 16 - 50",
    "Parking & Amenity 484 199 13 14 -",
    "Revenues & Benefits 123 50 - 30 -",
    "Customer Services 0 - 40 - -",
    "Elections & Land Charges - -22 - - -",
]
# Legal & Democratic Services over two summaries: its first part's own TOTAL, and the whole
# portfolio's total on the continuation.
SEED_LEGAL_FIRST_TOTAL = "TOTAL 30 70 - - -"
SEED_LEGAL_TOTAL = "Legal & Democratic Services Total 176 233 15 75 -"

# Part 3b (at August 2012): green, amber, red, with "-" for none, as the Sevenoaks summary prints
# them.
SEED_COUNTS = {
    "Building Control": "2 - -",
    "Direct Services": "4 1 4",
    "Environmental Health": "1 - 1",
    "Licensing": "1 1 -",
    "Parking & Amenity": "1 - -",
    "Audit, Risk & Anti Fraud": "1 - -",
    "Finance": "- - 1",
    "Housing Benefits": "- 1 1",
    "Human Resources": "1 - -",
    "Revenues": "2 - -",
    "Communications": "- - -",
    "Housing Policy": "1 - 1",
    "Private Housing": "1 - 1",
    "Social Housing": "3 - -",
    "Customer Services": "3 - -",
    "IT Services": "- 1 -",
    "Facilities Management": "1 - -",
    "Democratic Services": "3 - -",
    "Elections & Land Charges": "- 1 -",
    "Legal Services": "3 - -",
    "Policy & Performance": "1 - -",
    "Property Services": "- - -",
}
# Overall performance where the Sevenoaks summary prints one.
SEED_OVERALL = {
    "Customer Services": "✓ Green",
    "IT Services": "▲ Amber",
    "Facilities Management": "✓ Green",
    "Democratic Services": "✓ Green",
    "Elections & Land Charges": "▲ Amber",
    "Legal Services": "✓ Green",
    "Policy & Performance": "✓ Green",
}


@pytest.fixture(scope="module")
def form_data(demo_council, django_db_blocker):
    with django_db_blocker.unblock():
        committee = Committee.objects.get(name="Services Select Committee")
    return {"committee": str(committee.pk), "year": "2012", "as_at": "2012-08"}


@pytest.fixture(scope="module")
def pack(rendered, form_data):
    return rendered("committee-summary", **form_data)


@pytest.fixture(scope="module")
def pages(pack):
    return [squeeze(page) for page in pdf_pages(pack[3].content)]


def section_pages(pages, portfolio, continued=False):
    """The pages of one head of service's summary, up to the next summary."""
    heading = f"{portfolio} Service Plan Summary 2012/13" + (" (continued)" if continued else "")
    start = next(
        i
        for i, page in enumerate(pages)
        if heading in page
        and "Contents" not in page
        and (continued or f"{heading} (continued)" not in page)
    )
    end = next(
        (i for i in range(start + 1, len(pages)) if "Service Plan Summary 2012/13" in pages[i]),
        len(pages),
    )
    return " ".join(pages[start:end])


def test_the_pack_is_the_sevenoaks_heads_of_service_in_order(pack):
    report, data, html, result = pack
    headings = [
        (summary.head_of_service.name, summary.part, summary.parts) for summary in data["summaries"]
    ]
    assert headings == [
        ("Environmental & Operational Services", 1, 1),
        ("Finance & HR", 1, 1),
        ("Housing & Communications", 1, 1),
        ("IT & Facilities Management", 1, 1),
        ("Legal & Democratic Services", 1, 2),
        ("Legal & Democratic Services", 2, 2),
    ]
    continued = data["summaries"][-1]
    assert [entry.service.name for entry in data["summaries"][-2].services] == [
        "Democratic Services",
        "Elections & Land Charges",
        "Legal Services",
    ]
    assert [entry.service.name for entry in continued.services] == [
        "Policy & Performance",
        "Property Services",
    ]
    assert result.filename == "summary-of-201213-service-plans-services-select-committee.pdf"


def test_budgets_of_part_2b_match_the_seed(pages):
    text = " ".join(pages)
    for row in SEED_BUDGET_ROWS:
        assert row in text


def test_savings_of_part_2c_and_their_totals_match_the_seed(pages):
    for portfolio, total in SEED_SAVINGS_TOTALS.items():
        assert total in section_pages(pages, portfolio), portfolio
    text = " ".join(pages)
    for row in SEED_SAVINGS_ROWS:
        assert row in text
    assert "2008 - 10 2011/12 2012/13 2013/14 2014/15" in text


def test_legal_and_democratic_services_continue_with_the_portfolio_total(pages):
    first = section_pages(pages, "Legal & Democratic Services")
    continued = section_pages(pages, "Legal & Democratic Services", continued=True)
    assert SEED_LEGAL_FIRST_TOTAL in first
    assert "Legal & Democratic Services Total" not in first
    assert SEED_LEGAL_TOTAL in continued
    assert "Policy & Performance 58 70 15 - -" in continued
    savings = continued.split("Part 2c")[1].split("Part 3a")[0]
    assert not re.search(r"(^|[^&] )Democratic Services [-\d]", savings)


def test_service_performance_counts_of_part_3b_match_the_seed(pages):
    text = " ".join(pages)
    for service, counts in SEED_COUNTS.items():
        assert re.search(rf"{re.escape(service)} {counts} [-\d] ", text), service
    for service, overall in SEED_OVERALL.items():
        assert re.search(rf"{re.escape(service)} [-\d] [-\d] [-\d] [-\d] {overall}", text)
    # Communications and Property Services have nothing with a colour: no overall status.
    assert re.search(r"Communications - - - 1 - ", text)


def test_part_3a_charts_count_each_portfolio(pack):
    summaries = {s.head_of_service.name: s for s in pack[1]["summaries"]}
    counts = summaries["Environmental & Operational Services"].performance.counts
    assert (counts.green, counts.amber, counts.red) == (9, 2, 5)
    assert "Bar chart: 9 green, 2 amber, 5 red" in pack[2]


def test_budget_risks_of_part_3c(pages):
    assert (
        "There are currently no significant budget risks in Environmental & Operational Services."
        in section_pages(pages, "Environmental & Operational Services")
    )
    assert "no significant budget risks in Finance & HR." in section_pages(pages, "Finance & HR")
    housing = section_pages(pages, "Housing & Communications")
    assert "Housing - Homeless Expenditure on Bed and Breakfast accommodation" in housing
    assert "no significant budget risks" not in housing
    legal = section_pages(pages, "Legal & Democratic Services")
    assert "Land Charges Income continues to be affected by the depressed state" in legal
    assert (
        "There are currently no significant budget risks in Policy & Performance or Property "
        "Services." in section_pages(pages, "Legal & Democratic Services", continued=True)
    )


def test_part_1_shows_key_objectives_of_reviewed_services_only(pages):
    eos = section_pages(pages, "Environmental & Operational Services")
    assert "Building Control" in eos
    assert "Reviewed by Environment Select Committee" in eos
    assert "Implement the agreed work streams of the Kent Waste Strategy" in eos
    assert "Continue to develop the 'Centre for Excellence' for all Council licensing" in eos
    # Direct Services is reviewed by the other two committees for part of its remit.
    assert (
        "Also reviewed by Environment Select Committee (Street Cleaning) and Social Affairs "
        "Select Committee (CCTV, Pest Control & WC's)" in eos
    )


def test_the_guidance_page_matrix_has_every_service_and_scope_note(pack, pages):
    matrix = pack[1]["matrix"]
    assert len(matrix) == 28
    assert [c.name for c in pack[1]["matrix_committees"]] == [
        "Environment Select Committee",
        "Social Affairs Select Committee",
        "Services Select Committee",
    ]
    direct = next(row for row in matrix if row.service.name == "Direct Services")
    assert [review.scope_note if review else None for review in direct.cells] == [
        "Street Cleaning",
        "CCTV, Pest Control & WC's",
        "",
    ]
    guidance = " ".join(pages[:2])
    assert "Summary of 2012/13 Service Plans Services Select Committee Guidance Page" in guidance
    assert "Direct Services ✓ Street Cleaning ✓ CCTV, Pest Control & WC's ✓" in guidance
    assert "Elections & Land Charges ✓ Land Charges ✓ Elections" in guidance
    assert "1: Key Service Objectives" in " ".join(pages[:3])


def test_every_page_says_page_x_of_y_and_carries_the_running_header(pages):
    total = len(pages)
    assert total >= 10
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        if number > 1:
            assert "Sevenoaks District Council" in page
            assert "Summary of 2012/13 Service Plans – Services Select Committee" in page


def test_the_contents_page_numbers_are_where_each_summary_starts(pages):
    index = next(i for i, page in enumerate(pages) if "Contents" in page)
    entries = re.findall(
        r"((?:[A-Z][\w&,]*\s)+?Service Plan Summary 2012/13(?: \(continued\))?)[ .]*(\d+)",
        pages[index].split("Contents", 1)[1],
    )
    assert len(entries) == 6
    for title, number in entries:
        exact = re.escape(title) + ("" if title.endswith(")") else r"(?! \(continued\))")
        start = next(i + 1 for i in range(index + 1, len(pages)) if re.search(exact, pages[i]))
        assert int(number) == start, title


def test_the_pdf_is_tagged_with_title_language_and_our_fonts_only(pack):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pack[3].content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    assert reader.metadata.title == "Summary of 2012/13 Service Plans – Services Select Committee"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"].split("+", 1)[-1])
    assert fonts <= {"Report-Sans", "Report-Sans-Bold", "Report-Symbols", "Report-Symbols-Bold"}


def test_the_html_step_alone_is_a_document_a_browser_can_show(demo_council, form_data):
    report = get_report("committee-summary").from_form_data(form_data)
    html = report.html(preview=True)
    assert html.startswith("<!doctype html>") or "<!doctype html>" in html[:200]
    assert '<html lang="en-GB">' in html
    assert "/static/css/reports.css" in html
    assert "Preview of the report" in html


def test_gathering_the_data_takes_a_bounded_number_of_queries(demo_council, form_data):
    def queries_for(committee_name):
        committee = Committee.objects.get(name=committee_name)
        report = get_report("committee-summary").from_form_data(
            {**form_data, "committee": str(committee.pk)}
        )
        with CaptureQueriesContext(connection) as queries:
            data = report.data()
        return len(queries), len({s.head_of_service.pk for s in data["summaries"]})

    services, services_heads = queries_for("Services Select Committee")
    environment, environment_heads = queries_for("Environment Select Committee")
    assert (services_heads, environment_heads) == (5, 4)
    # A fixed cost (structure, published plans, performance counts, committees) and the same
    # few queries per head of service for its staffing, budget and savings tables and risks,
    # however many services it has (Legal & Democratic Services has five, Development
    # Services two).
    per_head = services - environment
    assert services == 61
    assert services - 5 * per_head == environment - 4 * per_head <= 12


def entries(*counts):
    return [
        ServiceEntry(
            service=None, review=object(), other_reviews=[], plan=None, objectives=[None] * n
        )
        for n in counts
    ]


@pytest.mark.parametrize(
    ("counts", "limit", "sizes"),
    [
        ((4, 4, 4, 4, 4), 16, [3, 2]),  # Legal & Democratic Services in the Sevenoaks summary
        ((3, 3, 4, 3, 3), 16, [5]),  # Finance & HR: exactly the limit, one summary
        ((4, 0, 0, 3, 0), 16, [5]),
        ((10, 10, 10), 16, [1, 1, 1]),
        ((20,), 16, [1]),  # one service too big for a summary still gets one
        ((), 16, [0]),
    ],
)
def test_split_services(counts, limit, sizes):
    assert [len(chunk) for chunk in split_services(entries(*counts), limit)] == sizes
