"""The imports page: upload, preview with nothing written, confirm or cancel, templates, log."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from organisation.models import ImportLog, Service
from portal.imports import KINDS, PENDING

URL = "/imports/"
STRUCTURE = (
    "directorate,head_of_service,service,shared_with,committees\n"
    ",Housing & Communications,Housing Advice,,Cabinet\n"
    ",Housing & Communications,Licensing,,Cabinet\n"
)


def upload(client, kind, text, name="structure.csv"):
    return client.post(
        URL, {"kind": kind, "file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


def pending_files() -> list[str]:
    return default_storage.listdir(PENDING)[1] if default_storage.exists(PENDING) else []


def test_urls():
    assert reverse("portal:imports") == URL


def test_the_preview_says_what_would_change_and_writes_nothing(client, world):
    client.force_login(world.admin)
    before = Service.objects.count()
    response = upload(client, "structure", STRUCTURE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check before importing" in html
    assert Service.objects.count() == before  # Licensing exists; Housing Advice would be new
    rows = {name: (created, changed) for name, created, changed, _ in response.context["rows"]}
    assert rows["services"] == (1, 1)
    assert len(pending_files()) == 1

    token = response.context["pending"].token
    response = client.post(reverse("portal:import-confirm"), {"token": token, "action": "confirm"})
    assert response.status_code == 302
    assert Service.objects.filter(name="Housing Advice").exists()
    (entry,) = ImportLog.objects.all()
    assert (entry.kind, entry.filename, entry.by, entry.rows) == (
        "structure",
        "structure.csv",
        world.admin,
        2,
    )
    assert pending_files() == []
    # The same file cannot be confirmed twice.
    again = client.post(reverse("portal:import-confirm"), {"token": token, "action": "confirm"})
    assert again.status_code == 404


def test_cancel_writes_nothing_and_forgets_the_file(client, world):
    client.force_login(world.admin)
    response = upload(client, "structure", STRUCTURE)
    token = response.context["pending"].token
    response = client.post(
        reverse("portal:import-confirm"), {"token": token, "action": "cancel"}, follow=True
    )
    assert "was not imported; nothing was saved" in response.content.decode()
    assert not Service.objects.filter(name="Housing Advice").exists()
    assert pending_files() == [] and not ImportLog.objects.exists()


def test_a_bad_file_lists_every_problem_and_writes_nothing(client, world):
    client.force_login(world.admin)
    bad = "directorate,head_of_service,service\n,,Housing Advice\n"
    response = upload(client, "structure", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file was not imported; nothing was saved" in html
    assert response.context["errors"]
    assert not Service.objects.filter(name="Housing Advice").exists()
    assert pending_files() == []


def test_a_file_cannot_be_confirmed_by_someone_else(client, world):
    client.force_login(world.admin)
    token = upload(client, "structure", STRUCTURE).context["pending"].token
    other = factories_admin()
    client.force_login(other)
    response = client.post(reverse("portal:import-confirm"), {"token": token, "action": "confirm"})
    assert response.status_code == 404
    assert not Service.objects.filter(name="Housing Advice").exists()


def factories_admin():
    from django.contrib.auth.models import Group

    from organisation.access import ADMINISTRATORS
    from tests import factories

    user = factories.UserFactory(username="second-admin")
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.slug)
def test_each_template_has_the_header_and_an_example_row(client, world, kind):
    client.force_login(world.admin)
    response = client.get(reverse("portal:import-template", args=[kind.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, example = list(sheet.iter_rows(values_only=True))
    assert list(header) == [*kind.columns, *kind.optional]
    assert any(example)


@pytest.mark.parametrize("persona", ["head", "officer_a", "member"])
def test_only_administrators_import(client, world, persona):
    client.force_login(world.persona(persona))
    assert client.get(URL).status_code == 403
    assert upload(client, "structure", STRUCTURE).status_code == 403
    assert not Service.objects.filter(name="Housing Advice").exists()


def test_the_preview_lists_each_value_changed_old_and_new(client, world):
    client.force_login(world.admin)
    response = upload(client, "structure", STRUCTURE)
    (change,) = [c for c in response.context["result"].changes if c.record == "Licensing"]
    assert (change.field, change.new) == ("head_of_service", "Housing & Communications")
    assert "Housing &amp; Communications" in response.content.decode()


def test_changed_targets_and_figures_are_listed_old_and_new(client, world):
    from tests import factories

    indicator = factories.IndicatorFactory(code="LI01", service=world.service_a)
    factories.TargetFactory(indicator=indicator, year=world.year, value=90)
    factories.ActualFactory(
        indicator=indicator, period_end=world.year.start_date.replace(month=4, day=30), value=88
    )
    client.force_login(world.admin)
    targets = upload(client, "targets", "code,year,target\nLI01,2012/13,95\n", "targets.csv")
    (change,) = targets.context["result"].changes
    assert (change.record, change.field, change.old, change.new) == (
        "LI01 2012/13",
        "target",
        "90",
        "95",
    )
    figures = upload(
        client, "actuals", "code,period_end,value,state,commentary\nLI01,2012-04,91,,\n", "a.csv"
    )
    (change,) = figures.context["result"].changes
    assert (change.field, change.old, change.new) == ("value", "88", "91")
    assert change.record.startswith("LI01 ")
