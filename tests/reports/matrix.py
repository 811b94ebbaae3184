"""Objects for the report rows of the URL × persona matrix (tests/test_permissions.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import CoveringReport, GeneratedReport

MINIMAL_PDF = b"%PDF-1.7\n%%EOF\n"


def pack(
    world, *, published: bool, summary: bool = False, released: bool = False
) -> GeneratedReport:
    """A ready committee pack the administrator generated; published: members may read it;
    released: residents too. summary: the Cabinet's committee summary (which comes as Word
    too), else the KPI booklet."""
    row = GeneratedReport(
        report="committee-summary" if summary else "kpi-booklet",
        title="Key performance information August 2012",
        parameters=(
            {"committee": str(world.cabinet.pk), "year": "2012", "as_at": "2012-08"}
            if summary
            else {"year": "2012", "as_at": "2012-08"}
        ),
        status=GeneratedReport.Status.DONE,
        progress=100,
        requested_by=world.admin,
        published_at=timezone.now() if published else None,
        released_to_residents_at=timezone.now() if released else None,
        page_count=1,
    )
    row.file.save("booklet.pdf", ContentFile(MINIMAL_PDF), save=False)
    row.save()
    return row


def published_pack(world) -> GeneratedReport:
    return pack(world, published=True)


def released_pack(world) -> GeneratedReport:
    return pack(world, published=True, released=True)


def private_pack(world) -> GeneratedReport:
    return pack(world, published=False)


def published_summary(world) -> GeneratedReport:
    return pack(world, published=True, summary=True)


def private_summary(world) -> GeneratedReport:
    return pack(world, published=False, summary=True)


def covering_report(world) -> CoveringReport:
    return CoveringReport.objects.create(
        year=world.year,
        committee=world.cabinet,
        meeting_date=datetime.date(2012, 3, 8),
        title="Service plans 2012/13",
        report_of="Head of Policy and Performance",
        purpose="To present the 2012/13 service plans.",
        recommendations="That members endorse the 2012/13 service plans.",
        contact_name="Lesley Bowles",
    )
