"""A person makes a personal API token in the browser, copies it once, revokes it; each state
of the page passes axe-core's WCAG A and AA rules. The browsable API works under the site's
Content-Security-Policy with no violation, and the token reads the API."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_content_security_policy import watch_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_makes_uses_and_revokes_a_token(
    live_world, live_server, new_page, check_accessibility
):
    page = new_page(live_world.officer_a)
    violations = watch_violations(page)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Expires after (days)").fill("0")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page)

    page.get_by_label("Name").fill("Power BI")
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_role("button", name="Make the token").click()
    token = page.get_by_label("Token").input_value()
    assert re.fullmatch(r"spt_[0-9a-f]{8}_\S+", token)
    expect(page.get_by_role("cell", name="Power BI", exact=True)).to_be_visible()
    check_accessibility(page)

    answer = page.request.get(
        f"{live_server.url}/api/v1/plans/", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    assert {plan["service_code"] for plan in json.loads(answer.body())["results"]} == {
        live_world.service_a.code
    }

    # The browsable API, by the session: DRF's own scripts and styles, under the policy.
    page.goto(f"{live_server.url}/api/v1/services/")
    expect(page.get_by_role("heading", name="Service List")).to_be_visible()
    page.goto(f"{live_server.url}/account/tokens/")

    page.get_by_role("button", name="Revoke Power BI").click()
    expect(page.get_by_role("status").first).to_contain_text("is revoked")
    expect(page.get_by_role("cell", name=re.compile("^Revoked"))).to_be_visible()
    check_accessibility(page)
    answer = page.request.get(
        f"{live_server.url}/api/v1/plans/", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 401
    assert violations == []
