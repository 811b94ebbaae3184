"""An administrator invites an officer in the browser; the officer reads the email, chooses a
password and signs in. Every page on the way (the users page, the invite form, the import
preview, the invitation's page, its errors and a used link) passes axe-core's WCAG 2.0/2.1/2.2
A and AA rules."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a brand new passphrase 42"


def test_invite_accept_and_sign_in(
    live_world, live_server, new_page, check_accessibility, smtp_mail, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    page = new_page(live_world.admin)
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    check_accessibility(page)

    page.get_by_role("link", name="Import people from a file").click()
    people = tmp_path / "people.csv"
    people.write_text("name,email,role,services\nDev Patel,dev@example.org,member,\n")
    page.get_by_label("CSV or XLSX file of people").set_input_files(str(people))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#import-summary")).to_contain_text("1 to invite")
    check_accessibility(page)
    page.get_by_role("link", name="Cancel").click()

    page.goto(f"{live_server.url}/users/invite/")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page)
    page.get_by_label("Name").fill("Claire Smith")
    page.get_by_label("Email").fill("claire@example.org")
    page.get_by_label("Officer").check()
    page.get_by_label("Licensing").check()
    check_accessibility(page)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#status")).to_have_text("Invited, has not yet set a password")
    check_accessibility(page)

    [message] = smtp_mail.messages
    link = re.search(r"http\S+/users/invitation/\S+/", message.get_body(("plain",)).get_content())[
        0
    ]
    officer = new_page(None)
    officer.goto(link)
    expect(officer.get_by_role("heading", level=1)).to_have_text("Choose your password")
    check_accessibility(officer)
    officer.locator("#id_new_password1").fill(PASSWORD)
    officer.get_by_label("New password confirmation").fill("something else")
    officer.get_by_role("button", name="Set password").click()
    expect(officer.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(officer)
    officer.locator("#id_new_password1").fill(PASSWORD)
    officer.get_by_label("New password confirmation").fill(PASSWORD)
    officer.get_by_role("button", name="Set password").click()
    expect(officer.get_by_role("status")).to_contain_text("Your password is set")
    officer.get_by_label("Username").fill("claire@example.org")
    officer.get_by_label("Password").fill(PASSWORD)
    officer.get_by_role("button", name="Sign in").click()
    officer.wait_for_url(f"{live_server.url}/")

    officer.goto(link)
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        "This invitation link cannot be used"
    )
    check_accessibility(officer)
