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
