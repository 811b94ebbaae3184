"""The open data page, signed in and as a resident while the public pages are on, passes
axe-core's WCAG A and AA rules; its month picker works without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_open_data_page_is_accessible(live_world, live_server, new_page, check_accessibility):
    from tests.opendata.conftest import council

    page = new_page(live_world.member)
    page.goto(f"{live_server.url}/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    page.get_by_label("As at", exact=True).select_option(label="September 2011")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("heading", name="Datasets for 2011/12, as at September 2011")
    ).to_be_visible()
    expect(page.get_by_role("link", name="CSV of performance indicators")).to_have_attribute(
        "href", "/open-data/2011/2011-09/performance.csv"
    )
    check_accessibility(page)

    council(public_pages=True)
    resident = new_page(None)
    resident.goto(f"{live_server.url}/open-data/")
    expect(resident.get_by_role("link", name="Open Government Licence v3.0").first).to_be_visible()
    check_accessibility(resident)
