"""Evidence documents are recognised by their content; the name must agree with it."""

import io
import zipfile

import pytest

from security.documents import DocumentRefused, document_type
from tests.security.hostile_files import plain_zip, xlsx

LIMIT = 100_000
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def docx(*extra: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name in extra:
            archive.writestr(name, b"macro")
    return out.getvalue()


@pytest.mark.parametrize(
    "content, name, expected",
    [
        (PDF, "report.pdf", "application/pdf"),
        (PDF, "REPORT.PDF", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (JPEG, "photo.jpeg", "image/jpeg"),
        (
            docx(),
            "minutes.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            xlsx([["a"]]),
            "figures.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_allowed_documents(content, name, expected):
    assert document_type(content, name, max_bytes=LIMIT) == expected


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"MZ\x90\x00", "setup.exe", "is not a PDF, Word"),
        (b"MZ\x90\x00", "report.pdf", "not really a PDF"),
        (b"<html><script>alert(1)</script>", "report.pdf", "not really a PDF"),
        (PDF, "photo.png", "not really a PNG"),
        (PNG, "photo.jpg", "not really a JPG"),
        (xlsx([["a"]]), "minutes.docx", "not really a DOCX"),
        (docx(), "figures.xlsx", "not really a XLSX"),
        (docx("word/vbaProject.bin"), "minutes.docx", "not really a DOCX"),
        (plain_zip(), "minutes.docx", "not really a DOCX"),
        (b"PK\x03\x04 broken", "minutes.docx", "not really a DOCX"),
        (PDF, "report.docm", "is not a PDF, Word"),
        (PDF, "report", "is not a PDF, Word"),
        (b"", "empty.pdf", "is empty"),
        (PDF + b" " * LIMIT, "big.pdf", "the largest file accepted"),
    ],
)
def test_refused_documents(content, name, message):
    with pytest.raises(DocumentRefused, match=message):
        document_type(content, name, max_bytes=LIMIT)


def test_a_file_exactly_at_the_limit_is_accepted():
    content = PDF + b" " * (LIMIT - len(PDF))
    assert document_type(content, "edge.pdf", max_bytes=LIMIT) == "application/pdf"
