"""The API's documentation pages work in a real browser under the Content-Security-Policy, with
no violation: Swagger UI draws the operations and runs a request with the reader's session;
ReDoc draws the reference. Their scripts come from this site (drf-spectacular-sidecar)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_content_security_policy import watch_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_draws_the_api_and_tries_a_request(live_server, live_world, new_page):
    page = new_page(live_world.member)
    violations = watch_violations(page)
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_role("heading", name="Service plans API")).to_be_visible()
    operation = page.locator("#operations-services-services_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    response = operation.locator(".live-responses-table tbody .response-col_status")
    expect(response).to_have_text("200")
    expect(operation.locator(".live-responses-table .microlight").first).to_contain_text('"count"')
    assert violations == []
    assert outside == []


def test_redoc_draws_the_reference(live_server, live_world, new_page):
    page = new_page(live_world.member)
    violations = watch_violations(page)
    page.goto(f"{live_server.url}/api/v1/docs/redoc/")
    expect(page.get_by_role("heading", name="Service plans API")).to_be_visible()
    expect(page.get_by_text("/api/v1/plans/{year}/{service_code}/").first).to_be_attached()
    page.get_by_placeholder("Search...").fill("indicator")  # the search worker runs
    expect(page.locator("[role=search] li").first).to_be_visible()
    # ReDoc's footer shows Redocly's logo from their CDN: the policy refuses it (nothing is
    # fetched from elsewhere) and ReDoc hides the broken image. Anything else is a failure.
    assert [v for v in violations if "cdn.redoc.ly" not in v] == []
