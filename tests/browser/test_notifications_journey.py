"""Notifications end to end in a real browser: an officer is reminded of late figures, enters
them and the chasing page clears; a member follows a committee and is told of its published
pack; a person who forgot their password resets it from an email a real mail server received."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from notifications.reminders import send_reminders
from tests.reports.test_publishing import publish_now, ready_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_is_reminded_enters_the_figure_and_the_chasing_page_clears(
    live_server, chasing_day, new_page, check_accessibility
):
    """Licensing's September 2012 figures are late on Monday 22 October 2012 ("today")."""
    world = chasing_day
    base = live_server.url
    head = new_page(world.head)
    head.goto(f"{base}/notifications/chasing/")
    late = head.locator("main")
    expect(late).to_contain_text("September 2012 figures")
    expect(late).to_contain_text("Alex Officer")  # who does it: officer_a

    run = send_reminders()  # the morning's job
    assert run.told >= 1
    (digest,) = [m for m in mail.outbox if m.to == [world.officer_a.email]]
    assert "Licensing: September 2012 figures 6 working days late" in digest.body

    officer = new_page(world.officer_a)
    officer.get_by_role("link", name=re.compile(r"Notifications\s*1 unread")).click()
    check_accessibility(officer)
    officer.get_by_role("link", name=re.compile("Licensing: September 2012 figures")).click()
    expect(officer).to_have_url(f"{base}/performance/figures/{world.service_a.pk}/2012-09/")
    officer.get_by_label("Actual (%)").fill("91")
    officer.get_by_role("button", name="Save figures").click()
    expect(officer.get_by_role("status")).to_be_visible()

    head.reload()
    expect(head.locator("main")).not_to_contain_text("September 2012 figures to enter")
    check_accessibility(head)


def test_a_member_follows_a_committee_and_is_told_of_its_pack(
    live_server, live_world, new_page, check_accessibility, settings
):
    world = live_world
    base = live_server.url
    publish_now(world.published_a)
    pack = ready_report(
        world,
        "committee-summary",
        {"committee": str(world.cabinet.pk), "year": "2011", "as_at": "2011-08"},
        covers=[world.published_a],
        title="Cabinet summary 2011/12",
    )

    member = new_page(world.member)
    member.goto(f"{base}/committees/{world.cabinet.pk}/")
    member.get_by_role("button", name="Follow this committee").click()
    expect(member.locator("#follow-committee")).to_contain_text("You follow this committee")

    admin = new_page(world.admin)
    admin.goto(f"{base}/reports/files/{pack.pk}/")
    admin.get_by_role("button", name="Publish for members").click()

    member.goto(f"{base}/")
    expect(member.get_by_role("link", name=re.compile(r"Notifications\s*1 unread"))).to_be_visible()
    member.get_by_role("link", name=re.compile("Notifications")).click()
    check_accessibility(member)
    expect(member.locator("main")).to_contain_text("You follow Cabinet.")
    member.get_by_role("link", name="Published: Cabinet summary 2011/12").click()
    expect(member).to_have_url(f"{base}/reports/files/{pack.pk}/")
    expect(member.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_email(
    live_server, live_world, new_page, check_accessibility, smtp_mail, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    page = new_page(None)
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    check_accessibility(page)
    page.get_by_label("Email").fill(live_world.officer_a.email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("main")).to_contain_text("email")

    (message,) = smtp_mail.messages
    assert live_world.officer_a.email in message.envelope_recipients
    link = re.search(r"http://\S+/reset/\S+/", message.get_body(("plain",)).get_content())[0]
    page.goto(link)
    page.locator("#id_new_password1").fill("a new and long pass phrase")
    page.get_by_label("New password confirmation").fill("a new and long pass phrase")
    page.get_by_role("button", name="Set password").click()
    check_accessibility(page)

    signed_in = new_page(live_world.officer_a, password="a new and long pass phrase")
    expect(signed_in.locator("header")).to_contain_text("Sign out")
