"""The plans' PDFs when many are published at once: a render whose content has not changed
reuses the file made before (its fingerprint: reports.base.fingerprint), the planning round
page counts them, and several `db_worker` processes share the queue without rendering a PDF
twice or losing one (PostgreSQL: rows claimed with SKIP LOCKED)."""

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from plans import workflow
from plans.models import ServicePlan
from reports import pdf, tasks
from reports.models import GeneratedReport
from tests import factories
from tests.conftest import World
from tests.reports.test_queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)
Status = GeneratedReport.Status


@pytest.fixture
def world():
    return World()


@pytest.fixture
def renders(monkeypatch):
    """Every PDF WeasyPrint lays out, by title: the real engine, counted."""
    made = []
    real = pdf.html_to_pdf

    def counted(html, **kwargs):
        made.append(html.split("<title>", 1)[1].split("</title>", 1)[0])
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counted)
    return made


def publish(world, plan):
    ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.APPROVED)
    workflow.publish_plan(
        plan=plan, by=world.admin, committee=world.cabinet, meeting_date=datetime.date(2012, 3, 8)
    )


def test_making_the_plan_pdfs_again_renders_only_those_whose_content_changed(world, renders):
    publish(world, world.plan_a)
    publish(world, world.plan_b)
    run_worker()
    assert len(renders) == 2
    first = {row.plan_id: (row.file.name, row.fingerprint) for row in GeneratedReport.objects.all()}

    # Nothing changed: nothing is laid out again, and each keeps its file.
    assert tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin) == 2
    run_worker()
    assert len(renders) == 2
    for row in GeneratedReport.objects.all():
        assert row.status == Status.DONE and (row.file.name, row.fingerprint) == first[row.plan_id]
        assert "unchanged" in row.progress_message

    # A figure reported for service A's indicator: only its plan is made again.
    target = factories.TargetFactory(year=world.year, indicator__service=world.service_a, value=90)
    factories.ActualFactory(indicator=target.indicator, value=Decimal(95))
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    assert renders == [*renders[:2], f"{world.service_a} service plan {world.year}"]
    changed = GeneratedReport.objects.get(plan=world.plan_a)
    assert changed.fingerprint != first[world.plan_a.pk][1]

    # Words: service B renamed, its plan again.
    world.service_b.name = "Environmental Health and Licensing"
    world.service_b.save()
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    assert renders[3:] == [f"Environmental Health and Licensing service plan {world.year}"]


def test_a_released_pdf_made_again_with_new_content_waits_for_a_new_release(world, renders):
    """Residents were given the PDF an administrator checked: made again unchanged, it stays
    released; made again showing something new, it leaves the public pages until released
    again (and the security log says so)."""
    publish(world, world.plan_a)
    run_worker()
    row = GeneratedReport.objects.get(plan=world.plan_a)
    tasks.release_to_residents(row=row, by=world.admin)

    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.DONE and row.released_to_residents_at is not None

    target = factories.TargetFactory(year=world.year, indicator__service=world.service_a, value=90)
    factories.ActualFactory(indicator=target.indicator, value=Decimal(95), commentary="Internal")
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.DONE and row.released_to_residents_at is None
    assert row.released_by is None


def test_a_released_pdf_made_again_by_a_new_engine_stays_released(world, renders, monkeypatch):
    """An upgrade of WeasyPrint or of the tagging lays the same content out again: the file is
    new, what residents were given to read is not."""
    publish(world, world.plan_a)
    run_worker()
    row = GeneratedReport.objects.get(plan=world.plan_a)
    tasks.release_to_residents(row=row, by=world.admin)
    before = row.fingerprint

    monkeypatch.setattr(pdf, "engine_version", lambda: "weasyprint 999; renderer 999")
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    row.refresh_from_db()
    assert len(renders) == 2, "laid out again by the new engine"
    assert row.fingerprint != before
    assert row.status == Status.DONE and row.released_to_residents_at is not None

    # Released before its content was fingerprinted on its own: nothing says the content is
    # the same, so it waits for a new release.
    GeneratedReport.objects.filter(pk=row.pk).update(content_fingerprint="")
    monkeypatch.setattr(pdf, "engine_version", lambda: "weasyprint 1000; renderer 1000")
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.DONE and row.released_to_residents_at is None


def test_a_released_pdf_made_again_with_a_new_stylesheet_waits_for_a_new_release(
    world, renders, monkeypatch
):
    """The stylesheet decides what a report shows too (colours, words it puts in): a release
    that changes it changes what residents would be given."""
    publish(world, world.plan_a)
    run_worker()
    row = GeneratedReport.objects.get(plan=world.plan_a)
    tasks.release_to_residents(row=row, by=world.admin)

    monkeypatch.setattr(pdf, "stylesheet_digest", lambda: "a new stylesheet")
    monkeypatch.setattr(pdf, "engine_version", lambda: "stylesheet a new stylesheet")
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    run_worker()
    row.refresh_from_db()
    assert len(renders) == 2
    assert row.status == Status.DONE and row.released_to_residents_at is None


def test_a_pack_asked_for_twice_without_change_reuses_the_first_file(world, renders):
    from reports.base import get_report

    booklet = get_report("kpi-booklet")
    form = {"year": "2012", "as_at": "2012-08"}
    first = tasks.request_report(report_class=booklet, form_data=form, by=world.admin)
    second = tasks.request_report(report_class=booklet, form_data=form, by=world.admin)
    run_worker()
    first.refresh_from_db()
    second.refresh_from_db()
    assert len(renders) == 1
    assert second.status == Status.DONE and second.file.name != first.file.name
    assert second.file.read() == first.file.read()
    assert (second.page_count, second.size) == (first.page_count, first.size)


def test_a_pack_reused_again_and_again_keeps_its_own_file_name(world, renders):
    """Each copy is named as the report names its file (storage adds one suffix to a name
    taken), never after the copy before it: a committee pack asked for every few minutes once
    grew a suffix a time until the name was too long for the disk."""
    from reports.base import get_report

    booklet = get_report("kpi-booklet")
    form = {"year": "2012", "as_at": "2012-08"}
    rows = []
    for _ in range(4):
        rows.append(tasks.request_report(report_class=booklet, form_data=form, by=world.admin))
        run_worker()
    names = [Path(GeneratedReport.objects.get(pk=row.pk).file.name).name for row in rows]
    assert len(renders) == 1
    stem = names[0].removesuffix(".pdf")
    assert all(name.startswith(stem) and len(name) <= len(names[0]) + 8 for name in names), names


def test_a_member_reads_the_file_made_before_while_the_pdf_is_made_again(world, client):
    publish(world, world.plan_a)
    run_worker()
    tasks.schedule_year_plan_pdfs(year=world.year, by=world.admin)
    assert GeneratedReport.objects.get(plan=world.plan_a).status == Status.QUEUED
    client.force_login(world.member)
    response = client.get(reverse("reports:plan-pdf", args=[world.plan_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_planning_round_counts_the_plan_pdfs_and_updates_them_without_reload(
    world, client, django_assert_max_num_queries
):
    publish(world, world.plan_a)
    publish(world, world.plan_b)
    client.force_login(world.admin)
    page = client.get(reverse("plans:planning-round"), {"year": world.year.start_year})
    html = page.content.decode()
    assert "0 of 2 plan PDFs ready, 0 being made, 2 waiting." in html
    assert 'id="plan-pdfs-progress"' in html and "round-pdf-progress.js" in html
    assert "Check progress" in html  # without JavaScript

    progress = reverse("reports:round-plan-pdfs", args=[world.year.start_year])
    run_worker()
    with django_assert_max_num_queries(6):
        answer = client.get(progress).json()
    assert answer == {
        "published": 2,
        "done": 2,
        "queued": 0,
        "running": 0,
        "failed": 0,
        "pending": False,
        "text": "2 of 2 plan PDFs ready.",
    }
    page = client.get(reverse("plans:planning-round"), {"year": world.year.start_year})
    assert 'id="plan-pdfs-progress"' not in page.content.decode()

    render_again = reverse("reports:round-plan-pdfs-render", args=[world.year.start_year])
    response = client.post(render_again)
    assert response.status_code == 302 and response.url.endswith("#plan-pdfs")
    assert client.get(progress).json()["queued"] == 2

    client.force_login(world.officer_a)
    assert client.get(progress).status_code == 403
    assert client.post(render_again).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several workers: PostgreSQL")
def test_two_worker_processes_share_the_queue_and_render_each_pdf_once(world, tmp_path):
    """Two `manage.py db_worker` processes, as production runs them, on the test database."""
    plans = [world.plan_a, world.plan_b]
    for number in range(8):
        service = factories.ServiceFactory(name=f"Shared service {number}")
        plans.append(factories.ServicePlanFactory(service=service, year=world.year))
    for plan in plans:
        publish(world, plan)
    assert GeneratedReport.objects.filter(status=Status.QUEUED).count() == len(plans)

    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REPORTS_WORKER": "process",
        "SECRET_KEY": "x",
    }
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--worker-id",
                f"worker-{number}",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for number in (1, 2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors.decode()[-2000:]

    rows = GeneratedReport.objects.filter(plan__in=plans)
    assert sorted(rows.values_list("status", flat=True)) == [Status.DONE] * len(plans)
    jobs = DBTaskResult.objects.filter(task_path="reports.tasks.generate_report")
    assert jobs.count() == len(plans)
    assert set(jobs.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # Each job was run by one worker, and both took part.
    assert all(len(job.worker_ids) == 1 for job in jobs)
    assert {worker for job in jobs for worker in job.worker_ids} == {"worker-1", "worker-2"}
    # One file a plan: a PDF rendered twice would have left a second file beside the first.
    stored = list(Path(settings.MEDIA_ROOT, "reports", "service-plan").iterdir())
    assert len(stored) == len(plans)
