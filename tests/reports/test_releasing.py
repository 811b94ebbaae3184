"""Releasing a report to residents: a report published to members reaches the public pages
only when an administrator releases it (its PDF is the members' edition, which may show
commentary marked internal, figures not yet signed off and officers' names), and leaves them
when withdrawn, at once, cached pages included."""

import logging

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.models import GeneratedReport
from tests.reports.matrix import MINIMAL_PDF, private_pack, published_pack
from tests.reports.test_publishing import plan_report
from tests.residents.helpers import turn_on_public_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return Client()


def public_reports(resident) -> str:
    response = resident.get(reverse("public:reports"))
    assert response.status_code == 200
    return response.content.decode()


def download(resident, row):
    return resident.get(reverse("public:report-download", args=[row.pk]))


def test_released_shows_at_once_and_withdrawn_goes_at_once(
    client, world, resident, django_capture_on_commit_callbacks
):
    turn_on_public_pages()
    row = published_pack(world)
    assert row.title not in public_reports(resident)  # and this page is now cached
    assert download(resident, row).status_code == 404

    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-release", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.released_to_residents_at is not None and row.released_by == world.admin
    assert row.title in public_reports(resident)
    response = download(resident, row)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report-withdraw", args=[row.pk]))
    row.refresh_from_db()
    assert row.released_to_residents_at is None and row.released_by is None
    assert row.title not in public_reports(resident)
    assert download(resident, row).status_code == 404
    # Members still read it.
    client.force_login(world.member)
    assert client.get(reverse("reports:report-download", args=[row.pk])).status_code == 200


def test_only_a_ready_report_published_to_members_is_released(world):
    with pytest.raises(tasks.ReportRefused, match="not published to members"):
        tasks.release_to_residents(row=private_pack(world), by=world.admin)
    waiting = GeneratedReport.objects.create(
        report="kpi-booklet", title="Waiting", published_at=timezone.now()
    )
    with pytest.raises(tasks.ReportRefused, match="ready"):
        tasks.release_to_residents(row=waiting, by=world.admin)
    assert not GeneratedReport.objects.filter(released_to_residents_at__isnull=False).exists()


@pytest.mark.parametrize("persona", ["head", "officer_a", "member"])
def test_only_administrators_release_or_withdraw(client, world, persona):
    row = published_pack(world)
    user = world.persona(persona)
    with pytest.raises(tasks.ReportRefused):
        tasks.release_to_residents(row=row, by=user)
    client.force_login(user)
    assert client.post(reverse("reports:report-release", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.released_to_residents_at is None
    tasks.release_to_residents(row=row, by=world.admin)
    with pytest.raises(tasks.ReportRefused):
        tasks.withdraw_from_residents(row=row, by=user)
    assert client.post(reverse("reports:report-withdraw", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.released_to_residents_at is not None


def test_a_refused_release_says_why_on_the_reports_page(client, world):
    row = private_pack(world)
    client.force_login(world.admin)
    response = client.post(reverse("reports:report-release", args=[row.pk]), follow=True)
    assert "Publish it for members first" in response.content.decode()


def test_release_and_withdrawal_go_to_the_security_log(world, caplog):
    row = published_pack(world)
    with caplog.at_level(logging.INFO, logger="serviceplans.security"):
        tasks.release_to_residents(row=row, by=world.admin)
        tasks.release_to_residents(row=row, by=world.admin)  # already released: no change
        tasks.withdraw_from_residents(row=row, by=world.admin)
    events = [record.event for record in caplog.records]
    assert events == ["report_released_to_residents", "report_withdrawn_from_residents"]
    assert caplog.records[0].facts == {"username": "admin", "report": row.pk, "title": row.title}


def test_the_report_page_warns_what_a_members_pdf_holds_before_release(client, world):
    row = published_pack(world)
    client.force_login(world.admin)
    url = reverse("reports:report-status", args=[row.pk])
    page = client.get(url).content.decode()
    assert "Not released to residents" in page
    warning = page[page.index('id="release-warning"') :]
    for words in ("<strong>internal</strong>", "not yet signed off", "officers' names"):
        assert words in warning
    assert reverse("reports:report-release", args=[row.pk]) in page
    assert "Withdraw from residents" not in page

    tasks.release_to_residents(row=row, by=world.admin)
    page = client.get(url).content.decode()
    assert "Released to residents on" in page and "Withdraw from residents" in page
    assert reverse("reports:report-release", args=[row.pk]) not in page
    assert "the public pages are off" in page

    # Not offered for a report members do not have, nor to anyone but administrators.
    private = client.get(reverse("reports:report-status", args=[private_pack(world).pk]))
    assert "Release to residents" not in private.content.decode()
    client.force_login(world.member)
    page = client.get(url).content.decode()
    assert "Release to residents" not in page and "Withdraw from residents" not in page


def test_the_public_plan_page_links_its_pdf_only_once_released(
    world, resident, django_capture_on_commit_callbacks
):
    turn_on_public_pages()
    row = plan_report(world, world.published_a, published_at=timezone.now())
    row.plan = world.published_a  # its stored PDF, as publishing the plan makes it
    row.save(update_fields=["plan"])
    plan_page = reverse("public:plan", args=[world.published_a.pk])
    link = reverse("public:report-download", args=[row.pk])
    assert link not in resident.get(plan_page).content.decode()
    assert download(resident, row).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        tasks.release_to_residents(row=row, by=world.admin)
    assert link in resident.get(plan_page).content.decode()
    assert download(resident, row).status_code == 200


def test_the_database_refuses_a_release_without_publication(world):
    row = private_pack(world)
    row.released_to_residents_at = timezone.now()
    with pytest.raises(IntegrityError):
        row.save()
