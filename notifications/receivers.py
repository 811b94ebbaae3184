"""Telling people of other apps' events. Each receiver builds the message and calls notify();
the notifications are made in the event's transaction, so an undone step tells nobody."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse

from notifications.models import Kind
from notifications.people import administrators, people_of_services
from notifications.services import Message, followers_of, notify, unread_count
from plans.models import PlanEvent
from plans.signals import plan_moved
from reports.signals import report_published


@receiver(plan_moved, dispatch_uid="notifications-plan-moved")
def tell_of_a_plan_step(sender, plan, event, **kwargs) -> None:
    tell = {
        PlanEvent.Kind.SUBMITTED: _submitted,
        PlanEvent.Kind.RETURNED: _returned,
        PlanEvent.Kind.APPROVED: _approved,
        PlanEvent.Kind.PUBLISHED: _published,
    }.get(event.kind)
    if tell is not None:
        tell(plan, event)


def _message(kind, plan, event, subject, body="", url="") -> Message:
    return Message(
        kind=kind,
        about=f"plan:{plan.pk}",
        stage=f"event:{event.pk}",
        subject=subject,
        body=body,
        url=url,
    )


def _by(event) -> str:
    return (event.by.get_full_name() or event.by.username) if event.by else "Someone"


def _which(plan) -> str:
    """ "the plan", and a revision's date: people tell versions apart by dates, not numbers."""
    return f"the plan ({plan.revision_label})" if plan.revision_label else "the plan"


def _submitted(plan, event) -> None:
    people = people_of_services([plan.service_id])[plan.service_id]
    message = _message(
        Kind.PLAN_SUBMITTED,
        plan,
        event,
        f"{plan.service} service plan {plan.year} is waiting for your approval",
        f"{_by(event)} submitted {_which(plan)} for approval.",
        reverse("portal:plan-review", args=[plan.pk]),
    )
    if people.head:
        notify(message, {people.head: f"You approve {plan.service}'s plans as head of service."})
    else:
        notify(
            message,
            dict.fromkeys(
                administrators(), f"{plan.service} has no head of service to approve its plan."
            ),
        )


def _returned(plan, event) -> None:
    people = people_of_services([plan.service_id])[plan.service_id]
    message = _message(
        Kind.PLAN_RETURNED,
        plan,
        event,
        f"{plan.service} service plan {plan.year} was returned for changes",
        f"{_by(event)} returned it: {event.comment}",
        reverse("portal:plan-workspace", args=[plan.pk]),
    )
    notify(message, dict.fromkeys(people.responsible, f"You edit {plan.service}'s plan."))


def _approved(plan, event) -> None:
    message = _message(
        Kind.PLAN_APPROVED,
        plan,
        event,
        f"{plan.service} service plan {plan.year} was approved and is ready to publish",
        f"{_by(event)} approved {_which(plan)}." + (f" {event.comment}" if event.comment else ""),
        reverse("plans:plan-publish", args=[plan.pk]),
    )
    notify(
        message,
        dict.fromkeys(
            administrators(), "You publish approved plans for the policy & performance team."
        ),
    )


def _published(plan, event) -> None:
    people = people_of_services([plan.service_id])[plan.service_id]
    message = _message(
        Kind.PLAN_PUBLISHED,
        plan,
        event,
        f"{plan.service} service plan {plan.year} is published",
        f"Endorsed by {plan.endorsed_by} on {plan.endorsed_on:%-d %B %Y}."
        if plan.endorsed_by and plan.endorsed_on
        else "",
        reverse("portal:plan-detail", args=[plan.pk]),
    )
    committees = {c.pk: c for c in plan.service.committees.all()}
    if plan.endorsed_by_id:
        committees[plan.endorsed_by_id] = plan.endorsed_by
    recipients = _followers(committees)
    for user in people.editors:
        recipients[user] = f"You edit {plan.service}'s plan."
    notify(message, recipients)


@receiver(report_published, dispatch_uid="notifications-report-published")
def tell_followers_of_a_report(sender, report, **kwargs) -> None:
    from organisation.models import Committee

    committee_id = str(report.parameters.get("committee", ""))
    if committee_id.isdigit():
        committees = list(Committee.objects.filter(pk=int(committee_id)))
    else:  # a report for no one committee: the committees of the services it covers
        committees = list(
            Committee.objects.filter(services__plans__in=report.covers.all()).distinct()
        )
    if not committees:
        return
    recipients = _followers({c.pk: c for c in committees})
    notify(
        Message(
            kind=Kind.REPORT_PUBLISHED,
            about=f"report:{report.pk}",
            stage="published",
            subject=f"Published: {report.title}",
            body="Ready to read and download.",
            url=reverse("reports:report-status", args=[report.pk]),
        ),
        recipients,
    )


def _followers(committees: dict) -> dict:
    """The followers of these committees (by id), each with which of them they follow."""
    recipients = {}
    followers = followers_of(committees).prefetch_related("notification_preference__committees")
    for follower in followers:
        followed = sorted(
            c.name for c in follower.notification_preference.committees.all() if c.pk in committees
        )
        recipients[follower] = f"You follow {', '.join(followed)}."
    return recipients


@receiver(user_logged_in, dispatch_uid="notifications-count-at-sign-in")
def count_unread_at_sign_in(sender, request, user, **kwargs) -> None:
    """The header's count is counted at sign-in and kept (services.unread_count): every page
    after reads it from the cache, the first one included."""
    unread_count(user)
