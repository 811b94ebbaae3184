"""What an uploaded document really is, read from its bytes, not from its name.

Evidence attached to progress updates may be a PDF, a Word document, an Excel workbook or a
PNG or JPEG image. The name's extension must agree with the content: a renamed executable, an
HTML page called report.pdf or a macro-enabled workbook is refused.
"""

import io
import zipfile
from pathlib import PurePath

# Extension -> (content type, a check of the bytes).
_ZIP_MEMBERS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ALLOWED = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG"


class DocumentRefused(ValueError):
    """The file is not one of the allowed kinds, or its content does not match its name."""


def document_type(content: bytes, filename: str, *, max_bytes: int) -> str:
    """The content type of an allowed document, or DocumentRefused saying why not."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise DocumentRefused(f"{filename} is not a {ALLOWED} file.")
    if not content:
        raise DocumentRefused(f"{filename} is empty.")
    if len(content) > max_bytes:
        raise DocumentRefused(
            f"{filename} is {len(content) / 1024 / 1024:.1f} MB; "
            f"the largest file accepted is {max_bytes / 1024 / 1024:.0f} MB."
        )
    if not _content_matches(content, suffix):
        raise DocumentRefused(
            f"{filename} is not really a {suffix[1:].upper()} file: its content is something "
            "else. Save it again from the program that made it."
        )
    return CONTENT_TYPES[suffix]


def _content_matches(content: bytes, suffix: str) -> bool:
    if suffix == ".pdf":
        return content.startswith(b"%PDF-")
    if suffix == ".png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    return _office_file_has(content, _ZIP_MEMBERS[suffix])


def _office_file_has(content: bytes, member: str) -> bool:
    """A .docx or .xlsx is a zip holding its main part, and no macros."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return member in names and not has_macros


# Images a council may use as its logo. Not SVG: an SVG is a document that can carry script
# and links, which would run wherever the logo is shown; a PNG or JPEG is only pixels.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
ALLOWED_IMAGES = "PNG or JPEG"


def image_type(content: bytes, filename: str, *, max_bytes: int) -> str:
    """The content type of a PNG or JPEG image, or DocumentRefused saying why not: a text file
    named logo.png, an SVG or a PDF is refused."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise DocumentRefused(f"{filename} is not a {ALLOWED_IMAGES} image.")
    return document_type(content, filename, max_bytes=max_bytes)
