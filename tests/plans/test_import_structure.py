"""The structure import: idempotent, all-or-nothing, errors named by row and column."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from organisation.models import Committee, CommitteeReview, Directorate, HeadOfService, Service
from organisation.services import import_structure
from spreadsheets.reader import ImportRejected, RowError
from tests.helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

DEMO_STRUCTURE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "structure.csv"
HEADER = "directorate,head_of_service,service,shared_with,committees\n"


def snapshot() -> tuple:
    """Everything the import can write, in a comparable form."""
    return (
        list(Directorate.objects.values_list("name")),
        list(HeadOfService.objects.values_list("name", "directorate__name")),
        list(
            Service.objects.values_list("name", "head_of_service__name", "is_shared", "shared_with")
        ),
        list(Committee.objects.values_list("name", "kind", "position")),
        list(CommitteeReview.objects.values_list("service__name", "committee__name", "scope_note")),
    )


def structure_csv(*lines: str) -> bytes:
    return csv_bytes(HEADER.rstrip("\n"), *lines)


def rejected(content: bytes, filename: str = "structure.csv") -> list[RowError]:
    with pytest.raises(ImportRejected) as refusal:
        import_structure(content=content, filename=filename)
    return refusal.value.errors


def test_demo_structure_imports_seed_counts():
    result = import_structure(content=DEMO_STRUCTURE.read_bytes(), filename="structure.csv")
    assert result.rows == 28
    assert HeadOfService.objects.count() == 7
    assert Service.objects.count() == 28
    assert Committee.objects.count() == 3
    assert CommitteeReview.objects.count() == 32
    assert CommitteeReview.objects.exclude(scope_note="").count() == 4
    direct_services = dict(
        CommitteeReview.objects.filter(service__name="Direct Services").values_list(
            "committee__name", "scope_note"
        )
    )
    assert direct_services == {
        "Environment Select Committee": "Street Cleaning",
        "Social Affairs Select Committee": "CCTV, Pest Control & WC's",
        "Services Select Committee": "",
    }
    assert Service.objects.get(name="Licensing").is_shared
    assert not Service.objects.get(name="Finance").is_shared
    assert set(Committee.objects.values_list("kind", flat=True)) == {Committee.Kind.SELECT}


def test_reimporting_the_same_file_changes_nothing():
    import_structure(content=DEMO_STRUCTURE.read_bytes(), filename="structure.csv")
    before = snapshot()
    result = import_structure(content=DEMO_STRUCTURE.read_bytes(), filename="structure.csv")
    assert not result.changed_anything
    assert result.describe() == "28 rows read; nothing changed."
    assert snapshot() == before


def test_xlsx_gives_the_same_structure_as_csv():
    import csv

    rows = list(csv.reader(io.StringIO(DEMO_STRUCTURE.read_text())))
    import_structure(content=xlsx_bytes(rows), filename="structure.xlsx")
    from_xlsx = snapshot()
    result = import_structure(content=DEMO_STRUCTURE.read_bytes(), filename="structure.csv")
    assert not result.changed_anything
    assert snapshot() == from_xlsx


def test_the_file_is_the_truth_for_the_services_it_names():
    import_structure(
        content=structure_csv(
            "Place,Environment,Licensing,,Services Select Committee",
            "Place,Environment,Parking,,Environment Select Committee",
        ),
        filename="a.csv",
    )
    result = import_structure(
        content=structure_csv(
            'Place,Finance & HR,Licensing,Tunbridge Wells BC,"Environment Select Committee: '
            'Taxi licensing"'
        ),
        filename="b.csv",
    )
    licensing = Service.objects.get(name="Licensing")
    assert licensing.head_of_service.name == "Finance & HR"
    assert licensing.shared_with == "Tunbridge Wells BC" and licensing.is_shared
    assert list(licensing.reviews.values_list("committee__name", "scope_note")) == [
        ("Environment Select Committee", "Taxi licensing")
    ]
    assert Service.objects.filter(name="Parking").exists(), "services not in the file stay"
    assert result.created["heads of service"] == 1
    assert result.changed["services"] == 1
    assert result.removed["committee reviews"] == 1


def test_names_match_existing_records_ignoring_case():
    import_structure(content=structure_csv(",Finance & HR,Finance,,"), filename="a.csv")
    import_structure(content=structure_csv(",FINANCE & HR,finance,,"), filename="b.csv")
    assert Service.objects.count() == 1
    assert HeadOfService.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        pytest.param(
            b"directorate,head_of_service,service,shared_with\n,Finance,Audit,,\n",
            "s.csv",
            [(1, "committees", "missing column")],
            id="missing-column",
        ),
        pytest.param(
            structure_csv(",Finance,Audit,,", ",Finance,,,Services"),
            "s.csv",
            [(3, "service", "a service name is required")],
            id="empty-service-name",
        ),
        pytest.param(
            structure_csv(",Finance,Audit,,", ",,Payroll,,"),
            "s.csv",
            [(3, "head_of_service", "a head of service is required")],
            id="empty-head-of-service",
        ),
        pytest.param(
            structure_csv(",Finance,Audit,,", ",Finance,Rents £,,"),
            "s.csv",
            [],  # replaced below with the Windows-1252 bytes
            id="unknown-encoding",
        ),
        pytest.param(
            structure_csv(",Finance,Audit,,"),
            "structure.xlsx",
            [(0, "", "is not an XLSX workbook")],
            id="xlsx-that-is-not-one",
        ),
        pytest.param(
            b"PK\x03\x04 this is not really a workbook",
            "structure.xlsx",
            [(0, "", "not a readable XLSX workbook")],
            id="corrupt-xlsx",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "structure.xls",
            [(0, "", "old-style .xls")],
            id="old-xls",
        ),
        pytest.param(b"", "s.csv", [(1, "", "the file is empty")], id="empty-file"),
        pytest.param(HEADER.encode(), "s.csv", [(2, "", "no services")], id="header-only"),
        pytest.param(
            structure_csv(",Finance,Audit,,", ",Finance,audit,,"),
            "s.csv",
            [(3, "service", "already listed on row 2")],
            id="duplicate-service",
        ),
        pytest.param(
            structure_csv(",Finance,Audit,,Services; : Street Cleaning"),
            "s.csv",
            [(2, "committees", "has no committee name")],
            id="scope-without-committee",
        ),
        pytest.param(
            structure_csv(",Finance,Audit,,Services; services: Elections"),
            "s.csv",
            [(2, "committees", "listed twice")],
            id="committee-twice",
        ),
        pytest.param(
            structure_csv("Resources,Finance,Audit,,", "Place,Finance,Payroll,,"),
            "s.csv",
            [(3, "directorate", "under 'Resources' on row 2")],
            id="head-of-service-in-two-directorates",
        ),
        pytest.param(
            structure_csv(",Finance," + "x" * 121 + ",,"),
            "s.csv",
            [(2, "service", "longer than 120")],
            id="name-too-long",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_and_changes_nothing(content, filename, expected):
    if not expected:  # the encoding case: a Windows-1252 file with a pound sign on row 3
        content = content.decode().encode("cp1252")
        expected = [(3, "", "not UTF-8")]
    import_structure(content=DEMO_STRUCTURE.read_bytes(), filename="structure.csv")
    before = snapshot()
    errors = rejected(content, filename)
    assert [(e.row, e.column) for e in errors] == [(row, column) for row, column, _ in expected]
    for error, (_, _, words) in zip(errors, expected, strict=True):
        assert words in error.message
    assert snapshot() == before


def test_every_bad_row_is_reported_at_once():
    errors = rejected(
        structure_csv(
            ",Finance,,,",
            ",Finance,Audit,,",
            ",,Payroll,,",
            ",Finance,Audit,,Services;Services",
        )
    )
    assert [(e.row, e.column) for e in errors] == [
        (2, "service"),
        (4, "head_of_service"),
        (5, "committees"),
        (5, "service"),
    ]
    assert Service.objects.count() == 0


def test_error_text_names_row_and_column():
    assert str(RowError(4, "service", "a service name is required.")) == (
        "Row 4, column service: a service name is required."
    )
    assert str(RowError(0, "", "not a workbook.")) == "File: not a workbook."


def test_a_file_that_is_too_big_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    errors = rejected(structure_csv(*[",Finance,Service {n},," for n in range(10)]))
    assert "limit is 100" in errors[0].message


def test_command_imports_and_reports(tmp_path):
    out = io.StringIO()
    call_command("import_structure", str(DEMO_STRUCTURE), stdout=out)
    assert "28 rows read" in out.getvalue()
    assert "28 services created" in out.getvalue()


def test_command_refuses_a_bad_file_with_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(structure_csv(",Finance,,,"))
    with pytest.raises(CommandError, match="Row 2, column service: a service name is required"):
        call_command("import_structure", str(bad))
    assert Service.objects.count() == 0


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_structure", str(tmp_path / "nowhere.csv"))
