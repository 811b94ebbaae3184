"""The report pages: what each persona can do, the forms, the preview, publishing for members,
and the export_report command."""

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import CoveringReport, GeneratedReport
from tests.reports.matrix import covering_report, private_pack, published_pack

pytestmark = pytest.mark.django_db


def test_the_reports_page_lists_what_a_member_may_download(client, world):
    mine, hidden = published_pack(world), private_pack(world)
    client.force_login(world.member)
    page = client.get(reverse("reports:reports")).content.decode()
    assert reverse("reports:report-status", args=[mine.pk]) in page
    assert reverse("reports:report-status", args=[hidden.pk]) not in page
    assert "Generate a report" not in page


def test_administrators_see_every_report_and_can_generate_each(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("reports:reports")).content.decode()
    for slug in ("service-plan", "committee-summary", "covering-report", "kpi-booklet"):
        assert reverse("reports:report-new", args=[slug]) in page


def test_a_bad_month_is_refused_next_to_the_field_and_nothing_is_queued(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("reports:report-new", args=["kpi-booklet"]), {"year": "2012", "as_at": "2013-08"}
    )
    assert response.status_code == 200
    assert "August 2013 is not in 2012/13." in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_generating_queues_the_job_and_shows_its_progress_page(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("reports:report-new", args=["kpi-booklet"]), {"year": "2012", "as_at": "2012-08"}
    )
    row = GeneratedReport.objects.get()
    assert response["Location"] == reverse("reports:report-status", args=[row.pk])
    assert row.parameters == {"year": "2012", "as_at": "2012-08"}
    page = client.get(response["Location"])
    html = page.content.decode()
    # It never reloads itself (focus would go back to the top): its script asks how far it is.
    assert "Refresh" not in page and 'http-equiv="refresh"' not in html.lower()
    assert '<progress id="report-progress-bar" max="100" value="0">' in html
    assert '<div role="status" id="report-status"' in html
    assert 'src="/static/js/report-progress.js"' in html
    check = reverse("reports:report-status", args=[row.pk])
    assert f'href="{check}">Check progress</a>' in html


def test_the_preview_is_the_reports_html(client, world):
    client.force_login(world.admin)
    response = client.get(
        reverse("reports:report-preview", args=["kpi-booklet"]),
        {"year": "2012", "as_at": "2012-08"},
    )
    html = response.content.decode()
    assert "<title>Key performance information August 2012</title>" in html
    assert "Preview of the report's content" in html


def test_publishing_a_pack_makes_it_a_members_download(client, world):
    row = private_pack(world)
    client.force_login(world.member)
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 404
    client.force_login(world.admin)
    client.post(reverse("reports:report-publish", args=[row.pk]))
    client.force_login(world.member)
    response = client.get(reverse("reports:report-download", args=[row.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_superseded_plans_pdf_is_no_longer_a_members_download(client, world):
    stored = published_pack(world)
    stored.plan = world.published_a
    stored.save()
    world.published_a.status = "superseded"
    world.published_a.save()
    client.force_login(world.member)
    assert client.get(reverse("reports:report-download", args=[stored.pk])).status_code == 404


def test_a_draft_has_a_print_preview_not_a_pdf(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("reports:plan-pdf", args=[world.plan_a.pk]))
    assert response["Location"] == reverse("reports:plan-print", args=[world.plan_a.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Licensing service plan 2012/13" in html
    assert "Draft, not published" in html


def test_the_administrator_writes_the_covering_report(client, world):
    client.force_login(world.admin)
    data = {
        "year": world.year.pk,
        "committee": world.cabinet.pk,
        "meeting_date": "2012-03-08",
        "title": "Service plans 2012/13",
        "report_of": "Head of Policy and Performance",
        "wards_affected": "All",
        "purpose": "To present the plans.",
        "recommendations": "That members endorse the plans.",
        "contact_name": "Helen Dean",
        "include_abridged_plans": "on",
    }
    response = client.post(reverse("reports:covering-report-new"), data)
    narrative = CoveringReport.objects.get()
    assert response["Location"] == reverse("reports:covering-report-edit", args=[narrative.pk])
    assert narrative.updated_by == world.admin
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:report-new", args=["covering-report"]) in page
    missing = client.post(reverse("reports:covering-report-new"), {**data, "purpose": ""})
    assert "This field is required." in missing.content.decode()


def test_export_report_writes_the_html_step(world, tmp_path):
    narrative = covering_report(world)
    output = tmp_path / "cabinet.html"
    call_command(
        "export_report",
        "covering-report",
        "--covering-report",
        str(narrative.pk),
        "--html",
        "--output",
        str(output),
    )
    assert "Service plans 2012/13" in output.read_text()


def test_export_report_names_a_bad_option(world, tmp_path):
    with pytest.raises(CommandError, match="--as-at: August 2013 is not in 2012/13."):
        call_command(
            "export_report",
            "kpi-booklet",
            "--year",
            "2012",
            "--as-at",
            "2013-08",
            "--output",
            str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="--committee: no 'Nobody'"):
        call_command(
            "export_report",
            "committee-summary",
            "--committee",
            "Nobody",
            "--year",
            "2012",
            "--as-at",
            "2012-08",
            "--output",
            str(tmp_path / "x.pdf"),
        )


def test_export_report_renders_a_pdf(world, tmp_path):
    output = tmp_path / "plan.pdf"
    call_command(
        "export_report",
        "service-plan",
        "--plan",
        str(world.published_a.pk),
        "--output",
        str(output),
    )
    assert output.read_bytes().startswith(b"%PDF")


def test_the_preview_carries_the_pages_csp_nonce_for_its_inline_style(rf, world):
    from reports.views import plan_print

    request = rf.get("/")
    request.user = world.officer_a
    request.csp_nonce = "n0nce"
    html = plan_print(request, world.plan_a.pk).content.decode()
    assert '<style nonce="n0nce">:root { --brand: #1d4e89; }</style>' in html


def page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["admin", "member"])
def test_the_reports_page_costs_the_same_queries_however_many_reports(client, world, persona):
    published_pack(world)
    covering_report(world)
    client.force_login(world.persona(persona))
    url = reverse("reports:reports")
    few = page_queries(client, url)
    for _ in range(5):
        published_pack(world)
        private_pack(world)
    assert page_queries(client, url) == few


def test_the_progress_page_costs_a_fixed_number_of_queries(client, world):
    row = published_pack(world)
    client.force_login(world.member)
    # Session, user, role groups, the report with its plan and requester (the header's unread
    # count is kept in the cache from sign-in).
    assert page_queries(client, reverse("reports:report-status", args=[row.pk])) == 4


def test_the_preview_style_has_the_nonce_of_the_pages_csp_header(client, world):
    import re

    client.force_login(world.officer_a)
    response = client.get(reverse("reports:plan-print", args=[world.plan_a.pk]))
    policy = response.get("Content-Security-Policy")
    if policy is None:
        pytest.skip("No Content-Security-Policy in this configuration")
    # A policy without the nonce would block the inline brand colour.
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    assert f'<style nonce="{nonce.group(1)}">' in response.content.decode()


def test_the_pages_of_plans_and_performance_link_to_the_reports(client, world):
    """Through the reports' own template tags: plans and performance name no report URL."""
    client.force_login(world.member)
    plan_page = client.get(reverse("portal:plan-detail", args=[world.published_a.pk]))
    assert (
        f'href="{reverse("reports:plan-pdf", args=[world.published_a.pk])}">'
        "Download this plan as a PDF</a>" in plan_page.content.decode()
    )
    reports_page = f'<a href="{reverse("reports:reports")}">'
    committee_page = client.get(reverse("portal:committee-detail", args=[world.cabinet.pk]))
    assert f"{reports_page}Committee papers (PDF)" in committee_page.content.decode()
    performance_page = client.get(reverse("portal:overview"))
    assert f"{reports_page}Key performance information booklet" in (
        performance_page.content.decode()
    )


def test_export_report_prints_the_engine_steps_only_when_asked(world, tmp_path):
    """Quiet by default: WeasyPrint's ~60 lines of steps a PDF reach neither the log nor the
    command's output; -v 2 prints them."""
    narrative = covering_report(world)
    handlers = logging.getLogger("weasyprint.progress").handlers
    log_handlers = [handler for handler in handlers if handler.name == "stdout_warnings"]
    assert log_handlers, "settings.LOGGING gives the engine's steps a handler of their own"
    log = io.StringIO()
    streams = [handler.setStream(log) for handler in log_handlers]
    arguments = ["export_report", "covering-report", "--covering-report", str(narrative.pk)]
    quiet, loud = io.StringIO(), io.StringIO()
    try:
        call_command(*arguments, "--output", str(tmp_path / "a.pdf"), stderr=quiet)
        call_command(*arguments, "--output", str(tmp_path / "b.pdf"), "-v", "2", stderr=loud)
    finally:
        for handler, stream in zip(log_handlers, streams, strict=True):
            handler.setStream(stream)
    assert quiet.getvalue().count("\n") == 1, quiet.getvalue()  # "Wrote …, N pages in … s."
    assert "Creating layout" not in log.getvalue()
    assert "Creating layout" in loud.getvalue()
