"""An administrator loads the council's structure from the imports page: a bad file refused
with its problems, then a good one previewed and confirmed. Every state passes axe."""

import pytest
from playwright.sync_api import expect

from organisation.models import Service

pytestmark = pytest.mark.django_db(transaction=True)
HEADER = "directorate,head_of_service,service,shared_with,committees\n"


def test_upload_preview_and_confirm(
    live_server, live_world, new_page, check_accessibility, tmp_path
):
    bad, good = tmp_path / "bad.csv", tmp_path / "structure.csv"
    bad.write_text("directorate,service\n,Housing Advice\n")
    good.write_text(HEADER + ",Housing & Communications,Housing Advice,,Cabinet\n")
    page = new_page(live_world.admin)
    page.get_by_role("link", name="Imports", exact=True).click()
    check_accessibility(page)

    page.get_by_label("What the file holds").select_option("structure")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    check_accessibility(page)

    page.get_by_label("What the file holds").select_option("structure")
    page.get_by_label("CSV or XLSX file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    check_accessibility(page)
    assert not Service.objects.filter(name="Housing Advice").exists()
    page.get_by_role("button", name="Import structure.csv").click()
    expect(page.get_by_role("status")).to_contain_text("Structure imported from structure.csv")
    expect(page.locator("#import-log")).to_contain_text("structure.csv")
    assert Service.objects.filter(name="Housing Advice").exists()
