"""A councillor reads the demo council's published plans: every page type passes axe-core's
WCAG 2.0/2.1/2.2 A and AA rules, including empty and error states, at desktop and phone
widths. What axe does not check is checked too: at 320 CSS pixels no page scrolls sideways
(WCAG 1.4.10), headings go down one level at a time and no two regions share a name."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from organisation.models import Committee, HeadOfService, Priority, Service
from plans.models import ServicePlan

pytestmark = pytest.mark.django_db(transaction=True)

NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10's reflow width

REGION_NAMES = re.compile(r'^\s*- region "(.*)"', re.MULTILINE)


def check_what_axe_does_not(page, name):
    """No sideways scrolling at the narrowest width; headings one level at a time; regions named
    apart, each by its heading or a short label rather than its whole text."""
    if page.viewport_size == NARROWEST:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROWEST["width"], f"the {name} page scrolls sideways: {width}px wide"
        return
    levels = page.evaluate(
        "[...document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)')]"
        ".map(heading => Number(heading.tagName[1]))"
    )
    pairs = zip(levels, levels[1:], strict=False)
    skips = [(above, below) for above, below in pairs if below > above + 1]
    assert not skips, f"the {name} page skips heading levels: {skips}"
    regions = REGION_NAMES.findall(page.locator("main").aria_snapshot())
    shared = {region for region in regions if regions.count(region) > 1}
    assert not shared, f"regions of the {name} page share a name: {shared}"
    assert all(len(region) < 150 for region in regions), f"the {name} page: {regions}"


def member_pages():
    plan = ServicePlan.objects.get(service__name="Direct Services", year__start_year=2012)
    services = Committee.objects.get(name="Services Select Committee")
    head = HeadOfService.objects.get(name="Environmental & Operational Services")
    return [
        ("home", "/"),
        ("plan", f"/plans/{plan.pk}/"),
        ("committees", "/committees/"),
        ("committee", f"/committees/{services.pk}/"),
        ("heads of service", "/heads-of-service/"),
        ("head of service", f"/heads-of-service/{head.pk}/"),
        ("service", f"/services/{Service.objects.get(name='Licensing').pk}/"),
        ("priorities", "/priorities/"),
        ("priority", f"/priorities/{Priority.objects.order_by('code').first().pk}/"),
        ("performance overview", "/performance/"),
        ("service performance", f"/performance/services/{plan.service_id}/"),
        ("corporate indicators", "/performance/corporate/"),
        ("search results", "/search/?q=waste"),
        ("search results with highlighted words", "/search/?q=licence"),
        ("search, nothing found", "/search/?q=zzzzqqq"),
        ("accessibility statement", "/accessibility/"),
        ("not found", "/plans/999999/"),
        ("change password", "/accounts/password/"),
    ]


@pytest.fixture
def demo_for_browser(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def sign_in(page, base, username, password="serviceplans-demo"):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_every_reading_page_passes_axe_as_a_member(
    live_server, demo_for_browser, browser, check_accessibility
):
    for viewport in ({"width": 1280, "height": 900}, NARROWEST):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(page, live_server.url, "member")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Service plans")
        for name, path in member_pages():
            page.goto(live_server.url + path)
            expect(page.locator("main h1"), f"the {name} page has a heading").to_be_visible()
            check_accessibility(page)
            check_what_axe_does_not(page, name)
        context.close()


def test_sign_in_error_and_form_errors_pass_axe(
    live_server, demo_for_browser, browser, check_accessibility
):
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "member", password="wrong")
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    check_accessibility(page)
    sign_in(page, live_server.url, "member")
    page.goto(f"{live_server.url}/accounts/password/")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page)


def test_member_sees_rag_as_words_and_charts_as_tables(live_server, demo_for_browser, browser):
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "member")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service plans")
    plan = ServicePlan.objects.get(service__name="Direct Services", year__start_year=2012)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    table = page.locator("table.indicator-table")
    expect(table).to_contain_text("● Red")
    expect(table).to_contain_text("✓ Green")
    expect(page.locator("figure.trend-chart svg > title").first).not_to_be_empty()
    expect(page.locator("figure.trend-chart svg > desc").first).not_to_be_empty()
    expect(page.locator("table.trend-chart__table").first).to_be_visible()


def test_the_overview_reads_without_colour_and_without_the_bar(
    live_server, demo_for_browser, browser, check_accessibility
):
    """The bar is for the eye only: hidden from assistive technology, and with it hidden and
    colours forced off the counts, the exceptions and their statuses are all still there in
    words. At 320 pixels, nothing scrolls sideways but the tables' own regions."""
    for viewport in ({"width": 1280, "height": 900}, NARROWEST):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(page, live_server.url, "member")
        page.goto(f"{live_server.url}/performance/?year=2012&as_at=2012-08")
        bars = page.locator(".rag-bar")
        expect(bars.first).to_be_visible()
        assert bars.count() == page.locator("[aria-hidden=true].rag-bar").count()
        page.emulate_media(forced_colors="active")
        page.evaluate("document.querySelectorAll('.rag-bar').forEach(bar => bar.remove())")
        check_accessibility(page)
        check_what_axe_does_not(page, "performance overview")
        section = page.locator("section.portfolio").first
        snapshot = section.aria_snapshot()
        assert re.search(r"Now\b.*\d+ green, \d+ amber, \d+ red", snapshot, re.DOTALL), snapshot
        assert "Forecast for the year" in snapshot
        attention = page.locator("table.exceptions").first
        expect(attention).to_contain_text("● Red")
        expect(attention.locator("tbody tr").first.locator("td").nth(2)).to_contain_text(
            re.compile("Improving|Worse|No change|-")
        )
        # Progress is reported at the half-year: actions off track from September.
        page.goto(f"{live_server.url}/performance/?year=2012&as_at=2012-09")
        expect(page.locator("ul.off-track").first).to_contain_text("off track")
        check_accessibility(page)
        context.close()


def test_search_highlights_the_words_found(live_server, demo_for_browser, browser):
    """A stemmed word ("licence" finds "licences") is marked in each hit, and a plan's hit has a
    passage of its text; axe checks the marks' contrast above."""
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, "member")
    page.goto(f"{live_server.url}/search/?q=licence")
    results = page.locator("main li")
    expect(results.first).to_be_visible()
    expect(page.locator("main li mark").first).to_be_visible()
    expect(page.locator("main li", has=page.locator(".search-snippet")).first).to_be_visible()
