"""Opening the round: deadlines saved at once, last year's published plans rolled forward in
the background (the real queue and worker, as tests/reports/test_queue.py runs them), one
failing plan listed without undoing the others; the round page's counts and bulk actions."""

import datetime
import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification
from plans import rounds, workflow
from plans.models import RollForwardJob, ServicePlan
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def run_worker():
    """What `python manage.py db_worker` does, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def world(settings):
    settings.REPORTS_WORKER = "process"  # the test runs the queue itself
    world = World()
    # Three published 2012/13 plans to roll into 2013/14 (plan_a and plan_b are 2012 drafts).
    world.published = [
        factories.ServicePlanFactory(service=service, year=world.year, published=True)
        for service in (
            factories.ServiceFactory(name="Parking"),
            factories.ServiceFactory(name="Waste"),
            factories.ServiceFactory(name="Housing"),
        )
    ]
    return world


def text(response) -> str:
    """The page's words, tags taken out."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_opening_the_round_rolls_forward_in_the_background(client, world, monkeypatch):
    real = workflow.roll_forward_plan

    def fails_for_waste(*, plan, by):
        rolled = real(plan=plan, by=by)
        if plan.service.name == "Waste":  # after writing: its transaction must be undone
            raise workflow.TransitionRefused("Waste's plan has an action with no title.")
        return rolled

    monkeypatch.setattr(workflow, "roll_forward_plan", fails_for_waste)
    client.force_login(world.admin)
    form = {"year": world.next_year.pk, "plans_due": "2014-02-28", "approvals_due": "2014-03-14"}
    response = client.post(reverse("plans:round-open"), form, follow=True)
    page = text(response)
    assert "The 2013/14 round is open" in page
    assert "Rolling forward to 2013/14: waiting to start" in page
    world.next_year.refresh_from_db()
    assert (world.next_year.plans_due, world.next_year.approvals_due) == (
        D(2014, 2, 28),
        D(2014, 3, 14),
    )
    assert not ServicePlan.objects.filter(year=world.next_year).exists()  # not in the request

    run_worker()
    job = RollForwardJob.objects.get()
    assert (job.status, job.total, job.done, job.rolled) == ("done", 3, 3, 2)
    assert job.failures == [
        {"service": "Waste", "reason": "Waste's plan has an action with no title."}
    ]
    rolled = ServicePlan.objects.filter(year=world.next_year).order_by("service__name")
    assert [plan.service.name for plan in rolled] == ["Housing", "Parking"]
    assert all(plan.status == "draft" and plan.rolled_from for plan in rolled)

    page = text(client.get(reverse("plans:planning-round") + "?year=2013"))
    assert "Rolling forward to 2013/14: finished" in page
    assert "3 of 3 plans done: 2 rolled forward, 1 not." in page
    assert "Waste: Waste's plan has an action with no title." in page
    # 2 draft, 3 not started (Licensing, Finance, Waste).
    assert "3 not started 2 draft 0 submitted 0 returned 0 approved 0 published" in page


def test_opening_with_bad_deadlines_queues_nothing(client, world):
    client.force_login(world.admin)
    form = {"year": world.next_year.pk, "plans_due": "2014-02-28", "approvals_due": "2014-02-01"}
    response = client.post(reverse("plans:round-open"), form)
    assert response.status_code == 400
    assert "approval before they are submitted" in text(response)
    assert not RollForwardJob.objects.exists()


def test_roll_forward_the_selected_leaves_the_others(client, world):
    parking, waste, _ = world.published
    client.force_login(world.admin)
    data = {"year": "2013", "service": [parking.service.pk, world.service_b.pk]}
    response = client.post(reverse("plans:round-roll-forward"), data, follow=True)
    assert "in the background" in text(response)
    run_worker()
    rolled = ServicePlan.objects.filter(year=world.next_year)
    assert [plan.service for plan in rolled] == [parking.service]  # Finance had none published
    job = RollForwardJob.objects.get()
    assert (job.total, job.rolled, job.failures) == (1, 1, [])


def test_only_administrators_run_the_round(world):
    with pytest.raises(rounds.RoundRefused):
        rounds.open_round(year=world.next_year, by=world.head, plans_due=None, approvals_due=None)
    assert not RollForwardJob.objects.exists()


def test_counts_by_status(client, world):
    ServicePlan.objects.filter(pk=world.plan_b.pk).update(status="submitted")
    client.force_login(world.admin)
    page = text(client.get(reverse("plans:planning-round") + "?year=2012"))
    assert "0 not started 1 draft 1 submitted 0 returned 0 approved 3 published" in page


def test_the_round_shows_the_year_being_planned_by_default(client, world):
    client.force_login(world.admin)
    assert "Planning round 2013/14" in text(client.get(reverse("plans:planning-round")))
    world.next_year.delete()
    assert "Planning round 2012/13" in text(client.get(reverse("plans:planning-round")))


def test_remind_the_selected_tells_the_editors_now(client, world, settings):
    client.force_login(world.admin)
    data = {"year": "2012", "service": [world.service_a.pk]}
    response = client.post(reverse("notifications:round-remind"), data, follow=True)
    assert "Reminder sent for Licensing" in text(response)
    assert Notification.objects.filter(recipient=world.officer_a).count() == 1
    assert not Notification.objects.filter(recipient=world.officer_b).exists()
    response = client.post(reverse("notifications:round-remind"), data, follow=True)
    assert "Already reminded today, so nothing was sent: Licensing." in text(response)


def test_the_embedded_default_runs_the_round_in_a_thread_of_the_web_process(world, settings):
    from reports import worker

    settings.REPORTS_WORKER = "thread"
    job = rounds.open_round(
        year=world.next_year, by=world.admin, plans_due=None, approvals_due=None
    )
    assert worker.wait(timeout=60)
    job.refresh_from_db()
    assert (job.status, job.rolled) == ("done", 3)


def test_a_councils_first_year_opens_with_deadlines_and_nothing_to_roll_forward(world):
    first = factories.FinancialYearFactory(start_year=2005)
    job = rounds.open_round(
        year=first,
        by=world.admin,
        plans_due=datetime.date(2006, 2, 28),
        approvals_due=datetime.date(2006, 3, 15),
    )
    first.refresh_from_db()
    assert job is None and not RollForwardJob.objects.exists()
    assert (first.plans_due, first.approvals_due) == (
        datetime.date(2006, 2, 28),
        datetime.date(2006, 3, 15),
    )
