"""Importing people from a file: a preview first, all or nothing, invitations after the save;
the template to download; the import_users command on the same service."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from organisation import access, users
from organisation.models import ImportLog
from organisation.user_import import plan_user_import
from spreadsheets.reader import ImportRejected
from spreadsheets.writer import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = "name,email,role,services\n"


def upload(client, text: str, name="people.csv"):
    return client.post(
        reverse("organisation:user-import"),
        {"file": SimpleUploadedFile(name, text.encode())},
    )


def everyone():
    return sorted(
        (user.username, user.get_full_name(), user.is_active, users.role_of(user))
        for user in get_user_model().objects.prefetch_related("groups")
    )


def test_preview_then_confirm(client, world, django_capture_on_commit_callbacks):
    world.service_b.code = "FIN"
    world.service_b.save()
    client.force_login(world.admin)
    before = everyone()
    text = (
        HEADER
        + "Claire Smith,claire@example.org,officer,Licensing; fin\n"
        + f"Renamed Officer,{world.officer_a.email},head of service,Licensing\n"
        + f"{world.member.get_full_name()},{world.member.email},member,\n"
    )
    preview = upload(client, text)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert re.search(
        r"<strong>1</strong> to invite, <strong>1</strong> to change, "
        r"<strong>1</strong> left alone",
        page,
    )
    assert "<td>role</td><td>Officer</td><td>Head of service</td>" in page
    assert (
        f"<td>name</td><td>{world.officer_a.get_full_name()}</td><td>Renamed Officer</td>" in page
    )
    assert "<td>services</td><td>Licensing</td><td>Licensing</td>" not in page
    assert everyone() == before and mail.outbox == []

    upload_field = re.search(r'name="upload" value="([^"]+)"', page)[1]
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)[1]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("organisation:user-import-confirm"),
            {"upload": upload_field, "fingerprint": fingerprint},
        )
    assert done.status_code == 302 and done.url == reverse("organisation:user-list")
    claire = get_user_model().objects.get(username="claire@example.org")
    assert users.role_of(claire) == access.OFFICERS
    assert {s.name for s in claire.edited_services.all()} == {"Licensing", "Finance"}
    officer = get_user_model().objects.get(pk=world.officer_a.pk)
    assert officer.get_full_name() == "Renamed Officer"
    assert users.role_of(officer) == access.HEADS_OF_SERVICE
    [invitation] = mail.outbox
    assert invitation.to == ["claire@example.org"]
    (logged,) = ImportLog.objects.all()
    assert (logged.kind, logged.by, logged.rows) == ("users", world.admin, 3)


def test_a_confirmation_after_things_changed_shows_the_new_preview(client, world):
    client.force_login(world.admin)
    page = upload(client, HEADER + "Claire Smith,claire@example.org,officer,\n").content.decode()
    users.invite_user(name="Claire", email="claire@example.org", role="Members", by=world.admin)
    response = client.post(
        reverse("organisation:user-import-confirm"),
        {
            "upload": re.search(r'name="upload" value="([^"]+)"', page)[1],
            "fingerprint": re.search(r'name="fingerprint" value="([^"]+)"', page)[1],
        },
    )
    assert response.status_code == 200
    assert b"changed since the preview, so nothing was imported" in response.content
    claire = get_user_model().objects.get(username="claire@example.org")
    assert users.role_of(claire) == access.MEMBERS


def test_a_forged_confirmation_imports_nothing(client, world):
    client.force_login(world.admin)
    before = everyone()
    response = client.post(
        reverse("organisation:user-import-confirm"), {"upload": "forged", "fingerprint": "x"}
    )
    assert response.status_code == 302 and response.url == reverse("organisation:user-import")
    assert everyone() == before


def test_a_bad_file_is_refused_whole_with_rows_and_columns(client, world):
    client.force_login(world.admin)
    before = everyone()
    text = (
        HEADER
        + "Good Person,good@example.org,officer,Licensing\n"
        + ",not-an-address,boss,Nowhere\n"
        + "Twice,good@example.org,member,Licensing\n"
        + f"Known,{world.officer_b.email.upper()},officer,Licensing;licensing\n"
    )
    response = upload(client, text)
    page = response.content.decode()
    assert "nothing was saved" in page
    problems = re.findall(r"<tr><td>(\d+)</td><td>([\w-]+)</td><td>", page)
    assert problems == [
        ("3", "email"),
        ("3", "name"),
        ("3", "role"),
        ("3", "services"),
        ("4", "email"),
        ("4", "services"),
        ("5", "services"),
    ]
    assert "&#x27;boss&#x27; is not a role" in page
    assert "&#x27;Nowhere&#x27; is not a service" in page
    assert "already listed on row 2" in page
    assert "a member edits no service" in page
    assert "listed twice" in page
    assert 'name="upload"' not in page
    assert everyone() == before


def test_an_import_that_would_leave_no_administrator_is_refused(world):
    content = f"{HEADER}Admin,{world.admin.email},officer,\n".encode()
    with pytest.raises(ImportRejected, match="Row 2, column role: this would leave no active"):
        plan_user_import(content=content, filename="people.csv")


def test_head_of_service_column_moves_a_portfolio(world):
    portfolio = world.service_b.head_of_service
    content = (
        "name,email,role,services,head_of_service\n"
        f"Head Person,{world.head.email},head of service,,{portfolio.name}\n"
    ).encode()
    plan = plan_user_import(content=content, filename="people.csv")
    [person] = plan.changed
    assert [(c.what, c.new) for c in person.changes] == [
        ("name", "Head Person"),
        ("head of service", portfolio.name),
    ]


def test_the_template_downloads_and_imports_as_it_is(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("organisation:user-import-template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name", "email", "role", "services", "head_of_service")
    assert rows[1][:3] == ("Alex Example", "alex.example@example.gov.uk", "officer")
    plan = plan_user_import(content=response.content, filename="people-template.xlsx")
    assert [person.email for person in plan.created] == ["alex.example@example.gov.uk"]


def test_an_xlsx_file_imports(world, django_capture_on_commit_callbacks):
    content = write_xlsx(
        ["name", "email", "role", "services"], [["Dev Patel", "dev@example.org", "Member", ""]]
    )
    plan = plan_user_import(content=content, filename="people.xlsx")
    assert [person.role for person in plan.created] == [access.MEMBERS]


def test_the_command_imports_and_refuses_like_the_page(
    world, tmp_path, django_capture_on_commit_callbacks
):
    good = tmp_path / "people.csv"
    good.write_text(HEADER + "Claire Smith,claire@example.org,officer,Licensing\n")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_users", str(good), "--by", "admin", stdout=out)
    assert "1 people created" in out.getvalue()
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Dev,dev@example.org,wizard,\n")
    before = everyone()
    with pytest.raises(CommandError, match="Row 2, column role: 'wizard' is not a role"):
        call_command("import_users", str(bad))
    assert everyone() == before
