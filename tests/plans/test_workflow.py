"""Each workflow step: who may take it, from which status, and what it records."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import workflow
from plans.access import plans_visible_to
from plans.models import Action, PlanEvent, ServicePlan
from plans.workflow import TransitionRefused
from tests import factories

pytestmark = pytest.mark.django_db
Status = ServicePlan.Status
MEETING = datetime.date(2013, 3, 7)


def refresh(plan):
    plan.refresh_from_db()
    return plan


def last_event(plan):
    return PlanEvent.objects.filter(plan=plan).last()


def set_status(plan, status):
    ServicePlan.objects.filter(pk=plan.pk).update(status=status)
    return refresh(plan)


@pytest.mark.parametrize("who", ["officer_a", "head", "admin"])
def test_editors_submit_a_draft(world, who):
    user = world.persona(who)
    workflow.submit_plan(plan=world.plan_a, by=user)
    assert refresh(world.plan_a).status == Status.SUBMITTED
    event = last_event(world.plan_a)
    assert (event.kind, event.by) == (PlanEvent.Kind.SUBMITTED, user)


@pytest.mark.parametrize("who", ["officer_b", "member"])
def test_others_cannot_submit(world, who):
    with pytest.raises(TransitionRefused, match="not one of yours"):
        workflow.submit_plan(plan=world.plan_a, by=world.persona(who))
    assert refresh(world.plan_a).status == Status.DRAFT
    assert not PlanEvent.objects.exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED])
def test_only_a_draft_or_returned_plan_is_submitted(world, status):
    plan = set_status(world.plan_a, status) if status != Status.PUBLISHED else world.published_a
    with pytest.raises(TransitionRefused, match="This plan is"):
        workflow.submit_plan(plan=plan, by=world.officer_a)


def test_head_returns_with_a_comment_and_the_officer_resubmits(world):
    set_status(world.plan_a, Status.SUBMITTED)
    workflow.return_plan(plan=world.plan_a, by=world.head, comment="Add the CCTV savings.")
    assert refresh(world.plan_a).status == Status.RETURNED
    assert last_event(world.plan_a).comment == "Add the CCTV savings."
    workflow.submit_plan(plan=world.plan_a, by=world.officer_a)
    assert refresh(world.plan_a).status == Status.SUBMITTED


def test_return_needs_a_comment(world):
    set_status(world.plan_a, Status.SUBMITTED)
    with pytest.raises(TransitionRefused, match="Say what needs to change"):
        workflow.return_plan(plan=world.plan_a, by=world.head, comment="   ")
    assert refresh(world.plan_a).status == Status.SUBMITTED


@pytest.mark.parametrize("step", [workflow.approve_plan, workflow.return_plan])
@pytest.mark.parametrize("who", ["officer_a", "officer_b", "member"])
def test_only_the_head_of_service_or_admin_approves_or_returns(world, step, who):
    set_status(world.plan_a, Status.SUBMITTED)
    kwargs = {"comment": "No."} if step is workflow.return_plan else {}
    with pytest.raises(TransitionRefused, match="Only the head of service"):
        step(plan=world.plan_a, by=world.persona(who), **kwargs)
    assert refresh(world.plan_a).status == Status.SUBMITTED


def test_head_cannot_approve_another_portfolios_plan(world):
    set_status(world.plan_b, Status.SUBMITTED)
    with pytest.raises(TransitionRefused):
        workflow.approve_plan(plan=world.plan_b, by=world.head)


@pytest.mark.parametrize("who", ["head", "admin"])
def test_head_or_admin_approves_a_submitted_plan(world, who):
    set_status(world.plan_a, Status.SUBMITTED)
    workflow.approve_plan(plan=world.plan_a, by=world.persona(who))
    assert refresh(world.plan_a).status == Status.APPROVED


def test_a_draft_cannot_be_approved(world):
    with pytest.raises(TransitionRefused, match="This plan is draft"):
        workflow.approve_plan(plan=world.plan_a, by=world.head)


def test_admin_publishes_an_approved_plan_recording_the_meeting(world):
    set_status(world.plan_a, Status.APPROVED)
    workflow.publish_plan(
        plan=world.plan_a, by=world.admin, committee=world.cabinet, meeting_date=MEETING
    )
    plan = refresh(world.plan_a)
    assert (plan.status, plan.endorsed_by, plan.endorsed_on) == (
        Status.PUBLISHED,
        world.cabinet,
        MEETING,
    )
    assert last_event(plan).by == world.admin


@pytest.mark.parametrize("who", ["head", "officer_a", "member"])
def test_only_admin_publishes(world, who):
    set_status(world.plan_a, Status.APPROVED)
    with pytest.raises(TransitionRefused, match="policy & performance team"):
        workflow.publish_plan(
            plan=world.plan_a,
            by=world.persona(who),
            committee=world.cabinet,
            meeting_date=MEETING,
        )
    assert refresh(world.plan_a).status == Status.APPROVED


def test_a_submitted_plan_cannot_be_published(world):
    set_status(world.plan_a, Status.SUBMITTED)
    with pytest.raises(TransitionRefused):
        workflow.publish_plan(
            plan=world.plan_a, by=world.admin, committee=world.cabinet, meeting_date=MEETING
        )


def full_plan(plan):
    objective = factories.ObjectiveFactory(plan=plan, is_key=True, title="Keep streets clean")
    objective.priorities.add(factories.PriorityFactory())
    open_action = factories.ActionFactory(
        plan=plan, objective=objective, title="Open action", status=Action.Status.ON_TRACK
    )
    factories.MilestoneFactory(
        action=open_action, title="Done already", completed_on=datetime.date(2012, 6, 1)
    )
    factories.MilestoneFactory(action=open_action, title="Still to do")
    factories.ActionFactory(
        plan=plan, objective=objective, title="Finished action", status=Action.Status.COMPLETED
    )
    factories.ProjectFactory(plan=plan)
    factories.RiskFactory(plan=plan)
    factories.ConsultationFactory(plan=plan)
    factories.WorkStreamFactory(plan=plan)
    return plan


def test_revise_starts_a_new_version_and_the_published_one_stays(world):
    published = full_plan(world.published_a)
    revision = workflow.revise_plan(plan=published, by=world.officer_a)
    assert (revision.version, revision.status, revision.rolled_from) == (
        2,
        Status.DRAFT,
        published,
    )
    assert refresh(published).status == Status.PUBLISHED
    assert revision.introduction == published.introduction
    assert revision.actions.count() == 2, "a revision keeps every action"
    assert revision.consultations.count() == 1 and revision.work_streams.count() == 1
    copied = revision.actions.get(title="Open action")
    assert copied.objective.plan == revision
    assert copied.milestones.count() == 2
    assert list(revision.objectives.get().priorities.all()) == list(
        published.objectives.get().priorities.all()
    )
    assert published.actions.count() == 2, "the published plan is untouched"


def test_a_second_revision_is_refused_while_one_is_open(world):
    workflow.revise_plan(plan=world.published_a, by=world.officer_a)
    with pytest.raises(
        TransitionRefused, match="revision started on .* is already being worked on"
    ):
        workflow.revise_plan(plan=world.published_a, by=world.officer_a)


def test_only_a_published_plan_is_revised(world):
    with pytest.raises(TransitionRefused):
        workflow.revise_plan(plan=world.plan_a, by=world.officer_a)


def test_publishing_a_revision_supersedes_the_published_version(world):
    revision = workflow.revise_plan(plan=world.published_a, by=world.officer_a)
    workflow.submit_plan(plan=revision, by=world.officer_a)
    workflow.approve_plan(plan=revision, by=world.head)
    workflow.publish_plan(
        plan=revision, by=world.admin, committee=world.cabinet, meeting_date=MEETING
    )
    assert refresh(world.published_a).status == Status.SUPERSEDED
    assert refresh(revision).status == Status.PUBLISHED
    visible = plans_visible_to(world.member).filter(service=world.service_a)
    assert list(visible) == [revision]


def test_a_revision_is_named_by_its_date_wherever_people_read_it(client, world):
    """ "Licensing 2011/12 (revised on 7 March 2013)", never "(version 2)": the day the
    revision was started while it is worked on, then the day a committee endorsed it. The
    number stays in the data for programs."""
    original = world.published_a
    revision = workflow.revise_plan(plan=original, by=world.officer_a)
    started = f"{timezone.localdate(revision.created_at):%-d %B %Y}"
    assert str(original) == "Licensing 2011/12"
    assert str(revision) == f"Licensing 2011/12 (revision started on {started})"
    client.force_login(world.officer_a)
    page = client.get(reverse("portal:plan-workspace", args=[revision.pk])).content.decode()
    assert f"revision started on {started}" in page
    assert "Original plan</a> (published)" in page, "the other version, by what it is"
    assert not re.search(r"[Vv]ersion \d", page)
    workflow.submit_plan(plan=revision, by=world.officer_a)
    workflow.approve_plan(plan=revision, by=world.head)
    workflow.publish_plan(
        plan=revision, by=world.admin, committee=world.cabinet, meeting_date=MEETING
    )
    revision = refresh(revision)
    assert (revision.version, str(revision)) == (2, "Licensing 2011/12 (revised on 7 March 2013)")
    assert last_event(original).comment == "By Licensing 2011/12 (revised on 7 March 2013)."
    client.force_login(world.admin)
    round_page = client.get(reverse("plans:planning-round") + "?year=2011").content.decode()
    assert "Revised on 7 March 2013" in round_page


def test_a_superseded_plans_address_leads_members_to_the_revision(client, world):
    """Links in committee papers keep working: the old version's address takes a member to the
    version now published, saying when the plan was revised; staff still read the old one."""
    old = world.published_a
    revision = workflow.revise_plan(plan=old, by=world.officer_a)
    workflow.submit_plan(plan=revision, by=world.officer_a)
    workflow.approve_plan(plan=revision, by=world.head)
    workflow.publish_plan(
        plan=revision, by=world.admin, committee=world.cabinet, meeting_date=MEETING
    )
    address = reverse("portal:plan-detail", args=[old.pk])
    client.force_login(world.member)
    response = client.get(address, follow=True)
    assert response.redirect_chain == [(reverse("portal:plan-detail", args=[revision.pk]), 302)]
    page = response.content.decode()
    assert "This plan was revised on 7 March 2013: this is the version now published." in page
    client.force_login(world.officer_a)
    assert client.get(address).status_code == 200
    client.force_login(world.officer_b)  # another service's officer: a member, here
    assert client.get(address).status_code == 302
    client.logout()
    assert "/accounts/login/" in client.get(address).url


def test_an_address_of_a_version_never_published_stays_not_found(client, world):
    client.force_login(world.member)
    assert client.get(reverse("portal:plan-detail", args=[world.plan_a.pk])).status_code == 404


def test_members_see_only_published_plans_while_a_revision_is_open(world):
    revision = workflow.revise_plan(plan=world.published_a, by=world.officer_a)
    visible = set(plans_visible_to(world.member))
    assert world.published_a in visible
    assert revision not in visible and world.plan_a not in visible


def test_roll_forward_copies_sections_objectives_open_actions_projects_and_risks(world):
    source = full_plan(world.published_a)  # 2011/12
    world.plan_a.delete()  # 2012/13 is where it rolls to
    rolled = workflow.roll_forward_plan(plan=source, by=world.officer_a)
    assert (rolled.year, rolled.version, rolled.status, rolled.rolled_from) == (
        world.year,
        1,
        Status.DRAFT,
        source,
    )
    assert rolled.introduction == source.introduction
    assert list(rolled.objectives.values_list("title", "is_key")) == [("Keep streets clean", True)]
    assert list(rolled.actions.values_list("title", flat=True)) == ["Open action"]
    assert list(rolled.actions.get().milestones.values_list("title", flat=True)) == ["Still to do"]
    assert rolled.projects.count() == 1 and rolled.risks.count() == 1
    assert rolled.consultations.count() == 0 and rolled.work_streams.count() == 0
    assert last_event(rolled).kind == PlanEvent.Kind.ROLLED_FORWARD


def test_roll_forward_refuses_when_next_year_has_a_plan(world):
    with pytest.raises(TransitionRefused, match="already has a plan for 2012/13"):
        workflow.roll_forward_plan(plan=world.published_a, by=world.officer_a)


def test_roll_forward_refuses_when_next_year_is_not_set_up(world):
    far = factories.ServicePlanFactory(
        service=world.service_a,
        year=factories.FinancialYearFactory(start_year=2020),
        published=True,
    )
    with pytest.raises(TransitionRefused, match="has not been set up"):
        workflow.roll_forward_plan(plan=far, by=world.officer_a)


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "returned"])
def test_roll_forward_only_from_a_published_plan(world, status):
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status=status)
    world.plan_a.refresh_from_db()
    with pytest.raises(TransitionRefused, match="Only a published plan can be rolled forward"):
        workflow.roll_forward_plan(plan=world.plan_a, by=world.officer_a)
    assert not ServicePlan.objects.filter(year=world.next_year).exists()


def test_roll_forward_refuses_another_services_officer(world):
    with pytest.raises(TransitionRefused):
        workflow.roll_forward_plan(plan=world.plan_b, by=world.officer_a)
    assert not ServicePlan.objects.filter(year=world.next_year).exists()
