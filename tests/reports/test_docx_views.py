"""Word documents from the web, with the permissions of the PDFs and print views."""

import io

import pytest
from django.urls import reverse
from docx import Document

from reports.docx import DOCX_CONTENT_TYPE
from tests.reports.test_docx import docx_headings

pytestmark = pytest.mark.django_db


def test_a_plan_downloads_as_word_for_whoever_may_read_it(client, world):
    """A member may have a published plan, not a draft (404), as with its print view."""
    client.force_login(world.member)
    response = client.get(reverse("reports:plan-docx", args=[world.published_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert 'filename="' in response["Content-Disposition"]
    headings = docx_headings(Document(io.BytesIO(response.content)))
    assert headings[0][0] == 0 and (1, "Performance indicators") in headings
    assert client.get(reverse("reports:plan-docx", args=[world.plan_a.pk])).status_code == 404

    client.force_login(world.officer_a)
    response = client.get(reverse("reports:plan-docx", args=[world.plan_a.pk]))
    assert response.status_code == 200
    assert docx_headings(Document(io.BytesIO(response.content)))[0][0] == 0


def test_the_committee_summary_form_downloads_it_as_word(client, world):
    client.force_login(world.admin)
    url = reverse("reports:report-docx", args=["committee-summary"])
    response = client.get(url, {"committee": world.cabinet.pk, "year": "2012", "as_at": "2012-08"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    headings = docx_headings(Document(io.BytesIO(response.content)))
    assert headings[0] == (0, "Summary of 2012/13 Service Plans")
    # The form page offers it; without valid parameters, the form again.
    form_page = client.get(reverse("reports:report-new", args=["committee-summary"]))
    assert "Download as Word (DOCX)" in form_page.content.decode()
    assert client.get(url, {"year": "not a year"}).status_code == 200


def test_a_published_summary_offers_word_to_members(client, world):
    from tests.reports.matrix import published_summary

    row = published_summary(world)
    client.force_login(world.member)
    page = client.get(reverse("reports:report-status", args=[row.pk])).content.decode()
    assert reverse("reports:report-file-docx", args=[row.pk]) in page
    response = client.get(reverse("reports:report-file-docx", args=[row.pk]))
    assert response.status_code == 200
    assert docx_headings(Document(io.BytesIO(response.content)))[0][0] == 0
