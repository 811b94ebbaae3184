"""A council starts from an empty migrated database, in the browser only: its first
administrator names the council and gives its logo, loads its structure (a bad file refused
first), creates and opens a year, loads indicators and targets through the preview, invites an
officer (the email is read from a real mail server), and the officer sets a password, starts
their service's plan and edits it. No command line, no Django admin."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from playwright.sync_api import expect

from organisation.models import FinancialYear, Service
from performance.models import Indicator, Target
from plans.models import ServicePlan

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "first administrator's long passphrase"
STRUCTURE = (
    "directorate,head_of_service,service,shared_with,committees\n"
    ",Community Services,Licensing,,Licensing Committee\n"
    ",Community Services,Parks,,Cabinet\n"
)
INDICATORS = (
    "code,title,service,unit,polarity,frequency,tolerance,corporate,accountable_manager,"
    "definition\n"
    "LI01,Licences issued within 10 days,Licensing,%,higher,monthly,5,yes,Licensing Manager,"
    "Share of licences issued within ten working days of a complete application.\n"
)


def png_logo(path):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (29, 78, 137)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def upload(page, kind, path, *, confirm=True):
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/imports/")
    page.get_by_label("What the file holds").select_option(kind)
    page.get_by_label("CSV or XLSX file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    if confirm:
        expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
        page.get_by_role("button", name=f"Import {path.name}").click()
        expect(page.get_by_role("status")).to_contain_text(f"imported from {path.name}")


def test_a_council_starts_from_an_empty_database(
    live_server, transactional_db, browser, check_accessibility, smtp_mail, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    settings.COUNCIL_NAME = ""
    base = live_server.url
    get_user_model().objects.create_superuser("first-admin", "admin@riverside.example", PASSWORD)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)

    # Signing in, the administrator is asked for the council's name first.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("first-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/council/settings/"))
    assert "Sevenoaks" not in page.content()
    check_accessibility(page)
    page.get_by_label("Council's name").fill("Riverside Borough Council")
    page.get_by_label("Logo").set_input_files(str(png_logo(tmp_path / "logo.png")))
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator("header")).to_contain_text("Riverside Borough Council")

    # The structure: a file with a missing column is refused whole, then the right one.
    bad = tmp_path / "bad.csv"
    bad.write_text("directorate,service\n,Licensing\n")
    upload(page, "structure", bad, confirm=False)
    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    assert not Service.objects.exists()
    structure = tmp_path / "structure.csv"
    structure.write_text(STRUCTURE)
    upload(page, "structure", structure)
    assert set(Service.objects.values_list("name", flat=True)) == {"Licensing", "Parks"}

    # The year: created, made current, its round opened with deadlines.
    page.goto(f"{base}/years/")
    page.get_by_role("button", name=re.compile("^Create next year")).click()
    year = FinancialYear.objects.get()
    page.get_by_role("button", name=f"Make {year} current").click()
    expect(page.get_by_role("status")).to_contain_text("current")
    check_accessibility(page)
    page.get_by_label("Plans submitted by").fill(f"{year.start_year + 1}-02-28")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("status")).to_contain_text("no year before to roll plans forward")
    year.refresh_from_db()
    assert year.is_current and year.plans_due is not None

    # Indicators and targets, each through the preview.
    indicators = tmp_path / "indicators.csv"
    indicators.write_text(INDICATORS)
    upload(page, "indicators", indicators)
    targets = tmp_path / "targets.csv"
    targets.write_text(f"code,year,target\nLI01,{year},95\n")
    upload(page, "targets", targets)
    assert Target.objects.get(indicator=Indicator.objects.get(code="LI01")).value == 95

    # An officer is invited to Licensing...
    page.goto(f"{base}/users/invite/")
    page.get_by_label("Name").fill("Claire Smith")
    page.get_by_label("Email").fill("claire@riverside.example")
    page.get_by_label("Officer").check()
    page.get_by_label("Licensing").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#status")).to_have_text("Invited, has not yet set a password")
    (message,) = [m for m in smtp_mail.messages if "claire@riverside.example" in m["To"]]
    assert "Riverside Borough Council" in message.get_body(("plain",)).get_content()
    link = re.search(r"http\S+/users/invitation/\S+/", message.get_body(("plain",)).get_content())[
        0
    ]

    # ...sets a password, signs in, starts the Licensing plan and writes its introduction.
    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    officer.set_default_timeout(15_000)
    officer.goto(link)
    officer.locator("#id_new_password1").fill("claire's own long passphrase")
    officer.get_by_label("New password confirmation").fill("claire's own long passphrase")
    officer.get_by_role("button", name="Set password").click()
    officer.goto(f"{base}/accounts/login/")
    officer.get_by_label("Username").fill("claire@riverside.example")
    officer.get_by_label("Password").fill("claire's own long passphrase")
    officer.get_by_role("button", name="Sign in").click()
    officer.get_by_role("button", name=f"Start the Licensing plan for {year}").click()
    officer.get_by_role("link", name="Introduction and strategic direction").click()
    officer.get_by_label("Introduction and strategic direction").fill(
        "We licence taxis, premises and events fairly and quickly."
    )
    officer.get_by_role("button", name="Save introduction and strategic direction").click()
    expect(officer.get_by_role("status")).to_contain_text("saved")
    plan = ServicePlan.objects.get(service__name="Licensing", year=year)
    assert plan.introduction == "We licence taxis, premises and events fairly and quickly."
    assert "Sevenoaks" not in officer.content()
