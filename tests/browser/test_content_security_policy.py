"""Under the Content-Security-Policy (tests/security/test_headers.py asserts the header),
pages work in a real browser with no violation: the site's pages (the trend chart's inline SVG
included) and the Django admin with its scripts."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

VIOLATION = re.compile(r"Content Security Policy|Refused to (execute|apply|load|connect)", re.I)


def watch_violations(page) -> list[str]:
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}") if VIOLATION.search(message.text) else None
        ),
    )
    return seen


@pytest.fixture
def admin_page(live_world, new_page):
    live_world.admin.is_staff = True
    live_world.admin.is_superuser = True
    live_world.admin.save()
    return new_page(live_world.admin)


def test_the_admin_works_under_the_policy(live_server, live_world, admin_page):
    page = admin_page
    violations = watch_violations(page)
    base = live_server.url
    indicator = factories.IndicatorFactory(code="LPI LI01", service=live_world.service_a)

    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # The change list's actions need admin/js/actions.js: ticking "select all" counts rows.
    page.goto(f"{base}/admin/plans/serviceplan/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("3 of 3 selected")

    # A change form with inlines: inlines.js adds the "Add another" links.
    page.goto(f"{base}/admin/performance/indicator/{indicator.pk}/change/")
    expect(page.locator(".add-row a").first).to_be_visible()
    page.locator(".add-row a").first.click()

    # The side bar's filter (nav_sidebar.js) narrows the list of models as you type.
    page.goto(f"{base}/admin/organisation/service/")
    page.locator("#nav-filter").fill("directorate")
    sidebar_rows = page.locator("#nav-sidebar tbody tr")
    expect(sidebar_rows.filter(has_text=re.compile("directorates", re.I))).to_be_visible()
    expect(sidebar_rows.filter(has_text=re.compile("committees", re.I)).first).to_be_hidden()

    assert violations == []


def test_the_sites_pages_raise_no_violation(live_server, live_world, new_page):
    world = live_world
    factories.IndicatorFactory(code="LPI LI01", service=world.service_a)
    page = new_page(world.officer_a)
    violations = watch_violations(page)
    base = live_server.url
    for path in (
        "/",
        f"/plans/{world.plan_a.pk}/workspace/",
        f"/plans/{world.plan_a.pk}/sections/introduction/",
        f"/plans/{world.plan_a.pk}/sections/actions/",
        f"/plans/{world.published_a.pk}/",
        "/performance/",
        "/performance/figures/",
        "/performance/figures/upload/",
        "/committees/",
        "/search/?q=licensing",
        "/accounts/password/",
    ):
        response = page.goto(f"{base}{path}")
        assert response.status < 400, path
        # Bootstrap's own script ran: the page is fully styled and scripted under the policy.
        page.wait_for_load_state("load")
    assert violations == []


def test_a_plans_print_preview_raises_no_violation(live_server, live_world, new_page):
    page = new_page(live_world.officer_a)
    violations = watch_violations(page)
    response = page.goto(f"{live_server.url}/reports/plans/{live_world.plan_a.pk}/print/")
    assert response.status == 200
    assert violations == []
