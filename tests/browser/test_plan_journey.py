"""An officer's year, end to end in a real browser: roll forward, edit, submit; the head of
service returns then approves; the administrator publishes; a member reads it."""

import pytest
from playwright.sync_api import expect

from plans.models import ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_plan_from_roll_forward_to_publication(
    live_server, live_world, new_page, check_accessibility
):
    world = live_world
    world.plan_a.delete()  # the 2012/13 plan will come from rolling 2011/12 forward
    indicator = factories.IndicatorFactory(code="LPI LI01", service=world.service_a)
    factories.TargetFactory(indicator=indicator, year=world.year, value=95)
    base = live_server.url

    # The officer rolls last year's published plan forward.
    officer = new_page(world.officer_a)
    officer.goto(f"{base}/plans/{world.published_a.pk}/workspace/")
    check_accessibility(officer)
    officer.get_by_role("button", name="Roll forward to next year").click()
    expect(officer.get_by_role("status")).to_contain_text("Next year's plan created")
    plan = ServicePlan.objects.get(service=world.service_a, year=world.year)

    # ...edits the introduction...
    officer.get_by_role("link", name="Introduction and strategic direction").click()
    check_accessibility(officer)
    officer.get_by_label("Introduction and strategic direction").fill(
        "We licence taxis, premises and events fairly and quickly."
    )
    officer.get_by_role("button", name="Save introduction and strategic direction").click()
    expect(officer.get_by_role("status")).to_contain_text("saved")

    # ...adds an action, with a mistake first: the error is explained, then put right.
    officer.get_by_role("link", name="Action plan").click()
    new_action = officer.locator("fieldset").last
    new_action.get_by_label("Target date").fill("2013-02-28")
    officer.get_by_role("button", name="Save action plan").click()
    expect(officer.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(officer)
    officer.locator("fieldset").last.get_by_label("Title").fill("Launch online taxi renewals")
    officer.get_by_role("button", name="Save action plan").click()
    expect(officer.get_by_role("status")).to_contain_text("Action plan saved")
    assert plan.actions.filter(title="Launch online taxi renewals").exists()

    # ...records August's figure for the service's indicator: red, so commentary is required...
    officer.goto(f"{base}/")
    officer.get_by_role("link", name="Licensing: 1 figure for April 2012").click()
    officer.get_by_label("Actual (%)").fill("70")
    officer.get_by_role("button", name="Save figures").click()
    expect(officer.get_by_role("alert")).to_contain_text("This figure is red against its target")
    check_accessibility(officer)
    officer.get_by_label("Commentary").fill("Two vacancies in the licensing team.")
    officer.get_by_role("button", name="Save figures").click()
    expect(officer.locator(".rag-red")).to_contain_text("Red")
    check_accessibility(officer)

    # ...and submits.
    officer.goto(f"{base}/plans/{plan.pk}/workspace/")
    officer.get_by_role("button", name="Submit for approval").click()
    expect(officer.get_by_role("status")).to_contain_text("submitted")

    # The head of service sees it waiting, and returns it with a comment.
    head = new_page(world.head)
    head.get_by_role("link", name=str(plan)).first.click()
    check_accessibility(head)
    expect(head.get_by_role("heading", name="What changed")).to_be_visible()
    expect(head.locator("main")).to_contain_text("Launch online taxi renewals")
    head.get_by_label("What needs to change").fill("Add the fees review.")
    head.get_by_role("button", name="Return to the officer").click()

    # The officer reads the comment and resubmits; the head approves.
    officer.goto(f"{base}/plans/{plan.pk}/workspace/")
    expect(officer.locator("main")).to_contain_text("Add the fees review.")
    officer.get_by_role("button", name="Submit for approval").click()
    head.goto(f"{base}/plans/{plan.pk}/review/")
    head.get_by_role("button", name="Approve the plan").click()
    expect(head.get_by_role("status")).to_contain_text("approved")

    # The administrator publishes, recording the meeting.
    admin = new_page(world.admin)
    admin.goto(f"{base}/plans/{plan.pk}/workspace/")
    admin.get_by_role("link", name="Publish").click()
    check_accessibility(admin)
    admin.get_by_label("Endorsed by").select_option(label="Cabinet")
    admin.get_by_label("Date of the meeting").fill("2012-03-08")
    admin.get_by_role("button", name="Publish").click()
    expect(admin.get_by_role("status")).to_contain_text("published")

    # A member reads the published plan, and never the officer's next draft.
    officer.goto(f"{base}/plans/{plan.pk}/workspace/")
    officer.get_by_role("button", name="Revise: start a new version").click()
    draft = ServicePlan.objects.get(service=world.service_a, year=world.year, version=2)
    member = new_page(world.member)
    member.goto(f"{base}/plans/{plan.pk}/")
    expect(member.locator("main")).to_contain_text("We licence taxis, premises and events")
    check_accessibility(member)
    response = member.goto(f"{base}/plans/{draft.pk}/")
    assert response.status == 404


def test_two_people_editing_one_section_get_a_conflict_page(
    live_server, live_world, new_page, check_accessibility
):
    url = f"{live_server.url}/plans/{live_world.plan_a.pk}/sections/introduction/"
    first, second = new_page(live_world.officer_a), new_page(live_world.head)
    first.goto(url)
    second.goto(url)
    first.get_by_label("Introduction and strategic direction").fill("First person's words.")
    second.get_by_label("Introduction and strategic direction").fill("Second person's words.")
    first.get_by_role("button", name="Save introduction").click()
    expect(first.get_by_role("status")).to_contain_text("saved")
    second.get_by_role("button", name="Save introduction").click()
    expect(second.get_by_role("heading", level=1)).to_have_text(
        "Someone else saved this section while you were editing"
    )
    expect(second.locator("#theirs-heading + div")).to_contain_text("First person's words.")
    expect(second.get_by_label("Introduction and strategic direction")).to_have_value(
        "Second person's words."
    )
    check_accessibility(second)
    live_world.plan_a.refresh_from_db()
    assert live_world.plan_a.introduction == "First person's words."
