"""A draft's indicators and targets reach nobody but its staff until the plan is published.

Reproduces the attack: an officer renames an indicator, adds one and sets a target in a
revision of Licensing's published 2012/13 plan, and adds one in next year's draft; a member
walks every reading page, search, the overview's counts, the print view and the PDFs and finds
none of it. Once the revision is published, the member sees exactly the revision's changes.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from organisation.models import Committee, Priority, Service
from performance.models import Indicator
from plans import workflow
from plans.models import ServicePlan
from reports.base import get_report

pytestmark = pytest.mark.django_db

RENAMED = "Zanzibar licence turnaround"
ADDED = ("LEAK 99", "Quixotic new measure")
NEXT_YEAR = ("LEAK 98", "Quixotic next year measure")
TARGET = "12345"
MARKERS = (RENAMED, *ADDED, *NEXT_YEAR, TARGET)


def person(username):
    return get_user_model().objects.get(username=username)


def edit_indicators(client, plan, change):
    """Open the draft's indicator editor, apply `change` to its rows and save."""
    url = reverse("portal:plan-indicators", args=[plan.pk])
    page = client.get(url)
    formset = page.context["form"]
    base = re.search(r'name="base" value="([0-9a-f]+)"', page.content.decode()).group(1)
    rows = [dict(form.initial) for form in formset.forms if form.initial]
    rows = change(rows)
    data = {
        "base": base,
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(len(formset.initial)),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "DELETE" and not value:
                continue
            if key == "is_corporate":
                value = "on" if value else ""
            data[f"indicators-{index}-{key}"] = "" if value is None else value
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def revise(rows):
    for row in rows:
        if row["code"] == "LPI LI01":
            row["title"] = RENAMED
        if row["code"] == "LPI LI02":
            row["target"] = TARGET
    new = {"code": ADDED[0], "title": ADDED[1], "polarity": "higher", "frequency": "monthly"}
    return [*rows, new]


def add_next_year(rows):
    new = {"code": NEXT_YEAR[0], "title": NEXT_YEAR[1], "polarity": "higher"}
    return [*rows, {**new, "frequency": "monthly"}]


def reading_pages(plan):
    year = "?year=2012&as_at=2012-08"
    licensing = plan.service
    pages = [
        reverse("portal:home"),
        reverse("portal:plan-detail", args=[plan.pk]),
        reverse("portal:service-detail", args=[licensing.pk]),
        reverse("portal:head-of-service-detail", args=[licensing.head_of_service.pk]) + year,
        reverse("portal:priority-list") + year,
        reverse("portal:overview") + year,
        reverse("portal:corporate") + year,
        reverse("portal:service", args=[licensing.pk]) + year,
        reverse("reports:plan-print", args=[plan.pk]),
        reverse("reports:plan-pdf", args=[plan.pk]),
        reverse("reports:reports"),
    ]
    pages += [
        reverse("portal:priority-detail", args=[priority.pk]) + year
        for priority in Priority.objects.all()
    ]
    pages += [
        reverse("portal:committee-detail", args=[committee.pk]) + year
        for committee in Committee.objects.all()
    ]
    # The open data (its files are the same for everyone).
    pages += [
        reverse("opendata:file", args=[2012, "2012-08", name])
        for name in ("performance.csv", "performance.json", "plans.csv")
    ]
    words = ("Zanzibar", "Quixotic", "LEAK", "licence")
    pages += [reverse("portal:search") + f"?q={word}&year=2012" for word in words]
    return pages


def text_of_pdf(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdfs_of(plan) -> str:
    """The plan's own PDF (what is stored when it is published) and the council's booklet."""
    plan_pdf = get_report("service-plan").from_form_data({"plan": str(plan.pk)}).render()
    booklet = get_report("kpi-booklet").from_form_data({"year": "2012", "as_at": "2012-08"})
    return text_of_pdf(plan_pdf.content) + text_of_pdf(booklet.render().content)


def overview_counts(client):
    """The overview's counts as its download gives them: made afresh on every request (the
    page's sections may come from the cache)."""
    response = client.get(reverse("portal:overview") + "?year=2012&as_at=2012-08&format=csv")
    return response.content.decode()


def what_a_member_reads(client, plan) -> str:
    client.force_login(person("member"))
    seen = []
    # A published plan's PDF not rendered yet (in the demo, none is): a page that says so, 404.
    pdf = reverse("reports:plan-pdf", args=[plan.pk])
    for url in reading_pages(plan):
        response = client.get(url)
        assert response.status_code in ((200, 302, 404) if url == pdf else (200, 302)), url
        seen.append(response.content.decode(errors="replace"))
    # The plan as Word: its paragraphs, table cells and pictures' (charts') alternative text, as
    # a clerk editing it or a screen reader reads it.
    response = client.get(reverse("reports:plan-docx", args=[plan.pk]))
    assert response.status_code == 200
    seen.append(text_of_docx(response.content))
    return "\n".join(seen)


def text_of_docx(content: bytes) -> str:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    alt_texts = [
        f"{picture.get('title', '')}: {picture.get('descr', '')}"
        for picture in document.element.body.iter(qn("wp:docPr"))
    ]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells + alt_texts)


def test_a_drafts_indicators_reach_members_only_when_it_is_published(client, demo_council):
    licensing = Service.objects.get(name="Licensing")
    published = ServicePlan.objects.get(service=licensing, year__start_year=2012, version=1)
    officer = person("officer")
    client.force_login(person("member"))
    counts_before = overview_counts(client)

    revision = workflow.revise_plan(plan=published, by=officer)
    next_year = workflow.roll_forward_plan(plan=published, by=officer)
    client.force_login(officer)
    edit_indicators(client, revision, revise)
    edit_indicators(client, next_year, add_next_year)
    workflow.submit_plan(plan=revision, by=officer)  # reviewers read it too; members never

    read = what_a_member_reads(client, published)
    assert [marker for marker in MARKERS if marker in read] == []
    assert overview_counts(client) == counts_before
    pdfs = pdfs_of(published)
    assert [marker for marker in MARKERS if marker in pdfs] == []

    admin = person("admin")
    workflow.approve_plan(plan=revision, by=admin)
    workflow.publish_plan(
        plan=revision,
        by=admin,
        committee=published.endorsed_by,
        meeting_date=published.endorsed_on,
    )

    read = what_a_member_reads(client, revision)
    assert RENAMED in read and ADDED[0] in read and ADDED[1] in read
    assert TARGET in read.replace(",", "")
    assert NEXT_YEAR[0] not in read and NEXT_YEAR[1] not in read  # still next year's draft
    pdfs = pdfs_of(revision)
    assert RENAMED in pdfs and ADDED[0] in pdfs
    assert NEXT_YEAR[0] not in pdfs
    assert Indicator.objects.get(code=ADDED[0]).first_year == 2012
