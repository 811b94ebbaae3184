"""The in-year cycle, end to end in a real browser: an officer records progress (an error
first, then with evidence) and enters a figure; the head of service comments and signs the
figures off; the administrator generates and publishes the monitoring report; a member reads
progress on the plan page and the report; another service's officer finds none of it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from organisation.models import CommitteeReview
from performance.models import FigureSignOff
from plans.models import ProgressUpdate
from reports.models import GeneratedReport
from tests import factories
from tests.plans.progress_helpers import pdf_bytes, published_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_progress_figures_sign_off_and_the_monitoring_report(
    live_server, live_world, new_page, check_accessibility, settings, tmp_path
):
    settings.REPORTS_WORKER = "process"  # the test runs the queue itself, below
    world = live_world
    published = published_plan(world)  # Licensing 2011/12, at the half-year
    plan, action, point = published.plan, published.action, published.point
    committee = factories.CommitteeFactory(name="Environment Select Committee")
    CommitteeReview.objects.create(service=world.service_a, committee=committee)
    committee.members.add(world.member)
    indicator = factories.IndicatorFactory(
        code="LPI LI01", service=world.service_a, unit="%", frequency="monthly"
    )
    factories.TargetFactory(indicator=indicator, year=world.last_year, value=95)
    base = live_server.url
    evidence = tmp_path / "survey.pdf"
    evidence.write_bytes(pdf_bytes())

    # The officer records progress on an action: at risk, without saying why, first.
    officer = new_page(world.officer_a)
    officer.goto(f"{base}/plans/{plan.pk}/progress/?point={point.pk}")
    check_accessibility(officer)
    officer.get_by_role("link", name=f"Update {action.reference}", exact=True).click()
    officer.get_by_label("Status").select_option(label="At risk")
    officer.get_by_label("% complete").fill("40")
    officer.get_by_role("button", name=f"Record progress on {action.reference}").click()
    expect(officer.get_by_role("alert")).to_contain_text("Say why it is at risk")
    check_accessibility(officer)
    assert not ProgressUpdate.objects.exists()
    officer.get_by_label("Status").select_option(label="At risk")
    officer.get_by_label("Commentary").fill("The supplier is three weeks late.")
    officer.get_by_label("Evidence: a file").set_input_files(str(evidence))
    officer.get_by_role("button", name=f"Record progress on {action.reference}").click()
    expect(officer.locator("main")).to_contain_text("The supplier is three weeks late.")
    update = ProgressUpdate.objects.get()
    assert (update.status, update.percent_complete, update.evidence_name) == (
        "at_risk",
        40,  # typed on the first attempt, kept in the form: nothing is typed twice
        "survey.pdf",
    )

    # ...and enters August's figure.
    officer.goto(f"{base}/performance/figures/{world.service_a.pk}/2011-08/")
    officer.get_by_label("Actual (%)").fill("96")
    officer.get_by_role("button", name="Save figures").click()
    expect(officer.locator(".rag-green")).to_contain_text("Green")

    # The head of service comments on the update and signs August's figures off.
    head = new_page(world.head)
    head.goto(f"{base}/plans/{plan.pk}/progress/{action.reference}/?point={point.pk}")
    head.get_by_label("Head of service's comment").fill("Agreed: chase the supplier weekly.")
    head.get_by_role("button", name=re.compile("^Save comment")).click()
    expect(head.locator("main")).to_contain_text("Agreed: chase the supplier weekly.")
    head.goto(f"{base}/performance/figures/{world.service_a.pk}/2011-08/sign-off/")
    check_accessibility(head)
    head.get_by_role("button", name="Sign off these figures").click()
    expect(head.get_by_role("status")).to_contain_text("signed off")
    assert FigureSignOff.objects.filter(service=world.service_a).exists()

    # The administrator generates the committee's monitoring report and publishes it.
    admin = new_page(world.admin)
    admin.goto(f"{base}/reports/new/monitoring-report/")
    check_accessibility(admin)
    admin.get_by_label("Monitoring point").select_option(value=str(point.pk))
    admin.get_by_label("Committee").select_option(label=committee.name)
    admin.get_by_role("button", name="Generate PDF").click()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    report = GeneratedReport.objects.get(report="monitoring-report")
    assert report.status == GeneratedReport.Status.DONE, report.error
    admin.goto(f"{base}/reports/files/{report.pk}/")
    admin.get_by_role("button", name="Publish for members").click()
    expect(admin.locator(".alert-success")).to_contain_text("now available to members")

    # A member reads the progress on the plan page, and the report from their home page.
    member = new_page(world.member)
    expect(member.locator("main")).to_contain_text("Latest monitoring reports for your committees")
    link = member.get_by_role("link", name=report.title)
    pdf = member.request.get(base + link.get_attribute("href"))  # shown inline, so fetched
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    member.goto(f"{base}/plans/{plan.pk}/")
    main = member.locator("main")
    expect(main).to_contain_text(action.reference)
    expect(main).to_contain_text("At risk")
    expect(main).to_contain_text("The supplier is three weeks late.")
    check_accessibility(member)
    member.get_by_role("link", name=f"History of {action.reference}", exact=True).click()
    check_accessibility(member)
    with member.expect_download() as download:
        member.get_by_role("link", name=re.compile("^survey.pdf")).first.click()
    assert download.value.suggested_filename == "survey.pdf"

    # Another service's officer finds none of the new pages or files.
    other = new_page(world.officer_b)
    for path in (
        f"/plans/{plan.pk}/progress/",
        f"/plans/{plan.pk}/progress/{action.reference}/",
        f"/performance/figures/{world.service_a.pk}/2011-08/sign-off/",
        f"/performance/figures/indicators/{indicator.pk}/history/",
    ):
        assert other.goto(f"{base}{path}").status == 404, path
