"""A report's page while the report is generated: it never reloads itself (a reload throws
keyboard focus back to the top: WCAG 2.2.1, failure F41). Its live region says each stage and
then offers the download, where the reader's focus stays; without JavaScript, "Check progress"
reloads the page when the reader chooses."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from reports.models import GeneratedReport
from tests.reports.matrix import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_booklet(world) -> GeneratedReport:
    """A KPI booklet an administrator asked for, waiting for the report worker."""
    return GeneratedReport.objects.create(
        report="kpi-booklet",
        title="Key performance information August 2012",
        parameters={"year": "2012", "as_at": "2012-08"},
        requested_by=world.admin,
    )


def test_the_report_page_follows_the_report_without_reloading(
    live_server, live_world, browser, new_page, check_accessibility
):
    world = live_world
    row = waiting_booklet(world)
    url = f"{live_server.url}/reports/files/{row.pk}/"
    admin = new_page(world.admin)
    response = admin.goto(url)
    assert "refresh" not in response.headers
    assert admin.locator("meta[http-equiv='refresh' i]").count() == 0
    status = admin.locator("#report-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Waiting to start: waiting for the report worker.")
    expect(admin.get_by_role("link", name="Check progress")).to_be_hidden()
    admin.evaluate("window.neverReloaded = true")
    breadcrumb = admin.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    breadcrumb.focus()

    # The same page without JavaScript, in the same session.
    still = browser.new_context(
        storage_state=admin.context.storage_state(), java_script_enabled=False
    )
    plain = still.new_page()
    plain.goto(url)
    check = plain.get_by_role("link", name="Check progress")
    expect(check).to_be_visible()

    GeneratedReport.objects.filter(pk=row.pk).update(
        status=GeneratedReport.Status.RUNNING, progress=40, progress_message="Laying out page 3"
    )
    expect(status).to_have_text("Being generated: Laying out page 3.")
    expect(admin.locator("#report-progress-percent")).to_have_text("40%")

    row.file.save("booklet.pdf", ContentFile(MINIMAL_PDF), save=False)
    row.status, row.progress, row.page_count, row.size = GeneratedReport.Status.DONE, 100, 1, 15
    row.save()
    expect(status.get_by_role("link", name="Download the PDF")).to_be_visible()
    expect(status).to_contain_text("Ready: 1 page")
    expect(admin.get_by_role("button", name="Publish for members")).to_be_visible()
    expect(admin.locator("progress")).to_have_count(0)
    assert admin.evaluate("window.neverReloaded") is True
    expect(breadcrumb).to_be_focused()
    check_accessibility(admin)

    check.click()
    expect(plain.get_by_role("link", name="Download the PDF")).to_be_visible()
    still.close()


def test_when_asking_fails_the_page_offers_check_progress_and_carries_on_when_it_works(
    live_server, live_world, new_page
):
    world = live_world
    row = waiting_booklet(world)
    admin = new_page(world.admin)
    admin.route("**/progress/**", lambda route: route.abort())
    admin.goto(f"{live_server.url}/reports/files/{row.pk}/")
    check = admin.get_by_role("link", name="Check progress")
    expect(check).to_be_visible()  # the network gone: the reader may reload when they choose

    admin.unroute("**/progress/**")
    GeneratedReport.objects.filter(pk=row.pk).update(
        status=GeneratedReport.Status.RUNNING, progress=40, progress_message="Laying out page 3"
    )
    expect(admin.locator("#report-status")).to_have_text(
        "Being generated: Laying out page 3.", timeout=15_000
    )
    expect(check).to_be_hidden()
