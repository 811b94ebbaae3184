"""The planning round page while the year's plan PDFs are made: it never reloads itself (a
reload throws keyboard focus back to the top: WCAG 2.2.1, failure F41). The counts follow the
workers; the live region says them politely, and that all are ready; without JavaScript,
"Check progress" reloads the page when the reader chooses."""

import datetime

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from plans.models import ServicePlan
from reports.models import GeneratedReport
from tests.reports.matrix import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_round_page_counts_the_plan_pdfs_without_reloading(
    live_server, live_world, browser, new_page, check_accessibility
):
    world = live_world
    rows = []
    for plan in (world.plan_a, world.plan_b):
        ServicePlan.objects.filter(pk=plan.pk).update(
            status=ServicePlan.Status.PUBLISHED,
            endorsed_by=world.cabinet,
            endorsed_on=datetime.date(2012, 3, 8),
        )
        rows.append(
            GeneratedReport.objects.create(
                report="service-plan", title=f"{plan.service} service plan", plan=plan
            )
        )
    url = f"{live_server.url}/round/?year={world.year.start_year}"
    admin = new_page(world.admin)
    response = admin.goto(url)
    assert "refresh" not in response.headers
    status = admin.locator("#plan-pdfs-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("0 of 2 plan PDFs ready, 0 being made, 2 waiting.")
    expect(admin.get_by_role("button", name="Check progress")).to_be_hidden()
    admin.evaluate("window.neverReloaded = true")
    year_choice = admin.get_by_label("Financial year")
    year_choice.focus()
    check_accessibility(admin)

    # The same page without JavaScript, in the same session.
    still = browser.new_context(
        storage_state=admin.context.storage_state(), java_script_enabled=False
    )
    plain = still.new_page()
    plain.goto(url)
    check = plain.get_by_role("button", name="Check progress")
    expect(check).to_be_visible()

    for row in rows:
        row.file.save("plan.pdf", ContentFile(MINIMAL_PDF), save=False)
        row.status, row.progress, row.page_count, row.size = GeneratedReport.Status.DONE, 100, 1, 15
        row.save()
    expect(status).to_have_text("2 of 2 plan PDFs ready.")
    expect(admin.locator("#plan-pdfs-bar")).to_have_attribute("value", "2")
    expect(admin.locator("#plan-pdfs-progress")).to_have_count(0)
    assert admin.evaluate("window.neverReloaded") is True
    expect(year_choice).to_be_focused()
    check_accessibility(admin)

    check.click()
    expect(plain.locator("#plan-pdfs-status")).to_have_text("2 of 2 plan PDFs ready.")
    still.close()
