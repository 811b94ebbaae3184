"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Without Chromium these tests skip with a reason, except under CI (CI=true), where a missing
browser is a failure. `make test` installs it (scripts/test-tools).
"""

import datetime
import os
import shutil

import pytest

# The one path both checked and launched: CHROMIUM_PATH, else Debian's package on the PATH.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Playwright's synchronous API runs an event loop in this thread; the tests' own ORM calls
# (setting up data, checking results) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def jobs_wait_for_the_test(settings):
    """Queued jobs (a published plan's PDF, the mail a workflow step sends) wait for a test that
    runs the queue itself: a worker thread beside the live server would share the in-memory
    SQLite database, whose shared cache reports a lock at once instead of waiting (a file
    database, as `make run` uses, waits)."""
    settings.REPORTS_WORKER = "process"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI but is not at {CHROMIUM}.")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) signed in as `user`."""
    contexts = []

    def open_page(user, password="correct horse battery staple"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill(user.username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def check_accessibility():
    """Run axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page: no violations allowed."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    axe = Axe()

    def run_axe(page, attempts=3):
        # A check right after a click may land while the next page is still loading: the old
        # document is gone before the new one is parsed, and axe finds no document at all.
        # Wait for the load and try again, rather than fail on timing.
        for attempt in range(attempts):
            page.wait_for_load_state("load")
            try:
                return axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            except PlaywrightError as error:
                message = str(error)
                navigating = "documentElement" in message or "context was destroyed" in message
                if not navigating or attempt == attempts - 1:
                    raise

    def check(page):
        results = run_axe(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def live_world(transactional_db):
    from tests.conftest import World

    return World()


# "Today" for the chasing tests: Licensing's September 2012 figures are late.
MONDAY = datetime.date(2012, 10, 22)


@pytest.fixture
def chasing_day(live_world, settings, monkeypatch):
    """Licensing's September 2012 figures are late on Monday 22 October 2012, "today" for the
    pages (the live server runs in this process). Sessions keep the real clock."""
    from django.utils import timezone

    from organisation.reporting_calendar import month_end
    from performance.models import FigureSignOff
    from tests import factories

    settings.FIGURES_DUE_WORKING_DAYS = 10
    settings.BANK_HOLIDAYS = "england-and-wales"
    settings.REPORTS_WORKER = "process"  # no mail thread outliving the test
    indicator = factories.IndicatorFactory(
        service=live_world.service_a, code="LI01", first_year=2012
    )
    factories.TargetFactory(indicator=indicator, year=live_world.year)
    for month in range(4, 9):
        end = month_end(2012, month)
        factories.ActualFactory(indicator=indicator, period_end=end)
        FigureSignOff.objects.create(
            service=live_world.service_a, period_end=end, by=live_world.head
        )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MONDAY)
    return live_world
