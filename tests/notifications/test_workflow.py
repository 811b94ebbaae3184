"""Workflow steps and publications tell the right people, at once, and only once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery, services
from notifications.models import Kind, Notification, Preference
from plans import workflow
from plans.models import ServicePlan
from reports import tasks
from tests import factories
from tests.reports.test_publishing import publish_now, ready_report

Status = ServicePlan.Status
MEETING = datetime.date(2012, 3, 8)


def told(kind) -> dict[str, Notification]:
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind)}


def set_status(plan, status):
    ServicePlan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()


def test_a_submitted_plan_tells_its_head_of_service(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.submit_plan(plan=world.plan_a, by=world.officer_a)
    assert delivery.send_soon in callbacks  # the email goes from the queue, not the request
    (notification,) = told(Kind.PLAN_SUBMITTED).values()
    assert notification.recipient == world.head
    assert notification.subject == "Licensing service plan 2012/13 is waiting for your approval"
    assert notification.reason == "You approve Licensing's plans as head of service."
    delivery.send_pending()
    (message,) = mail.outbox
    assert message.to == [world.head.email]
    assert message.subject == notification.subject
    assert f"/plans/{world.plan_a.pk}/review/" in message.body


def test_messages_name_a_revision_by_its_date_not_its_number(world):
    """People tell versions apart by dates: "the plan (revision started on …)", never
    "version 2"."""
    workflow.submit_plan(plan=world.plan_a, by=world.officer_a)
    first = told(Kind.PLAN_SUBMITTED)["head"].body
    assert "submitted the plan for approval." in first
    revision = workflow.revise_plan(plan=world.published_a, by=world.officer_a)
    started = f"{timezone.localdate(revision.created_at):%-d %B %Y}"
    workflow.submit_plan(plan=revision, by=world.officer_a)
    workflow.approve_plan(plan=revision, by=world.head)
    submitted = Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).latest("pk").body
    approved = told(Kind.PLAN_APPROVED)["admin"].body
    assert f"submitted the plan (revision started on {started}) for approval." in submitted
    assert f"approved the plan (revision started on {started})." in approved
    assert "version" not in submitted + approved


def test_a_plan_without_a_head_of_service_goes_to_the_administrators(world):
    workflow.submit_plan(plan=world.plan_b, by=world.officer_b)
    assert set(told(Kind.PLAN_SUBMITTED)) == {"admin"}


def test_a_returned_plan_tells_its_editors_with_the_comment(world):
    set_status(world.plan_a, Status.SUBMITTED)
    workflow.return_plan(plan=world.plan_a, by=world.head, comment="Add the licensing targets.")
    notification = told(Kind.PLAN_RETURNED)["officer_a"]
    assert "Add the licensing targets." in notification.body
    assert set(told(Kind.PLAN_RETURNED)) == {"officer_a"}


def test_an_approved_plan_tells_the_administrators_even_with_a_digest(world):
    Preference.objects.create(user=world.admin, immediate=False)
    set_status(world.plan_a, Status.SUBMITTED)
    workflow.approve_plan(plan=world.plan_a, by=world.head)
    assert set(told(Kind.PLAN_APPROVED)) == {"admin"}
    delivery.send_pending()
    assert [m.to for m in mail.outbox] == [[world.admin.email]]  # at once, not in a digest


def test_a_published_plan_tells_its_editors_and_the_committees_followers(world):
    select = factories.CommitteeFactory(name="Licensing Committee")
    factories.CommitteeReviewFactory(service=world.service_a, committee=select)
    services.follow(world.member, select)
    stranger = factories.UserFactory(username="stranger")
    services.follow(stranger, factories.CommitteeFactory(name="Planning Committee"))
    set_status(world.plan_a, Status.APPROVED)
    workflow.publish_plan(
        plan=world.plan_a, by=world.admin, committee=world.cabinet, meeting_date=MEETING
    )
    published = told(Kind.PLAN_PUBLISHED)
    assert set(published) == {"officer_a", "member"}
    assert published["member"].reason == "You follow Licensing Committee."
    assert "Endorsed by Cabinet on 8 March 2012." in published["member"].body


def test_an_unsubscribed_follower_is_told_in_the_product_only(world):
    services.follow(world.member, world.cabinet)
    services.mute(world.member, Kind.PLAN_PUBLISHED)
    set_status(world.plan_a, Status.APPROVED)
    workflow.publish_plan(
        plan=world.plan_a, by=world.admin, committee=world.cabinet, meeting_date=MEETING
    )
    delivery.send_pending()
    assert "member" in told(Kind.PLAN_PUBLISHED)
    assert world.member.email not in {m.to[0] for m in mail.outbox}


def test_a_refused_step_tells_nobody(world):
    with pytest.raises(workflow.TransitionRefused):
        workflow.approve_plan(plan=world.plan_a, by=world.head)  # a draft
    assert not Notification.objects.exists()


def test_a_published_pack_tells_the_committees_followers(world):
    publish_now(world.published_a)
    services.follow(world.member, world.cabinet)
    row = ready_report(
        world,
        "committee-summary",
        {"committee": str(world.cabinet.pk), "year": "2011", "as_at": "2011-08"},
        covers=[world.published_a],
        title="Cabinet summary 2011/12",
    )
    tasks.publish_report(row=row, by=world.admin)
    (notification,) = told(Kind.REPORT_PUBLISHED).values()
    assert notification.recipient == world.member
    assert notification.subject == "Published: Cabinet summary 2011/12"
    assert notification.reason == "You follow Cabinet."
    delivery.send_pending()
    (message,) = mail.outbox
    assert "List-Unsubscribe" in message.extra_headers  # optional: one-click unsubscribe
    assert "/notifications/unsubscribe/" in message.body
