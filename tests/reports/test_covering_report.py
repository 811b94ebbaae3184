"""The covering report for Cabinet: the administrator's narrative, numbered, with the abridged
plans appended (as councils write them)."""

import datetime

import pytest

from organisation.models import Committee, FinancialYear
from reports.models import CoveringReport
from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def narrative(demo_council, django_db_blocker):
    with django_db_blocker.unblock():
        return CoveringReport.objects.create(
            year=FinancialYear.objects.get(start_year=2012),
            committee=Committee.objects.get(name="Cabinet"),
            meeting_date=datetime.date(2012, 3, 8),
            agenda_item="22",
            title="Service plans 2012/13",
            report_of="Head of Policy and Performance",
            decision="Council decision",
            purpose="To present the 2012/13 service plans for endorsement by the Cabinet.",
            recommendations="That members endorse the 2012/13 service plans.\n\n"
            "That progress is reported to the Services Select Committee twice a year.",
            reasons="Service plans translate the Council's priorities into delivery.",
            background="The plans have been developed alongside the budget process.",
            financial_implications="The action plans reflect the 2012/13 budget.",
            legal_implications="None specifically from this report.",
            risk_assessment="Actions in the plans have been risk assessed.",
            consultation_and_customer_impact="The action plans assess customer impact.",
            policy_implications="The plans deliver the corporate plan.",
            contact_name="Helen Dean",
            contact_title="Head of Policy and Performance",
            contact_phone="527003",
            contact_email="helen.dean@example.org",
            background_papers="Corporate Plan 2011-15",
        )


@pytest.fixture(scope="module")
def cabinet_report(rendered, narrative):
    return rendered("covering-report", covering_report=str(narrative.pk))


@pytest.fixture(scope="module")
def text(cabinet_report):
    return " ".join(squeeze(page) for page in pdf_pages(cabinet_report[3].content))


def test_the_narrative_is_numbered_in_the_councils_order(text):
    assert "Agenda item: 22 Report to Cabinet 8 March 2012" in text
    assert "Report of Head of Policy and Performance Council decision" in text
    order = [
        "1. PURPOSE OF REPORT",
        "2. RECOMMENDATIONS",
        "3. REASONS FOR THE RECOMMENDATIONS",
        "4. BACKGROUND",
        "5. FINANCIAL AND LEGAL IMPLICATIONS",
        "6. RISK ASSESSMENT",
        "7. CONSULTATION AND CUSTOMER IMPACT",
        "8. POLICY IMPLICATIONS",
        "9. CONTACT OFFICER",
        "10. BACKGROUND PAPERS",
    ]
    positions = [text.upper().index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "That members endorse the 2012/13 service plans." in text
    assert "That progress is reported to the Services Select Committee twice a year." in text
    assert "Helen Dean, Head of Policy and Performance Telephone: 527003" in text


def test_recommendations_are_a_numbered_list(cabinet_report):
    html = cabinet_report[2]
    assert '<ol class="recommendations"><li>That members endorse' in html
    assert html.count("<li>That ") == 2


def test_the_abridged_plans_are_appended_with_key_objectives_and_actions(cabinet_report, text):
    plans = cabinet_report[1]["plans"]
    assert len(plans) == 28
    appendix = text[text.index("Appendix: abridged service plans 2012/13") :]
    assert "Direct Services" in appendix and "Licensing" in appendix
    assert "Implement the agreed work streams of the Kent Waste Strategy" in appendix
    assert "Responsible officer" in appendix
    assert "Endorsed by Cabinet on 8 March 2012." in appendix
    assert "Version" not in appendix, "plans are told apart by dates, not numbers"


def test_the_document_title_is_the_reports(cabinet_report):
    report, data, html, result = cabinet_report
    assert report.document_title() == "Service plans 2012/13 – Cabinet"
    assert result.filename == "service-plans-201213-cabinet.pdf"
