"""The task queue for real: jobs go into django-tasks' database queue and the real worker runs
them, both as `manage.py db_worker` would (here, its batch mode) and as the thread the embedded
default starts in the web process. Small plans, so each render takes a fraction of a second."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from plans import workflow
from plans.models import ServicePlan
from reports import tasks, worker
from reports.base import ReportParametersInvalid, get_report
from reports.models import GeneratedReport
from tests import factories
from tests.conftest import World
from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db(transaction=True)
Status = GeneratedReport.Status


def run_worker():
    """What `python manage.py db_worker` does, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def world():
    return World()


def booklet_request(world):
    factories.ActualFactory(
        indicator=factories.TargetFactory(
            year=world.year, indicator__service=world.service_a, value=90
        ).indicator,
        value=95,
    )
    return tasks.request_report(
        report_class=get_report("kpi-booklet"),
        form_data={"year": "2012", "as_at": "2012-08"},
        by=world.admin,
    )


def test_a_requested_pack_waits_on_the_queue_until_the_worker_runs_it(world):
    row = booklet_request(world)
    assert row.status == Status.QUEUED and not row.file
    assert DBTaskResult.objects.filter(id=row.task_id, status="READY").exists()
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.DONE
    assert row.progress == 100 and row.page_count >= 3
    assert row.started_at <= row.finished_at
    text = squeeze(" ".join(pdf_pages(row.file.read())))
    assert "Key performance information August 2012" in text
    assert "Licensing: 1 green, 0 amber, 0 red" in text
    assert DBTaskResult.objects.get(id=row.task_id).status == "SUCCESSFUL"


def test_a_failing_render_is_recorded_and_the_page_says_so(world, client, monkeypatch):
    row = booklet_request(world)

    def broken(*args, **kwargs):
        raise RuntimeError("the layout engine ran out of paper")

    monkeypatch.setattr("reports.pdf.html_to_pdf", broken)
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert "ran out of paper" in row.error
    assert DBTaskResult.objects.get(id=row.task_id).status == "FAILED"
    client.force_login(world.admin)
    assert (
        "could not be generated"
        in client.get(reverse("reports:report-status", args=[row.pk])).content.decode()
    )


def test_only_administrators_queue_reports_and_bad_parameters_are_refused_first(world):
    with pytest.raises(tasks.ReportRefused):
        tasks.request_report(
            report_class=get_report("kpi-booklet"),
            form_data={"year": "2012", "as_at": "2012-08"},
            by=world.member,
        )
    with pytest.raises(ReportParametersInvalid, match="as_at"):
        tasks.request_report(
            report_class=get_report("kpi-booklet"),
            form_data={"year": "2012", "as_at": "2013-08"},
            by=world.admin,
        )
    assert not GeneratedReport.objects.exists() and not DBTaskResult.objects.exists()


def test_publishing_a_plan_renders_its_pdf_once_then_serves_it_from_storage(world, client):
    plan = world.plan_a
    ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.APPROVED)
    workflow.publish_plan(
        plan=plan, by=world.admin, committee=world.cabinet, meeting_date=datetime.date(2012, 3, 8)
    )
    stored = GeneratedReport.objects.get(plan=plan)
    assert stored.status == Status.QUEUED and stored.published_at is not None
    run_worker()
    stored.refresh_from_db()
    assert stored.status == Status.DONE
    client.force_login(world.member)
    response = client.get(reverse("reports:plan-pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'inline; filename="licensing-service-plan-2012-13.pdf"'
    )
    assert "Licensing service plan 2012/13" in squeeze(
        pdf_pages(b"".join(response.streaming_content))[0]
    )
    # Asking again renders nothing new. (The other job queued is the mail telling the plan's
    # editors it is published.)
    assert tasks.schedule_plan_pdf(plan_id=plan.pk) == stored
    renders = DBTaskResult.objects.filter(task_path="reports.tasks.generate_report")
    assert GeneratedReport.objects.count() == 1 and renders.count() == 1


def test_a_plan_published_before_reports_existed_is_rendered_when_asked_for(world, client):
    plan = world.published_a  # published without going through publish_plan
    client.force_login(world.member)
    response = client.get(reverse("reports:plan-pdf", args=[plan.pk]))
    assert response.status_code == 404
    assert "has not been generated yet" in response.content.decode()
    assert not GeneratedReport.objects.exists()
    response = client.post(reverse("reports:plan-pdf", args=[plan.pk]))
    row = GeneratedReport.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report-status", args=[row.pk])
    page = client.get(response["Location"])
    assert "Refresh" not in page and "<progress" in page.content.decode()
    assert "Check progress" in page.content.decode()
    progress = reverse("reports:report-progress", args=[row.pk])
    assert client.get(progress).json() == {
        "status": "queued",
        "pending": True,
        "progress": 0,
        "text": "Waiting to start: waiting for the report worker.",
        "result": None,
        "details": None,
    }
    # On its way: the PDF's address shows its progress.
    response = client.get(reverse("reports:plan-pdf", args=[plan.pk]))
    assert response["Location"] == reverse("reports:report-status", args=[row.pk])
    run_worker()
    page = client.get(reverse("reports:report-status", args=[row.pk]))
    assert "Check progress" not in page.content.decode()
    assert "Download the PDF" in page.content.decode()
    done = client.get(progress).json()
    assert done["status"] == "done" and not done["pending"]
    assert reverse("reports:report-download", args=[row.pk]) in done["result"]
    assert client.get(reverse("reports:plan-pdf", args=[plan.pk])).status_code == 200


def test_a_failed_plan_pdf_says_so_and_is_tried_again_when_asked_for(world, client):
    plan = world.published_a
    row = tasks.schedule_plan_pdf(plan_id=plan.pk)
    GeneratedReport.objects.filter(pk=row.pk).update(status=Status.FAILED, error="Out of paper")
    client.force_login(world.member)
    response = client.get(reverse("reports:plan-pdf", args=[plan.pk]))
    assert response.status_code == 404
    assert "could not be generated" in response.content.decode()
    assert DBTaskResult.objects.count() == 1
    client.post(reverse("reports:plan-pdf", args=[plan.pk]))
    row.refresh_from_db()
    assert row.status == Status.QUEUED and DBTaskResult.objects.count() == 2


@pytest.fixture
def kicks(monkeypatch, settings):
    """The embedded worker thread, as on SQLite; each start of it recorded, none run."""
    settings.REPORTS_WORKER = "thread"
    started = []
    monkeypatch.setattr(worker, "kick", lambda: started.append(True))
    return started


def test_reading_a_reports_page_or_download_starts_no_worker_and_queues_nothing(
    world, client, kicks
):
    waiting = booklet_request(world)
    failed = tasks.schedule_plan_pdf(plan_id=world.published_a.pk)
    GeneratedReport.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    never_rendered = factories.ServicePlanFactory(
        service=world.service_b, year=world.last_year, published=True
    )  # published without a stored PDF
    kicks.clear()
    rows, jobs = GeneratedReport.objects.count(), DBTaskResult.objects.count()
    states = list(GeneratedReport.objects.order_by("pk").values_list("status", "progress"))
    client.force_login(world.admin)
    for url, status in [
        (reverse("reports:report-status", args=[waiting.pk]), 200),
        (reverse("reports:report-download", args=[waiting.pk]), 302),
        (reverse("reports:report-status", args=[failed.pk]), 200),
        (reverse("reports:report-download", args=[failed.pk]), 302),
        (reverse("reports:plan-pdf", args=[world.published_a.pk]), 404),
        (reverse("reports:plan-pdf", args=[never_rendered.pk]), 404),
        (reverse("reports:reports"), 200),
    ]:
        assert client.get(url).status_code == status, url
    assert kicks == []
    assert (GeneratedReport.objects.count(), DBTaskResult.objects.count()) == (rows, jobs)
    assert list(GeneratedReport.objects.order_by("pk").values_list("status", "progress")) == states


def test_a_job_waiting_since_a_restart_is_started_from_its_page(world, client, kicks):
    row = booklet_request(world)  # queued: starting the worker is the queueing's
    assert kicks == [True]
    kicks.clear()
    client.force_login(world.admin)
    page = client.get(reverse("reports:report-status", args=[row.pk])).content.decode()
    assert "Start generating" in page  # nothing runs the queue in this process
    response = client.post(reverse("reports:report-status", args=[row.pk]))
    assert response["Location"] == reverse("reports:report-status", args=[row.pk])
    assert kicks == [True]


def test_the_embedded_default_runs_the_queue_in_a_thread_of_the_web_process(world, settings):
    settings.REPORTS_WORKER = "thread"
    row = booklet_request(world)  # commits, so the thread starts at once
    assert worker.wait(timeout=60)
    row.refresh_from_db()
    assert row.status == Status.DONE, row.error
    assert DBTaskResult.objects.get(id=row.task_id).status == "SUCCESSFUL"


def test_a_render_records_the_plan_it_shows_and_that_it_was_not_published(world):
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status=ServicePlan.Status.SUBMITTED)
    row = tasks.request_report(
        report_class=get_report("service-plan"),
        form_data={"plan": str(world.plan_a.pk)},
        by=world.admin,
    )
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.DONE, row.error
    assert list(row.covers.all()) == [world.plan_a]
    assert row.unpublished_at_render == ["Licensing 2012/13 is submitted, not published."]
    # Published since, the plan may say something else than the file: generate it again.
    workflow.approve_plan(plan=world.plan_a, by=world.head)
    workflow.publish_plan(
        plan=world.plan_a,
        by=world.admin,
        committee=world.cabinet,
        meeting_date=datetime.date(2012, 3, 8),
    )
    with pytest.raises(tasks.ReportRefused, match="When the report was generated: Licensing"):
        tasks.publish_report(row=row, by=world.admin)


def test_a_booklet_records_the_services_whose_figures_members_may_not_read(world):
    row = booklet_request(world)  # Licensing's 2012/13 plan is a draft
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.DONE, row.error
    assert row.unpublished_at_render == [
        "The indicators of Licensing are included, but its 2012/13 plan is not published."
    ]
    assert not row.covers.exists()
