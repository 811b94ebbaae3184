"""import_progress: every row checked by the progress page's rules, all or nothing."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from organisation.models import MonitoringPoint
from plans.models import ProgressUpdate
from plans.progress_import import import_progress
from spreadsheets.reader import ImportRejected
from tests import factories
from tests.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = [
    "reference",
    "monitoring_point",
    "status",
    "percent_complete",
    "commentary",
    "completed_on",
    "likelihood",
    "impact",
]
TODAY = datetime.date(2013, 1, 15)


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def plan(world):
    plan = world.plan_a
    plan.status, plan.endorsed_by, plan.endorsed_on = "published", world.cabinet, TODAY
    plan.save()
    action = factories.ActionFactory(plan=plan)  # LIC-A01
    factories.MilestoneFactory(action=action)  # LIC-A01.1
    factories.ProjectFactory(plan=plan)  # LIC-P01
    factories.RiskFactory(plan=plan, likelihood=2, impact=3)  # LIC-R01
    factories.ActionFactory(plan=world.plan_b)  # FIN-A01, of a draft
    MonitoringPoint.objects.create(
        year=plan.year,
        name="Half-year",
        as_at=datetime.date(2012, 9, 30),
        due_date=datetime.date(2012, 10, 31),
    )
    return plan


GOOD = [
    ["LIC-A01", "Half-year 2012/13", "At risk", "40%", "The contractor is late.", "", "", ""],
    ["lic-a01.1", "2012-09", "completed", "", "", "2012-09-28", "", ""],
    ["LIC-P01", "2012-09-30", "on_track", "50", "", "", "", ""],
    ["LIC-R01", "Half-year 2012/13", "", "", "Rising demand.", "", "4", "3"],
]


@pytest.mark.parametrize("as_bytes, name", [(csv_bytes, "p.csv"), (xlsx_bytes, "p.xlsx")])
def test_a_good_file_records_every_update(plan, world, as_bytes, name):
    result = import_progress(
        content=as_bytes([HEADER, *GOOD]), filename=name, recorded_by=world.officer_a, today=TODAY
    )
    assert result.describe() == "4 rows read; 4 progress updates created."
    rows = ProgressUpdate.objects.order_by("reference").values_list(
        "reference", "kind", "status", "percent_complete", "completed_on", "likelihood", "impact"
    )
    assert list(rows) == [
        ("LIC-A01", "action", "at_risk", 40, None, None, None),
        ("LIC-A01.1", "milestone", "completed", None, datetime.date(2012, 9, 28), None, None),
        ("LIC-P01", "project", "on_track", 50, None, None, None),
        ("LIC-R01", "risk", "", None, None, 4, 3),
    ]
    assert set(ProgressUpdate.objects.values_list("by", flat=True)) == {world.officer_a.pk}


BAD = [
    (["LIC-A01", "Half-year 2012/13", "at risk", "40", "", "", "", ""], "commentary", "Say why"),
    (["LIC-A01", "Half-year 2012/13", "done", "", "", "", "", ""], "status", "not a status"),
    (
        ["LIC-A01", "Half-year 2012/13", "on track", "101", "", "", "", ""],
        "percent_complete",
        "more than 100%",
    ),
    (
        ["LIC-A01", "Half-year 2012/13", "on track", "forty", "", "", "", ""],
        "percent_complete",
        "not a whole number",
    ),
    (
        ["LIC-A01", "Half-year 2012/13", "completed", "60", "", "", "", ""],
        "percent_complete",
        "100% complete",
    ),
    (
        ["LIC-A01", "Quarter 1 2012/13", "on track", "", "", "", "", ""],
        "monitoring_point",
        "no such point",
    ),
    (
        ["LIC-A01", "2012-06", "on track", "", "", "", "", ""],
        "monitoring_point",
        "No monitoring point",
    ),
    (["LIC-A01.1", "2012-09", "completed", "", "", "", "", ""], "completed_on", "Give the day"),
    (["LIC-A01.1", "2012-09", "completed", "", "", "2013-02-01", "", ""], "completed_on", "future"),
    (
        ["LIC-A01", "2012-09", "completed", "", "", "2012-09-01", "", ""],
        "completed_on",
        "Only a milestone",
    ),
    (["LIC-R01", "2012-09", "", "", "", "", "6", "3"], "likelihood", "from 1 to 5"),
    (["LIC-R01", "2012-09", "", "", "", "", "3", ""], "impact", "from 1 to 5"),
    (["LIC-A09", "2012-09", "on track", "", "", "", "", ""], "reference", "has no action LIC-A09"),
    (
        ["LIC-A01.9", "2012-09", "completed", "", "", "", "", ""],
        "reference",
        "no milestone LIC-A01.9",
    ),
    (["LIC-R09", "2012-09", "", "", "", "", "3", "3"], "reference", "has no risk LIC-R09"),
    (["XYZ-A01", "2012-09", "on track", "", "", "", "", ""], "reference", "not a reference"),
    (["FIN-A01", "2012-09", "on track", "", "", "", "", ""], "reference", "no published plan"),
]


@pytest.mark.parametrize("row, column, message", BAD)
def test_a_bad_row_refuses_the_whole_file(plan, row, column, message):
    with pytest.raises(ImportRejected) as rejected:
        import_progress(content=csv_bytes([HEADER, *GOOD, row]), filename="p.csv", today=TODAY)
    errors = rejected.value.errors
    assert [(e.row, e.column) for e in errors if message in e.message] == [(6, column)], errors
    assert not ProgressUpdate.objects.exists()


def test_the_same_item_twice_at_a_point_is_refused(plan):
    with pytest.raises(ImportRejected, match="LIC-A01 is already on row 2"):
        import_progress(
            content=csv_bytes([HEADER, GOOD[0], GOOD[0]]), filename="p.csv", today=TODAY
        )


def test_a_web_upload_may_only_name_the_officers_services(plan, world):
    world.plan_b.status, world.plan_b.endorsed_by, world.plan_b.endorsed_on = (
        "published",
        world.cabinet,
        TODAY,
    )
    world.plan_b.save()
    row = ["FIN-A01", "2012-09", "on track", "", "", "", "", ""]
    with pytest.raises(ImportRejected, match="belongs to Finance, whose progress you do not"):
        import_progress(
            content=csv_bytes([HEADER, row]),
            filename="p.csv",
            services=world.service_a.__class__.objects.filter(pk=world.service_a.pk),
            today=TODAY,
        )


def test_the_command_records_or_refuses_whole(plan, world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([HEADER, GOOD[0]]))
    call_command("import_progress", str(good), "--recorded-by", "officer_a")
    assert ProgressUpdate.objects.get().by == world.officer_a
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, GOOD[2], BAD[0][0]]))
    with pytest.raises(CommandError, match="Row 3, column commentary: Say why"):
        call_command("import_progress", str(bad))
    assert ProgressUpdate.objects.count() == 1
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("import_progress", str(good), "--recorded-by", "nobody")
