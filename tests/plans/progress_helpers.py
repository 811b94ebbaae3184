"""A published plan with one of each kind of item and a monitoring point, and evidence files
of every kind (real ones and fakes), for the progress tests."""

import datetime
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from pypdf import PdfWriter

from plans.models import Action, Milestone, Project, Risk, ServicePlan
from tests import factories


@dataclass
class PublishedPlan:
    plan: ServicePlan
    point: object
    action: Action
    milestone: Milestone
    project: Project
    risk: Risk


def published_plan(world) -> PublishedPlan:
    """Service A's published 2011/12 plan (Licensing: references LIC-…), at the half-year."""
    plan = world.published_a
    point = factories.MonitoringPointFactory(year=world.last_year)
    action = factories.ActionFactory(
        plan=plan, title="Renew taxi licences online", target_date=datetime.date(2011, 9, 1)
    )
    return PublishedPlan(
        plan=plan,
        point=point,
        action=action,
        milestone=factories.MilestoneFactory(
            action=action, title="Choose a supplier", due_date=datetime.date(2011, 8, 31)
        ),
        project=factories.ProjectFactory(
            plan=plan, title="New licensing system", target_date=datetime.date(2012, 3, 31)
        ),
        risk=factories.RiskFactory(plan=plan, description="Supplier fails", likelihood=3, impact=4),
    )


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A 1 × 1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes(*, with_macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        if with_macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML_BYTES = b"<!doctype html><script>alert(1)</script>"


# For the permission matrix (tests/test_permissions.py) -------------------------------------


def published_update(world, *, with_file: bool = False):
    """An update on an action of service A's published 2011/12 plan."""
    from django.core.files.base import ContentFile

    action = factories.ActionFactory(plan=world.published_a)
    extra = (
        {"evidence_file": ContentFile(pdf_bytes(), name="e.pdf"), "evidence_name": "e.pdf"}
        if with_file
        else {}
    )
    return factories.ProgressUpdateFactory(item=action, **extra)


def draft_update_with_file(world):
    """An update with a file on an action of service A's 2012/13 plan, still a draft."""
    from django.core.files.base import ContentFile

    return factories.ProgressUpdateFactory(
        item=world.action_a,
        evidence_file=ContentFile(pdf_bytes(), name="e.pdf"),
        evidence_name="e.pdf",
    )
