"""The monitoring report at the half-year 2012/13 for a select committee: a small council with
every kind of exception, its PDF read back (exceptions first, their commentary, the counts),
checked for PDF/UA, drafts kept out, queries flat in the number of services, and the command
line and the reports pages."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import FinancialYear
from organisation.services import update_council_settings
from plans.models import Action, ServicePlan
from reports.base import get_report
from reports.models import GeneratedReport
from reports.monitoring_report import exception_counts
from reports.tasks import publish_report
from tests import factories
from tests.conftest import TEST_COUNCIL_NAME
from tests.reports.conftest import page_of, pdf_pages, squeeze
from tests.reports.test_accessibility import ALLOWED_WARNINGS, check, checker
from tests.reports.test_queue import run_worker

pytestmark = pytest.mark.django_db

HALF_YEAR = datetime.date(2012, 9, 30)
OFF_TRACK, AT_RISK, ON_TRACK, COMPLETED = "off_track", "at_risk", "on_track", "completed"

COUNTS = (
    "2 actions off track, 1 project off track, 1 action at risk, 1 overdue action, "
    "1 overdue milestone, 1 red indicator, 1 risk risen."
)


def update(service, point, reference, status=ON_TRACK, **fields):
    kind = fields.pop("kind", "milestone" if "." in reference else "action")
    return factories.RawProgressUpdateFactory(
        service=service, point=point, reference=reference, kind=kind, status=status, **fields
    )


def build_council() -> SimpleNamespace:
    """Licensing (reviewed for taxis only) with every kind of exception; Finance, whose plan
    marks no key objective; Housing with only a draft; Parking, reviewed by another committee."""
    year = factories.FinancialYearFactory(start_year=2012)
    q1 = factories.FixedMonitoringPointFactory(
        year=year, name="Quarter 1", as_at=datetime.date(2012, 6, 30), due_date="2012-07-31"
    )
    half = factories.FixedMonitoringPointFactory(year=year, as_at=HALF_YEAR)
    q3 = factories.FixedMonitoringPointFactory(
        year=year, name="Quarter 3", as_at=datetime.date(2012, 12, 31), due_date="2013-01-31"
    )
    committee = factories.CommitteeFactory(name="Services Select Committee")
    head = factories.UserFactory(username="hos", first_name="Hannah", last_name="Head")
    licensing = factories.ServiceFactory(name="Licensing", code="LIC")
    factories.CommitteeReviewFactory(
        service=licensing, committee=committee, scope_note="Taxi licensing"
    )
    plan = _licensing_plan(licensing, year)
    _licensing_progress(licensing, q1, half, q3, head)
    _indicator(licensing, "LPI LIC1", "Licences issued in 10 days", value="70")  # red
    _indicator(licensing, "LPI LIC2", "Premises inspected", value="95", forecast="80")  # green

    finance = factories.ServiceFactory(name="Finance", code="FIN")
    factories.CommitteeReviewFactory(service=finance, committee=committee)
    finance_plan = factories.ServicePlanFactory(service=finance, year=year, published=True)
    factories.ActionFactory(plan=finance_plan, title="Close the accounts by June")
    _indicator(finance, "LPI FIN1", "Invoices paid in 30 days", value="85")  # amber

    housing = factories.ServiceFactory(name="Housing", code="HOU")
    factories.CommitteeReviewFactory(service=housing, committee=committee)
    draft = factories.ServicePlanFactory(service=housing, year=year)
    drafted = factories.ActionFactory(plan=draft, title="Secret draft action")
    update(housing, half, drafted.reference, OFF_TRACK, commentary="Draft commentary")
    _indicator(housing, "LPI HOU1", "Homeless households helped", value="10")  # red, no plan

    parking = factories.ServiceFactory(name="Parking", code="PAR")
    factories.CommitteeReviewFactory(service=parking)  # another committee
    parked = factories.ActionFactory(
        plan=factories.ServicePlanFactory(service=parking, year=year, published=True),
        title="Resurface the car parks",
    )
    update(parking, half, parked.reference, OFF_TRACK, commentary="Parking is not ours")

    return SimpleNamespace(
        year=year,
        points=(q1, half, q3),
        point=half,
        committee=committee,
        head=head,
        plan=plan,
        draft=draft,
        licensing=licensing,
    )


def add_services(council, number: int) -> None:
    """More services like Licensing for the committee, each with a plan, progress and figures."""
    for index in range(number):
        service = factories.ServiceFactory(name=f"Extra service {index}", code=f"EX{index}")
        factories.CommitteeReviewFactory(service=service, committee=council.committee)
        _licensing_plan(service, council.year)
        _licensing_progress(service, *council.points, council.head)
        _indicator(service, f"LPI EX{index}", "Extra", value="70")


def _licensing_plan(service, year) -> ServicePlan:
    plan = factories.ServicePlanFactory(service=service, year=year, published=True)
    key = factories.ObjectiveFactory(plan=plan, title="Keep taxis safe", is_key=True)
    other = factories.ObjectiveFactory(plan=plan, title="Run a tidy office")
    actions = [
        ("Review the taxi licensing policy", key, datetime.date(2013, 3, 31)),  # A01
        ("Take applications online", key, datetime.date(2013, 3, 31)),  # A02
        ("Train the enforcement officers", key, datetime.date(2012, 8, 31)),  # A03: overdue
        ("Publish the licence register", key, datetime.date(2012, 7, 31)),  # A04: completed
        ("Tidy the filing room", other, datetime.date(2013, 3, 31)),  # A05: not key
    ]
    for title, objective, due in actions:
        factories.ActionFactory(plan=plan, objective=objective, title=title, target_date=due)
    first, second, third = Action.objects.filter(plan=plan).order_by("reference")[:3]
    factories.MilestoneFactory(action=first, title="Consult the trade", due_date="2012-07-31")
    factories.MilestoneFactory(action=second, title="Choose a supplier", due_date="2012-12-31")
    factories.MilestoneFactory(
        action=third, title="Book the trainer", due_date="2012-06-30", completed_on="2012-06-01"
    )
    factories.ProjectFactory(plan=plan, title="New licensing system")
    factories.RiskFactory(plan=plan, description="Trade challenges the policy in court")
    factories.RiskFactory(plan=plan, description="Key staff leave")
    factories.RiskFactory(plan=plan, description="Fees fall short")  # never re-scored
    return plan


def _licensing_progress(service, q1, half, q3, head) -> None:
    code = service.code
    off = update(
        service, half, f"{code}-A01", OFF_TRACK, percent_complete=20,
        commentary="Consultation delayed by a legal challenge.",
    )  # fmt: skip
    off.head_comment, off.head_comment_by = "Agreed to extend to January.", head
    off.save()
    update(service, half, f"{code}-A02", AT_RISK, commentary="The supplier is late.")
    update(service, q3, f"{code}-A02", COMPLETED, commentary="Done after the point.")
    update(service, half, f"{code}-A03", ON_TRACK, percent_complete=80, commentary="Two left.")
    update(service, q1, f"{code}-A04", COMPLETED, percent_complete=100, commentary="Published.")
    update(service, half, f"{code}-A05", OFF_TRACK, commentary="No storage budget.")
    update(service, half, f"{code}-P01", OFF_TRACK, kind="project", commentary="Go-live slips.")
    update(
        service, q1, f"{code}-R01", "", kind="risk", likelihood=4, impact=4,
        commentary="Judicial review lodged.", percent_complete=None,
    )  # fmt: skip
    update(
        service, half, f"{code}-R02", "", kind="risk", likelihood=2, impact=3,
        commentary="Deputies trained.", percent_complete=None,
    )  # fmt: skip


def _indicator(service, code, title, *, value, forecast=None) -> None:
    indicator = factories.IndicatorFactory(service=service, code=code, title=title)
    factories.TargetFactory(indicator=indicator, year=FinancialYear.objects.get(start_year=2012))
    factories.ActualFactory(
        indicator=indicator,
        period_end=HALF_YEAR,
        value=Decimal(value),
        forecast_outturn=Decimal(forecast) if forecast else None,
        commentary=f"{title}: commentary for members.",
    )


@pytest.fixture
def people(db):
    """An administrator, who generates and publishes reports, and a member, who reads them."""
    from django.contrib.auth.models import Group

    from organisation import access

    def person(username, group):
        user = factories.UserFactory(username=username)
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    return SimpleNamespace(
        admin=person("admin", access.ADMINISTRATORS), member=person("member", access.MEMBERS)
    )


def form_data(council) -> dict:
    return {"point": str(council.point.pk), "committee": str(council.committee.pk)}


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """The report of the small council, rendered once for the module (WeasyPrint takes
    seconds): (council, html, pages of PDF text, PDF bytes), the council rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        council = build_council()
        update_council_settings(values={"name": TEST_COUNCIL_NAME})
        report = get_report("monitoring-report").from_form_data(form_data(council))
        html = report.html()
        content = report.render().content
        # Gone before the module's other tests, which build the council again.
        transaction.set_rollback(True)
    return council, html, pdf_pages(content), content


def test_the_cover_says_which_point_and_for_whom(rendered):
    council, html, pages, content = rendered
    cover = squeeze(pages[0])
    assert TEST_COUNCIL_NAME in cover
    assert "Monitoring report: Half-year 2012/13, as at 30 September 2012" in cover
    assert "For the Services Select Committee" in cover
    assert "Services 3 (1 with no published 2012/13 plan)" in cover


def test_exceptions_come_first_with_their_counts(rendered):
    council, html, pages, content = rendered
    text = squeeze(" ".join(pages))
    assert COUNTS in text
    exceptions = page_of(pages, "Actions, projects and milestones off track, at risk or overdue")
    assert exceptions < page_of(pages, "Progress of key actions", start=exceptions)
    assert page_of(pages, "Progress of key actions", start=exceptions) < page_of(
        pages, "Performance summary", start=exceptions
    )
    assert page_of(pages, "Performance summary", start=exceptions) < page_of(
        pages, "Risk movements", start=exceptions
    )


def test_each_exception_has_its_service_status_due_date_and_commentary(rendered):
    council, html, pages, content = rendered
    first = squeeze(pages[page_of(pages, "off track, at risk or overdue", start=2) - 1])
    assert "LIC-A01 Action Review the taxi licensing policy Licensing Off track" in first
    assert "Consultation delayed by a legal challenge." in first
    assert "Head of service: Agreed to extend to January." in first
    assert "LIC-A02 Action Take applications online Licensing At risk" in first
    assert "The supplier is late." in first  # the half-year's, not the later completion
    assert "Done after the point." not in squeeze(" ".join(pages))
    assert (
        "LIC-A03 Action Train the enforcement officers Licensing On track Overdue 31 Aug 2012"
        in (first)
    )
    assert "LIC-A01.1 Milestone of LIC-A01 Consult the trade Licensing Not started Overdue" in first
    assert "LIC-P01 Project New licensing system Licensing Off track" in first
    assert "LIC-A05 Action Tidy the filing room" in first  # not key, still an exception
    assert "LIC-A04" not in first  # completed
    assert "LIC-A03.1" not in first  # a completed milestone is never overdue


def test_red_indicators_and_risen_risks_are_exceptions(rendered):
    council, html, pages, content = rendered
    text = squeeze(" ".join(pages))
    assert "1 red indicator as at September 2012" in text
    assert "LPI LIC1 Licences issued in 10 days Licensing" in text
    assert "● Red" in text
    assert "Licences issued in 10 days: commentary for members." in text
    assert "1 risk risen" in text
    assert (
        "LIC-R01 Trade challenges the policy in court Licensing 12 (Medium) 16 (High) ▲ Risen"
        in (text)
    )
    assert "Judicial review lodged." in text


def test_key_actions_by_service_and_every_action_of_a_plan_without_key_objectives(rendered):
    council, html, pages, content = rendered
    start = page_of(pages, "Progress of key actions", start=2)
    progress = squeeze(" ".join(pages[start - 1 : page_of(pages, "Performance summary", start=2)]))
    assert "Licensing: 4 key actions" in progress
    assert "LIC-A04 Publish the licence register Objective: Keep taxis safe Completed 100%" in (
        progress
    )
    assert "Tidy the filing room" not in progress
    assert "The plan marks no key objective: every action is shown." in progress
    assert "Close the accounts by June" in progress
    assert "Housing No published 2012/13 plan." in progress


def test_performance_with_rag_in_words_forecast_and_both_directions(rendered):
    council, html, pages, content = rendered
    start = page_of(pages, "Performance summary", start=2)
    performance = squeeze(" ".join(pages[start - 1 : page_of(pages, "Risk movements", start=2)]))
    assert "Licensing: 2 indicators" in performance
    assert (
        "LPI LIC2 Premises inspected September 2012 90.0% 95.0% Provisional ✓ Green 80.0% ● Red"
        in (performance)
    )
    assert (
        "LPI FIN1 Invoices paid in 30 days September 2012 90.0% 85.0% Provisional ▲ Amber"
        in performance
    )
    assert "Against the period before Against last year" in performance
    assert "No published 2012/13 plan: its figures are reported once it is published." in (
        performance
    )


def test_risk_movements_list_every_risk_re_scored(rendered):
    council, html, pages, content = rendered
    start = page_of(pages, "Risk movements", start=2)
    risks = squeeze(" ".join(pages[start - 1 :]))
    assert "2 risks re-scored" in risks
    assert "LIC-R02 Key staff leave Licensing 12 (Medium) 6 (Low) ▼ Fallen Deputies trained." in (
        risks
    )
    assert "Fees fall short" not in risks


def test_nothing_of_a_draft_or_of_another_committees_service(rendered):
    council, html, pages, content = rendered
    text = squeeze(" ".join(pages))
    for hidden in ("Secret draft action", "Draft commentary", "Homeless households helped"):
        assert hidden not in text and hidden not in html
    assert "Parking" not in text and "Resurface the car parks" not in text


def test_the_pdf_passes_the_pdf_ua_check(rendered, tmp_path):
    if checker() is None:
        pytest.skip("No PDF/UA checker: set OUTLOUD or install .[pdfcheck] in .venv-pdfcheck")
    council, html, pages, content = rendered
    path = tmp_path / "monitoring-report.pdf"
    path.write_bytes(content)
    result = check(path)
    findings = result["findings"]
    assert [f"{f['rule']} {f['message']}" for f in findings if f["severity"] == "error"] == []
    assert {f["rule"] for f in findings if f["severity"] == "warning"} <= ALLOWED_WARNINGS
    passed = {rule["rule"] for rule in result["rules"] if rule["outcome"] == "pass"}
    assert {"DOC-001", "DOC-002", "DOC-003", "TAG-001", "TXT-001", "HDG-001"} <= passed


@pytest.mark.parametrize(
    "counts, red, risen, expected",
    [
        ({}, 0, 0, []),
        ({("action", "off track"): 1}, 0, 0, ["1 action off track"]),
        (
            {("action", "off track"): 3, ("action", "at risk"): 2, ("milestone", "overdue"): 4},
            5,
            1,
            [
                "3 actions off track",
                "2 actions at risk",
                "4 overdue milestones",
                "5 red indicators",
                "1 risk risen",
            ],
        ),
        (
            {("project", "at risk"): 1, ("action", "overdue"): 2, ("project", "overdue"): 1},
            1,
            2,
            ["1 project at risk", "2 overdue actions", "1 overdue project", "1 red indicator"]
            + ["2 risks risen"],
        ),
    ],
)
def test_the_counts_read_as_sentences(counts, red, risen, expected):
    exceptions = [
        SimpleNamespace(item=SimpleNamespace(kind=kind), reasons=[reason])
        for (kind, reason), number in counts.items()
        for _ in range(number)
    ]
    assert exception_counts(exceptions, red_indicators=red, risks_risen=risen) == expected


def test_a_head_of_services_report_covers_their_services():
    council = build_council()
    head = council.licensing.head_of_service
    report = get_report("monitoring-report").from_form_data(
        {"point": str(council.point.pk), "head_of_service": str(head.pk)}
    )
    data = report.data()
    assert [entry.service.name for entry in data["services"]] == ["Licensing"]
    assert report.document_title().endswith(f"– {head}")
    assert data["cover_subtitle"] == f"For the head of service, {head} (Sam Head)"


def test_a_committee_or_a_head_of_service_not_both_nor_neither():
    council = build_council()
    report = get_report("monitoring-report")
    with pytest.raises(ValueError, match="Choose a committee, or a head of service."):
        report.from_form_data({"point": str(council.point.pk)})
    with pytest.raises(ValueError, match="not both"):
        report.from_form_data(
            {
                **form_data(council),
                "head_of_service": str(council.licensing.head_of_service.pk),
            }
        )


def test_members_may_read_it_it_covers_the_published_plans_only():
    council = build_council()
    report = get_report("monitoring-report").from_form_data(form_data(council))
    assert report.unpublished_content() == []
    assert sorted(str(plan.service) for plan in report.plans_covered()) == ["Finance", "Licensing"]


def test_a_drafts_progress_appears_once_the_plan_is_published():
    council = build_council()
    report = get_report("monitoring-report").from_form_data(form_data(council))
    html = report.html()
    assert "Secret draft action" not in html
    ServicePlan.objects.filter(pk=council.draft.pk).update(
        status=ServicePlan.Status.PUBLISHED,
        endorsed_by=council.committee,
        endorsed_on=datetime.date(2012, 3, 8),
    )
    assert "Secret draft action" in report.html()


def _queries(council) -> int:
    report = get_report("monitoring-report").from_form_data(form_data(council))
    with CaptureQueriesContext(connection) as queries:
        report.html(report.data())
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_services():
    council = build_council()
    few = _queries(council)
    add_services(council, 4)
    many = _queries(council)
    assert few == many <= 15


def test_export_report_writes_the_pdf(tmp_path):
    council = build_council()
    output = tmp_path / "monitoring.pdf"
    call_command(
        "export_report",
        "monitoring-report",
        "--point",
        str(council.point.pk),
        "--committee",
        "Services Select Committee",
        "--output",
        str(output),
    )
    text = squeeze(" ".join(pdf_pages(output.read_bytes())))
    assert COUNTS in text


def test_the_preview_page_is_the_reports_html(client, people):
    council = build_council()
    client.force_login(people.admin)
    response = client.get(
        reverse("reports:report-preview", args=["monitoring-report"]), form_data(council)
    )
    html = response.content.decode()
    assert (
        "<title>Monitoring report: Half-year 2012/13, as at 30 September 2012 – "
        "Services Select Committee</title>"
    ) in html
    assert "Consultation delayed by a legal challenge." in html


# The real worker closes the database connection when it is done, as a worker process does:
# on PostgreSQL that needs a test outside the usual rolled-back transaction.
@pytest.mark.django_db(transaction=True)
def test_generated_from_the_reports_page_and_published_for_members(client, people):
    council = build_council()
    client.force_login(people.admin)
    assert reverse("reports:report-new", args=["monitoring-report"]) in (
        client.get(reverse("reports:reports")).content.decode()
    )
    response = client.post(
        reverse("reports:report-new", args=["monitoring-report"]), form_data(council)
    )
    row = GeneratedReport.objects.get()
    assert response["Location"] == reverse("reports:report-status", args=[row.pk])
    run_worker()
    row.refresh_from_db()
    assert row.status == GeneratedReport.Status.DONE
    assert {plan.service.name for plan in row.covers.all()} == {"Finance", "Licensing"}
    client.force_login(people.member)
    download = reverse("reports:report-download", args=[row.pk])
    assert client.get(download).status_code == 404
    publish_report(row=row, by=people.admin)
    response = client.get(download)
    assert response.status_code == 200
    assert COUNTS in squeeze(" ".join(pdf_pages(b"".join(response.streaming_content))))


def test_the_form_refuses_neither_committee_nor_head_next_to_the_field(client, people):
    council = build_council()
    client.force_login(people.admin)
    response = client.post(
        reverse("reports:report-new", args=["monitoring-report"]),
        {"point": str(council.point.pk)},
    )
    assert "Choose a committee, or a head of service." in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_the_form_offers_the_latest_point_reached(client, people):
    council = build_council()
    FinancialYear.objects.filter(pk=council.year.pk).update(is_current=True)
    client.force_login(people.admin)
    page = client.get(reverse("reports:report-new", args=["monitoring-report"])).content.decode()
    quarter_3 = council.points[2]
    assert f'<option value="{quarter_3.pk}" selected>' in page


@pytest.mark.django_db
def test_performance_is_read_as_at_the_latest_month_with_figures_by_the_point():
    import datetime

    from organisation.models import MonitoringPoint
    from reports.monitoring_report import figures_as_at

    year = factories.FinancialYearFactory(start_year=2012)
    point = MonitoringPoint.objects.create(
        year=year,
        name="Half-year",
        as_at=datetime.date(2012, 9, 30),
        due_date=datetime.date(2012, 10, 31),
    )
    assert figures_as_at(point).name == "2012-09"  # no figures yet: the point's own month
    indicator = factories.IndicatorFactory()
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 8, 31))
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 10, 31))
    assert figures_as_at(point).name == "2012-08"  # October's came after the point
