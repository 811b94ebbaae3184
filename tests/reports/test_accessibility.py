"""The report PDFs checked by a PDF/UA-1 and WCAG 2.2 checker (outloud, from PyPI): no error
in any of them.

The checker runs from a virtual environment of its own (it brings lxml, which would change how
openpyxl reads spreadsheets in this one): OUTLOUD=/path/to/outloud, or .venv-pdfcheck/ in the
project (`python3 -m venv .venv-pdfcheck && .venv-pdfcheck/bin/pip install 'outloud>=0.2.1,<0.3'`
is one way). Without it these tests skip, saying so.

What the checker still warns about, allowed here:
- PAG-001: a line at the same place on three or more pages is taken for a running header: the
  committee summary's "Part 2b" heading and caption, repeated for each head of service. (The
  real running headers and page numbers are artifacts: reports/tagging.py.)
- TBL-014: a table continued on the next page is not matched to its /Table by the checker's
  geometry.
- TBL-013: a table continued on the next page (one /Table, its rows on two pages: reports/
  tagging.py) is measured as if all its rows were on its first page, overlapping the next table.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from organisation.models import Committee, FinancialYear
from plans.models import ServicePlan
from reports.models import CoveringReport

pytestmark = pytest.mark.django_db

ALLOWED_WARNINGS = {"PAG-001", "TBL-013", "TBL-014"}


def checker() -> str | None:
    candidates = [
        os.environ.get("OUTLOUD", ""),
        str(Path(settings.BASE_DIR) / ".venv-pdfcheck" / "bin" / "outloud"),
        shutil.which("outloud") or "",
    ]
    return next((path for path in candidates if path and Path(path).is_file()), None)


def check(pdf: Path) -> dict:
    """outloud's JSON report of one PDF: its findings and the outcome of every rule."""
    report = pdf.with_suffix(".json")
    subprocess.run(
        [checker(), str(pdf), "--json", str(report), "--fail-on", "never", "--quiet"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads(report.read_text())["results"][0]


@pytest.fixture(scope="module")
def form_data(demo_council, django_db_blocker):
    with django_db_blocker.unblock():
        committee = Committee.objects.get(name="Services Select Committee")
        plan = ServicePlan.objects.get(service__name="Direct Services")
        narrative = CoveringReport.objects.create(
            year=FinancialYear.objects.get(start_year=2012),
            committee=Committee.objects.get(name="Cabinet"),
            meeting_date="2012-03-08",
            title="Service plans 2012/13",
            report_of="Head of Policy and Performance",
            purpose="To present the 2012/13 service plans.",
            recommendations="That members endorse the 2012/13 service plans.",
            contact_name="Helen Dean",
            contact_email="helen.dean@example.org",
        )
    return {
        "committee-summary": {"committee": str(committee.pk), "year": "2012", "as_at": "2012-08"},
        "service-plan": {"plan": str(plan.pk)},
        "kpi-booklet": {"year": "2012", "as_at": "2012-08"},
        "covering-report": {"covering_report": str(narrative.pk)},
    }


@pytest.mark.parametrize(
    "slug", ["committee-summary", "service-plan", "kpi-booklet", "covering-report"]
)
def test_no_pdf_ua_error(rendered, form_data, slug, tmp_path):
    if checker() is None:
        pytest.skip("No PDF/UA checker: set OUTLOUD or install .[pdfcheck] in .venv-pdfcheck")
    path = tmp_path / f"{slug}.pdf"
    path.write_bytes(rendered(slug, **form_data[slug])[3].content)
    result = check(path)
    findings = result["findings"]
    errors = [f"{f['rule']} {f['message']}" for f in findings if f["severity"] == "error"]
    assert errors == []
    warnings = {f["rule"] for f in findings if f["severity"] == "warning"}
    assert warnings <= ALLOWED_WARNINGS
    # Title, language, tagging, Unicode text, headings; figures' alternative text.
    passed = {rule["rule"] for rule in result["rules"] if rule["outcome"] == "pass"}
    required = {"DOC-001", "DOC-002", "DOC-003", "TAG-001", "TXT-001", "HDG-001"}
    if slug in ("committee-summary", "service-plan"):  # the ones with charts
        required.add("FIG-001")
    assert required <= passed
