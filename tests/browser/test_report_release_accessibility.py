"""An administrator publishes a pack for members, reads the warning of what a members' PDF
holds, releases it to residents and a resident downloads it from the public pages; the
report's page passes axe-core before and after."""

import pytest
from playwright.sync_api import expect

from tests.reports.test_publishing import publish_now, ready_report
from tests.residents.helpers import turn_on_public_pages

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_releases_a_pack_to_residents(
    live_server, live_world, new_page, check_accessibility
):
    world = live_world
    base = live_server.url
    turn_on_public_pages()
    publish_now(world.published_a)
    pack = ready_report(
        world,
        "committee-summary",
        {"committee": str(world.cabinet.pk), "year": "2011", "as_at": "2011-08"},
        covers=[world.published_a],
        title="Cabinet summary 2011/12",
    )

    admin = new_page(world.admin)
    admin.goto(f"{base}/reports/files/{pack.pk}/")
    admin.get_by_role("button", name="Publish for members").click()
    expect(admin.locator("#release-warning")).to_contain_text("officers' names")
    check_accessibility(admin)
    admin.get_by_role("button", name="Release to residents").click()
    expect(admin.locator("#residents-status")).to_contain_text("Released to residents on")
    check_accessibility(admin)

    resident = new_page(None)
    resident.goto(f"{base}/public/reports/")
    link = resident.get_by_role("link", name="Cabinet summary 2011/12")
    expect(link).to_have_attribute("href", f"/public/reports/{pack.pk}/download/")

    admin.get_by_role("button", name="Withdraw from residents").click()
    expect(admin.locator("#residents-status")).to_contain_text("Not released to residents")
    resident.reload()
    expect(resident.locator("main")).not_to_contain_text("Cabinet summary 2011/12")
