"""A new install's first administrator names the council in the browser: signing in lands on
the settings page, which asks for the name; a colour too light and a text file posing as a PNG
are refused; the name and logo are saved and every page shows the name. Each state of the
page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def test_the_first_administrator_names_the_council(
    live_world, browser, live_server, check_accessibility, settings, tmp_path, request
):
    settings.COUNCIL_NAME = ""  # a new install: no council named
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("This is a text file, not an image.\n")
    logo = tmp_path / "crest.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 78, 137)).save(buffer, format="PNG")
    logo.write_bytes(buffer.getvalue())

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    request.addfinalizer(context.close)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/council/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Council settings")
    expect(page.get_by_role("status")).to_contain_text("first, the council's name")
    check_accessibility(page)

    page.get_by_label("Council's name").fill("Kentish Weald District Council")
    page.get_by_label("Report colour").fill("#ffcc00")
    page.get_by_label("Logo").set_input_files(str(not_an_image))
    page.get_by_role("button", name="Save the settings").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("too light for the white text")
    expect(summary).to_contain_text("is not really a PNG file")
    check_accessibility(page)

    page.get_by_label("Report colour").fill("#5b2a86")
    page.get_by_label("Logo").set_input_files(str(logo))
    page.get_by_label("Contact email").fill("performance@weald.example")
    page.get_by_label("Quarterly: June, September, December and March").check()
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("status").first).to_have_text("The council's settings are saved.")
    expect(
        page.get_by_role("link", name="Kentish Weald District Council · Service plans")
    ).to_be_visible()
    expect(page.get_by_role("img", name="The council's logo")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Home", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page).to_have_title("Home – Kentish Weald District Council")
