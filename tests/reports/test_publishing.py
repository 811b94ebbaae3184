"""Publishing a generated report for members: a report that includes unpublished content (a plan
not published, the figures of a service whose plan for the year is not) is for reviewers only;
a published pack of a plan version since superseded stays the record but says so."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from plans import workflow
from plans.models import ServicePlan
from reports import tasks
from reports.models import GeneratedReport
from reports.service_plan import ServicePlanReport, cover_facts
from tests import factories
from tests.reports.matrix import MINIMAL_PDF
from tests.reports.test_views import page_queries

pytestmark = pytest.mark.django_db
Status = ServicePlan.Status


def ready_report(world, slug, parameters, *, covers=(), published_at=None, title=None):
    """A finished report row, as the worker leaves it, with a small file: no PDF rendered."""
    row = GeneratedReport(
        report=slug,
        title=title or f"{slug} report",
        parameters=parameters,
        status=GeneratedReport.Status.DONE,
        progress=100,
        page_count=1,
        size=len(MINIMAL_PDF),
        requested_by=world.admin,
        published_at=published_at,
    )
    row.file.save(f"{slug}.pdf", ContentFile(MINIMAL_PDF), save=False)
    row.save()
    row.covers.set(covers)
    return row


def plan_report(world, plan, **kwargs):
    return ready_report(
        world,
        "service-plan",
        {"plan": str(plan.pk)},
        covers=[plan],
        title=f"{plan.service} service plan {plan.year}",
        **kwargs,
    )


def booklet(world, **parameters):
    return ready_report(
        world,
        "kpi-booklet",
        {"year": "2012", "as_at": "2012-08", **parameters},
        title="Key performance information August 2012",
    )


def indicator_of(service, year):
    return factories.TargetFactory(year=year, indicator__service=service).indicator


def publish_now(plan):
    """A plan published by the council's meeting, without the workflow's checks."""
    ServicePlan.objects.filter(pk=plan.pk).update(
        status=Status.PUBLISHED,
        endorsed_by=factories.CommitteeFactory(kind="cabinet"),
        endorsed_on=datetime.date(2012, 3, 8),
    )
    plan.refresh_from_db()


# --- A: unpublished content is for reviewers, never published to members ---------------------


def test_a_service_plan_report_of_a_submitted_plan_cannot_be_published(client, world):
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status=Status.SUBMITTED)
    row = plan_report(world, world.plan_a)
    with pytest.raises(tasks.ReportRefused) as refused:
        tasks.publish_report(row=row, by=world.admin)
    assert "Licensing 2012/13 is submitted, not published." in str(refused.value)
    row.refresh_from_db()
    assert row.published_at is None
    # Through the page too: refused with the message, and the member still cannot have it.
    client.force_login(world.admin)
    response = client.post(reverse("reports:report-publish", args=[row.pk]), follow=True)
    assert "Licensing 2012/13 is submitted, not published." in response.content.decode()
    row.refresh_from_db()
    assert row.published_at is None
    client.force_login(world.member)
    assert client.get(reverse("reports:report-status", args=[row.pk])).status_code == 404
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 404
    assert reverse("reports:report-status", args=[row.pk]) not in (
        client.get(reverse("reports:reports")).content.decode()
    )


def test_the_report_page_says_why_publish_is_unavailable_instead_of_offering_it(client, world):
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status=Status.SUBMITTED)
    row = plan_report(world, world.plan_a)
    client.force_login(world.admin)
    page = client.get(reverse("reports:report-status", args=[row.pk])).content.decode()
    assert "cannot be published for members" in page
    assert "Licensing 2012/13 is submitted, not published." in page
    assert reverse("reports:report-publish", args=[row.pk]) not in page
    # Reviewers still read it.
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 200


def test_a_report_of_a_plan_rendered_before_it_was_published_stays_unpublishable(world):
    """The text of a submitted plan may change before the version is published: what the file
    showed when it was rendered counts, not only the plan's status now."""
    row = plan_report(world, world.plan_a)
    row.unpublished_at_render = ["Licensing 2012/13 is submitted, not published."]
    row.save()
    publish_now(world.plan_a)
    with pytest.raises(tasks.ReportRefused, match="When the report was generated: Licensing"):
        tasks.publish_report(row=row, by=world.admin)


def test_a_published_plans_report_can_be_published(client, world):
    row = plan_report(world, world.published_a)
    tasks.publish_report(row=row, by=world.admin)
    client.force_login(world.member)
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 200


def test_a_pack_published_before_the_rule_showing_a_draft_is_not_a_members(client, world):
    row = plan_report(world, world.plan_a, published_at=timezone.now())
    client.force_login(world.member)
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 404


def test_a_booklet_with_a_service_whose_plan_is_not_published_cannot_be_published(world):
    publish_now(world.plan_a)
    indicator_of(world.service_a, world.year)
    indicator_of(world.service_b, world.year)  # Finance: its 2012/13 plan is a draft
    row = booklet(world)
    with pytest.raises(tasks.ReportRefused) as refused:
        tasks.publish_report(row=row, by=world.admin)
    message = str(refused.value)
    assert "The indicators of Finance are included, but its 2012/13 plan is not published." in (
        message
    )
    assert "Licensing" not in message
    row.refresh_from_db()
    assert row.published_at is None


def test_a_booklet_of_published_services_only_can_be_published(client, world):
    publish_now(world.plan_a)
    indicator_of(world.service_a, world.year)
    factories.IndicatorFactory(service=world.service_b, last_year=2011)  # retired: not listed
    row = booklet(world)
    tasks.publish_report(row=row, by=world.admin)
    client.force_login(world.member)
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 200


def test_a_booklet_of_one_head_of_service_leaves_the_others_services_out(world):
    publish_now(world.plan_a)
    indicator_of(world.service_a, world.year)
    indicator_of(world.service_b, world.year)
    row = booklet(world, head_of_service=str(world.service_a.head_of_service.pk))
    assert tasks.publish_report(row=row, by=world.admin).published_at is not None


# --- B: a pack of a superseded version is the record, never current ---------------------------


def revise_and_republish(world, plan) -> ServicePlan:
    """Version 2 of the plan through the workflow: revised, submitted, approved, published."""
    revision = workflow.revise_plan(plan=plan, by=world.officer_a)
    workflow.submit_plan(plan=revision, by=world.officer_a)
    workflow.approve_plan(plan=revision, by=world.head)
    return workflow.publish_plan(
        plan=revision, by=world.admin, committee=world.cabinet, meeting_date=datetime.date.today()
    )


def test_a_revisions_pdf_names_it_by_its_date_not_its_number(world):
    revision = revise_and_republish(world, world.published_a)
    revised = f"{timezone.localdate():%-d %B %Y}"
    report = ServicePlanReport({"plan": revision}, {})
    assert dict(cover_facts(revision))["Version"] == f"Revised on {revised}"
    assert "Version" not in dict(cover_facts(world.published_a)), "a year's first plan"
    assert report.file_stem() == (f"licensing-service-plan-2011-12-revised-on-{slugify(revised)}")
    world.published_a.refresh_from_db()
    superseded = ServicePlanReport({"plan": world.published_a}, {})
    assert superseded.unpublished_content() == ["Licensing 2011/12 is superseded, not published."]


def home_sections(client) -> tuple[str, str]:
    """The reports page: (the current reports, the superseded ones)."""
    page = client.get(reverse("reports:reports")).content.decode()
    current, _, superseded = page.partition('<h2 id="superseded">')
    return current, superseded


def test_a_published_pack_of_a_superseded_version_says_so_and_links_the_newer(client, world):
    old = plan_report(world, world.published_a, published_at=timezone.now())
    client.force_login(world.member)
    current, superseded = home_sections(client)
    assert reverse("reports:report-status", args=[old.pk]) in current and not superseded

    revision = revise_and_republish(world, world.published_a)
    newer = plan_report(world, revision, published_at=timezone.now())
    sentence = (
        f"Superseded: Licensing 2011/12 was revised and republished on "
        f"{timezone.localdate():%-d %B %Y}."
    )
    current, superseded = home_sections(client)
    old_url = reverse("reports:report-status", args=[old.pk])
    newer_url = reverse("reports:report-status", args=[newer.pk])
    assert old_url not in current and newer_url in current
    assert old_url in superseded and sentence in superseded
    assert f'See the newer report: <a href="{newer_url}">' in superseded
    page = client.get(old_url).content.decode()
    assert sentence in page and f'<a href="{newer_url}">' in page
    assert "Download the superseded PDF" in page
    # Still the record of what the committee saw.
    assert client.get(reverse("reports:report-download", args=[old.pk])).status_code == 200


def test_without_a_newer_report_the_superseded_pack_links_the_current_plan(client, world):
    old = plan_report(world, world.published_a, published_at=timezone.now())
    # A newer report of another kind is not "the newer one".
    revision = revise_and_republish(world, world.published_a)
    ready_report(world, "kpi-booklet", {"year": "2011", "as_at": "2011-08"}, covers=[revision])
    client.force_login(world.member)
    page = client.get(reverse("reports:report-status", args=[old.pk])).content.decode()
    assert "Superseded: Licensing 2011/12 was revised and republished" in page
    assert f'<a href="{reverse("portal:plan-detail", args=[revision.pk])}">' in page
    assert "See the newer report" not in page


def test_a_report_of_a_superseded_version_can_no_longer_be_published(client, world):
    old = plan_report(world, world.published_a)
    revise_and_republish(world, world.published_a)
    with pytest.raises(tasks.ReportRefused, match="Licensing 2011/12 is superseded"):
        tasks.publish_report(row=old, by=world.admin)
    client.force_login(world.admin)
    page = client.get(reverse("reports:report-status", args=[old.pk])).content.decode()
    assert "Superseded: Licensing 2011/12" in page
    assert reverse("reports:report-publish", args=[old.pk]) not in page


def test_a_pack_covering_a_superseded_version_among_others_is_superseded(world):
    """A committee pack: several plans, one of them since revised."""
    publish_now(world.plan_b)
    pack = ready_report(
        world,
        "covering-report",
        {"covering_report": "1"},
        covers=[world.published_a, world.plan_b],
        published_at=timezone.now(),
    )
    revise_and_republish(world, world.published_a)
    from reports.access import reports_visible_to
    from reports.selectors import superseded_notes

    row = reports_visible_to(world.member).get(pk=pack.pk)
    superseded_notes([row])
    assert [revision.plan for revision in row.superseded_note.revisions] == [world.published_a]


def test_superseded_reports_cost_the_same_queries_however_many(client, world):
    plan_report(world, world.published_a, published_at=timezone.now())
    revision = revise_and_republish(world, world.published_a)
    plan_report(world, revision, published_at=timezone.now())
    client.force_login(world.member)
    url = reverse("reports:reports")
    few = page_queries(client, url)
    for _ in range(5):
        plan_report(world, world.published_a, published_at=timezone.now())
        plan_report(world, revision, published_at=timezone.now())
    assert page_queries(client, url) == few


def test_a_superseded_reports_page_costs_a_fixed_number_of_queries(client, world):
    old = plan_report(world, world.published_a, published_at=timezone.now())
    revise_and_republish(world, world.published_a)
    client.force_login(world.member)
    # The four of any report's page (session, user, role groups, the report; the header's
    # unread count is kept from sign-in), then the note: the superseded versions it shows,
    # their current versions, the newer reports.
    assert page_queries(client, reverse("reports:report-status", args=[old.pk])) == 7


def test_each_report_says_which_plans_it_shows_and_what_members_may_not_read(world):
    from reports.base import get_report

    publish_now(world.plan_a)
    indicator_of(world.service_a, world.year)
    indicator_of(world.service_b, world.year)
    factories.CommitteeReviewFactory(service=world.service_a, committee=world.cabinet)
    # Finance is under another head of service: not in Cabinet's summary, in the booklet.
    summary = get_report("committee-summary").from_form_data(
        {"committee": str(world.cabinet.pk), "year": "2012", "as_at": "2012-08"}
    )
    assert summary.plans_covered() == [world.plan_a]
    assert summary.unpublished_content() == []
    factories.CommitteeReviewFactory(service=world.service_b, committee=world.cabinet)
    assert summary.unpublished_content() == [
        "The performance of Finance is included, but its 2012/13 plan is not published."
    ]
    whole = get_report("kpi-booklet").from_form_data({"year": "2012", "as_at": "2012-08"})
    assert whole.plans_covered() == [world.plan_a]
    assert len(whole.unpublished_content()) == 1
    plan = get_report("service-plan").from_form_data({"plan": str(world.published_a.pk)})
    assert plan.plans_covered() == [world.published_a] and plan.unpublished_content() == []
