"""The reports' models in the admin, under the reports app: their pages open, and the covering
report's action queues its PDF."""

import pytest
from django.contrib import admin
from django.urls import reverse

from reports.models import CoveringReport, GeneratedReport
from tests import factories
from tests.reports.matrix import covering_report, published_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_reports_models_are_in_the_admin_under_reports(admin_client):
    assert {CoveringReport, GeneratedReport} <= set(admin.site._registry)
    page = admin_client.get(reverse("admin:app_list", args=["reports"])).content.decode()
    assert "Covering reports" in page and "Generated reports" in page


def test_their_pages_open(admin_client, world):
    narrative, row = covering_report(world), published_pack(world)
    for url in (
        reverse("admin:reports_coveringreport_changelist"),
        reverse("admin:reports_coveringreport_add"),
        reverse("admin:reports_coveringreport_change", args=[narrative.pk]),
        reverse("admin:reports_generatedreport_changelist"),
        reverse("admin:reports_generatedreport_change", args=[row.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_covering_reports_action_queues_its_pdf(admin_client, world):
    narrative = covering_report(world)
    response = admin_client.post(
        reverse("admin:reports_coveringreport_changelist"),
        {"action": "generate_pdf", "_selected_action": [narrative.pk]},
        follow=True,
    )
    row = GeneratedReport.objects.get(report="covering-report")
    assert reverse("reports:report-status", args=[row.pk]) in response.content.decode()
