"""Recording progress on a published plan: the progress page, an item's update form with its
evidence, the head of service's comment, the evidence download, the plan page, the admin."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation import content_versions
from organisation.models import MonitoringPoint
from plans import progress
from plans.models import ProgressUpdate, ServicePlan
from tests import factories
from tests.plans.progress_helpers import (
    EXE_BYTES,
    HTML_BYTES,
    docx_bytes,
    pdf_bytes,
    png_bytes,
    published_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    return published_plan(world)


def item_url(published, part) -> str:
    return reverse("plans:progress-item", args=[published.plan.pk, part.reference])


def plan_url(plan) -> str:
    return reverse("portal:plan-detail", args=[plan.pk])


def record(client, published, part, **fields):
    data = {"point": published.point.pk, "status": "on_track", "commentary": "", **fields}
    return client.post(item_url(published, part), {k: v for k, v in data.items() if v is not None})


def stored_files(settings) -> list:
    evidence = settings.MEDIA_ROOT / "evidence"
    return list(evidence.iterdir()) if evidence.exists() else []


# Recording ------------------------------------------------------------------------------------


def test_an_officer_is_told_what_is_wrong_then_records_the_update(client, world, published):
    client.force_login(world.officer_a)
    response = record(client, published, published.action, status="at_risk", percent_complete=40)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_commentary"' in page  # the summary links to the field
    assert "Say why it is at risk, and what is being done about it." in page
    assert 'id="error-summary" autofocus' in page  # and takes focus
    assert not ProgressUpdate.objects.exists()

    response = record(
        client,
        published,
        published.action,
        status="at_risk",
        percent_complete=40,
        commentary="The supplier is late.",
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.reference, update.status, update.percent_complete) == ("LIC-A01", "at_risk", 40)
    assert update.by == world.officer_a and update.point == published.point


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": ""}, "status", "Choose a status: not started, on track"),
        ({"evidence_link": "javascript:x()"}, "evidence_link", "Enter a valid URL."),
        ({"percent_complete": "101"}, "percent_complete", "a whole number from 0 to 100"),
        ({"completed_on": "2011-09-01"}, "completed_on", "Only a completed milestone"),
    ],
)
def test_every_error_summary_link_lands_on_its_field(
    client, world, published, fields, field, message
):
    client.force_login(world.officer_a)
    page = record(client, published, published.milestone, **fields).content.decode()
    assert message in page
    assert f'href="#id_{field}"' in page and f'id="id_{field}"' in page
    assert not ProgressUpdate.objects.exists()


def test_a_milestone_is_completed_on_a_day(client, world, published):
    client.force_login(world.officer_a)
    response = record(client, published, published.milestone, status="completed")
    assert "Give the day the milestone was completed." in response.content.decode()
    response = record(
        client, published, published.milestone, status="completed", completed_on="2011-09-15"
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().completed_on == datetime.date(2011, 9, 15)


def test_a_risk_is_re_scored_instead_of_given_a_status(client, world, published):
    client.force_login(world.officer_a)
    page = client.get(item_url(published, published.risk)).content.decode()
    assert 'name="likelihood"' in page and 'name="status"' not in page
    response = client.post(item_url(published, published.risk), {"point": published.point.pk})
    assert "Score the likelihood from 1 to 5." in response.content.decode()
    response = client.post(
        item_url(published, published.risk),
        {"point": published.point.pk, "likelihood": 5, "impact": 4},
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().score == 20


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [("report.pdf", pdf_bytes(), "application/pdf"), ("photo.png", png_bytes(), "image/png")],
)
def test_evidence_files_are_kept_and_downloaded_by_members(
    client, world, published, name, content, stored_type
):
    client.force_login(world.officer_a)
    response = record(
        client, published, published.action, evidence_file=SimpleUploadedFile(name, content)
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.evidence_name == name
    assert name not in update.evidence_file.name  # stored under a random name

    client.force_login(world.member)
    download = client.get(reverse("plans:progress-evidence", args=[update.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == stored_type
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", EXE_BYTES, "is not really a PDF file"),
        ("report.pdf", HTML_BYTES, "is not really a PDF file"),
        ("notes.docx", docx_bytes(with_macros=True), "is not really a DOCX file"),
        ("tool.exe", EXE_BYTES, "is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_kept(
    client, world, published, settings, name, content, message
):
    client.force_login(world.officer_a)
    response = record(
        client, published, published.action, evidence_file=SimpleUploadedFile(name, content)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and 'href="#id_evidence_file"' in page
    assert not ProgressUpdate.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_with_its_size(client, world, published, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    client.force_login(world.officer_a)
    big = pdf_bytes() + b"%" * 3 * 1024 * 1024
    response = record(
        client, published, published.action, evidence_file=SimpleUploadedFile("big.pdf", big)
    )
    assert "big.pdf is 3.0 MB; the largest file accepted is 0 MB." in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert stored_files(settings) == []


def test_record_progress_itself_refuses_a_file_over_the_limit(world, published, settings):
    """The rule holds for every route, not just the page's form."""
    from plans.progress import Evidence, ProgressRefused, record_progress

    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ProgressRefused) as refused:
        record_progress(
            plan=published.plan,
            reference=published.action.reference,
            point=published.point,
            by=world.officer_a,
            status="on_track",
            evidence=Evidence(content=pdf_bytes() + b"%" * 2048, filename="big.pdf"),
        )
    assert "largest file accepted" in refused.value.problems["evidence_file"]
    assert not ProgressUpdate.objects.exists()


def test_an_evidence_link_must_be_a_web_address(world, published):
    from plans.progress import Evidence, ProgressRefused, record_progress

    with pytest.raises(ProgressRefused) as refused:
        record_progress(
            plan=published.plan,
            reference=published.action.reference,
            point=published.point,
            by=world.officer_a,
            status="on_track",
            evidence=Evidence(link="javascript:alert(1)"),
        )
    assert "evidence_link" in refused.value.problems


# Who may do what ------------------------------------------------------------------------------


def test_another_services_officer_and_members_get_404_on_every_progress_page(
    client, world, published
):
    update = factories.ProgressUpdateFactory(item=published.action, point=published.point)
    urls = [
        reverse("plans:plan-progress", args=[published.plan.pk]),
        item_url(published, published.action),
    ]
    for user in (world.officer_b, world.member):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        comment = reverse(
            "plans:progress-comment", args=[published.plan.pk, update.reference, update.pk]
        )
        assert client.post(comment, {f"comment-{update.pk}-comment": "x"}).status_code == 404


def test_evidence_of_an_unpublished_plan_is_only_for_its_own_staff(client, world, settings):
    action = factories.ActionFactory(plan=world.plan_a)  # 2012/13: a draft
    update = factories.ProgressUpdateFactory(
        item=action,
        evidence_file=ContentFile(pdf_bytes(), name="draft.pdf"),
        evidence_name="draft.pdf",
    )
    url = reverse("plans:progress-evidence", args=[update.pk])
    expected = {"officer_b": 404, "member": 404, "officer_a": 200, "head": 200, "admin": 200}
    for persona, status in expected.items():
        client.force_login(world.persona(persona))
        assert client.get(url).status_code == status, persona
    client.logout()
    assert client.get(url).status_code == 302


def test_an_update_without_a_file_has_no_download(client, world, published):
    update = factories.ProgressUpdateFactory(item=published.action, point=published.point)
    client.force_login(world.admin)
    assert client.get(reverse("plans:progress-evidence", args=[update.pk])).status_code == 404


def test_the_head_of_service_comments_and_an_officer_cannot(client, world, published):
    update = factories.ProgressUpdateFactory(item=published.action, point=published.point)
    url = reverse("plans:progress-comment", args=[published.plan.pk, update.reference, update.pk])
    field = f"comment-{update.pk}-comment"

    client.force_login(world.officer_a)
    page = client.get(item_url(published, published.action)).content.decode()
    assert field not in page  # no comment form for an officer
    assert client.post(url, {field: "Well done."}).status_code == 403

    client.force_login(world.head)
    page = client.get(item_url(published, published.action)).content.decode()
    assert f'name="{field}"' in page
    empty = client.post(url, {field: "  "})
    assert empty.status_code == 200
    assert "Write the comment, or cancel." in empty.content.decode()
    assert client.post(url, {field: "Well done."}).status_code == 302
    update.refresh_from_db()
    assert (update.head_comment, update.head_comment_by) == ("Well done.", world.head)


# The progress page ------------------------------------------------------------------------------


def test_the_progress_page_lists_every_item_with_its_latest_update(client, world, published):
    factories.ProgressUpdateFactory(
        item=published.action,
        point=published.point,
        status="at_risk",
        percent_complete=30,
        commentary="The supplier is late.",
        by=world.officer_a,
    )
    client.force_login(world.officer_a)
    response = client.get(reverse("plans:plan-progress", args=[published.plan.pk]))
    page = response.content.decode()
    for reference in ("LIC-A01", "LIC-A01.1", "LIC-P01", "LIC-R01"):
        assert reference in page
        assert f'Update<span class="visually-hidden"> {reference}</span>' in page
    assert "At risk" in page and "30% complete" in page and "The supplier is late." in page
    assert "Overdue" in page  # the action was due on 1 September, as at 30 September
    assert f'<option value="{published.point.pk}" selected>' in page


def test_the_progress_page_without_monitoring_points_says_so(client, world):
    client.force_login(world.officer_a)
    page = client.get(reverse("plans:plan-progress", args=[world.published_a.pk]))
    assert "has no monitoring points yet" in page.content.decode()


def test_a_draft_plan_has_no_progress_page(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("plans:plan-progress", args=[world.plan_a.pk])).status_code == 404


def test_record_progress_links_show_to_those_who_may(client, world, published):
    progress_url = reverse("plans:plan-progress", args=[published.plan.pk])
    client.force_login(world.officer_a)
    workspace = client.get(reverse("portal:plan-workspace", args=[published.plan.pk]))
    assert progress_url in workspace.content.decode()
    assert progress_url in client.get(plan_url(published.plan)).content.decode()
    client.force_login(world.member)
    assert progress_url not in client.get(plan_url(published.plan)).content.decode()


# The plan page ------------------------------------------------------------------------------------


def test_the_plan_page_shows_references_progress_overdue_and_risk_movement(
    client, world, published
):
    factories.ProgressUpdateFactory(
        item=published.action,
        point=published.point,
        status="off_track",
        percent_complete=10,
        commentary="No supplier bid.",
    )
    factories.ProgressUpdateFactory(
        item=published.risk, point=published.point, likelihood=5, impact=4
    )
    client.force_login(world.member)
    page = client.get(plan_url(published.plan)).content.decode()
    for reference in ("LIC-A01", "LIC-A01.1", "LIC-P01", "LIC-R01"):
        assert reference in page
    assert "Off track" in page and "10% complete" in page and "No supplier bid." in page
    assert "As at Half-year, updated" in page
    assert "Overdue" in page
    assert "risen from 12" in page
    history = reverse("plans:item-history", args=[published.plan.pk, "LIC-A01"])
    assert history in page
    assert client.get(history).status_code == 200


def test_a_new_update_shows_on_the_cached_plan_page_at_once(client, world, published):
    client.force_login(world.member)
    assert "Completed" not in client.get(plan_url(published.plan)).content.decode()
    progress.record_progress(
        plan=published.plan,
        reference=published.project.reference,
        point=published.point,
        by=world.officer_a,
        status="completed",
        percent_complete=100,
    )
    assert "Completed" in client.get(plan_url(published.plan)).content.decode()


def test_the_plan_page_lists_what_was_not_carried_forward(client, world, published):
    factories.ProgressUpdateFactory(
        item=published.project, point=published.point, status="completed", percent_complete=100
    )
    this_year = world.plan_a
    this_year.rolled_from = published.plan
    this_year.status = ServicePlan.Status.PUBLISHED
    this_year.endorsed_by, this_year.endorsed_on = world.cabinet, datetime.date(2012, 3, 8)
    this_year.save()
    factories.ActionFactory(plan=this_year, reference=published.action.reference)
    client.force_login(world.member)
    page = client.get(plan_url(this_year)).content.decode()
    assert "Not carried forward from 2011/12" in page
    left = page.split("Not carried forward from")[1]
    assert "LIC-P01" in left and "New licensing system" in left and "Completed" in left
    assert "LIC-A01 " not in left  # carried forward, so not listed


# Query counts -------------------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(published, n):
    for _ in range(n):
        action = factories.ActionFactory(plan=published.plan)
        milestone = factories.MilestoneFactory(action=action)
        project = factories.ProjectFactory(plan=published.plan)
        risk = factories.RiskFactory(plan=published.plan)
        for item in (action, milestone, project, risk):
            factories.ProgressUpdateFactory(item=item, point=published.point)


@pytest.mark.parametrize(
    "url",
    [
        lambda p: reverse("plans:plan-progress", args=[p.plan.pk]),
        lambda p: item_url(p, p.action),
        lambda p: plan_url(p.plan),
    ],
    ids=["progress page", "item page", "plan page"],
)
def test_progress_pages_do_not_grow_with_items_and_updates(client, world, published, url):
    client.force_login(world.head)  # sees the comment forms too
    factories.ProgressUpdateFactory(item=published.action, point=published.point)
    grow(published, 1)
    content_versions.council_content_changed()  # count the plan page made, not kept
    few = queries(client, url(published))
    grow(published, 4)
    for _ in range(3):
        factories.ProgressUpdateFactory(item=published.action, point=published.point)
    content_versions.council_content_changed()
    assert queries(client, url(published)) == few


# Admin ----------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def admin_data(published, **fields):
    return {
        "service": published.plan.service_id,
        "point": published.point.pk,
        "kind": "action",
        "reference": published.action.reference,
        "status": "on_track",
        "percent_complete": "",
        "completed_on": "",
        "likelihood": "",
        "impact": "",
        "commentary": "",
        "evidence_link": "",
        "head_comment": "",
        "head_comment_by": "",
        **fields,
    }


def test_the_admin_refuses_an_update_at_risk_without_commentary(admin_client, published):
    url = reverse("admin:plans_progressupdate_add")
    response = admin_client.post(url, admin_data(published, status="at_risk"))
    assert response.status_code == 200
    assert "Say why it is at risk" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    response = admin_client.post(url, admin_data(published, reference="LIC-A99"))
    assert "has no action LIC-A99" in response.content.decode()
    response = admin_client.post(
        url, admin_data(published, status="at_risk", commentary="Supplier late.")
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().status == "at_risk"


def test_the_admin_gives_a_year_its_usual_monitoring_points(admin_client, world, settings):
    settings.MONITORING_CADENCE = "half-yearly"
    response = admin_client.post(
        reverse("admin:organisation_financialyear_changelist"),
        {"action": "give_usual_monitoring_points", "_selected_action": [world.year.pk]},
    )
    assert response.status_code == 302
    points = MonitoringPoint.objects.filter(year=world.year)
    assert [(p.name, p.as_at) for p in points] == [
        ("Half-year", datetime.date(2012, 9, 30)),
        ("Year-end", datetime.date(2013, 3, 31)),
    ]
