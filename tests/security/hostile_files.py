"""Hostile and broken files for the upload and import tests (tests/security, tests/fuzz)."""

import io
import zipfile

from openpyxl import Workbook

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_sheet_xml(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["code"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            archive.writestr(item.filename, data)
    return out.getvalue()


def zip_bomb_xlsx(expanded_bytes: int = 200 * 1024 * 1024) -> bytes:
    """About 200 KB on the wire, 200 MB unpacked: one cell of a very long text."""
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>'
    ).encode()
    return xlsx_with_sheet_xml(
        sheet + b"A" * expanded_bytes + b"</t></is></c></row></sheetData></worksheet>"
    )


def entity_bomb_xlsx() -> bytes:
    """'Billion laughs': XML entities that expand exponentially when parsed."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
        "<is><t>&a9;</t></is></c></row></sheetData></worksheet>"
    )
    return xlsx_with_sheet_xml(sheet.encode())


def far_off_row_xlsx() -> bytes:
    """Two cells a million rows apart: read naively, a million empty rows in between."""
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><dimension ref="A1:XFD1048576"/>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return xlsx_with_sheet_xml(sheet.encode())


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("figures.csv", "code,period_end\n")
    return out.getvalue()


# (name, file name, content, what the refusal says)
HOSTILE_FILES = [
    ("zip bomb", "figures.xlsx", zip_bomb_xlsx(), "the workbook unpacks to"),
    ("entity bomb", "figures.xlsx", entity_bomb_xlsx(), "not a readable XLSX workbook"),
    ("far-off row", "figures.xlsx", far_off_row_xlsx(), "more than 100,000 rows"),
    ("zip that is not a workbook", "figures.csv", plain_zip(), "not a readable XLSX workbook"),
    ("broken zip", "figures.xlsx", b"PK\x03\x04" + b"\x00" * 200, "not a readable XLSX"),
    ("not a zip named .xlsx", "figures.xlsx", b"code,period_end\n", "is not an XLSX workbook"),
    ("old .xls", "figures.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 500, "old-style .xls"),
    ("NUL byte", "figures.csv", b"code,period_end\nLPI\x00,2012-08\n", "not a text (CSV) file"),
    (
        "HTML named .csv",
        "figures.csv",
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "web page or XML file",
    ),
    ("huge single line", "figures.csv", b"A" * (9 * 1024 * 1024), "field larger than field limit"),
    (
        "a million commas",
        "figures.csv",
        b"code," + b"," * 1_000_000 + b"\n",
        "more than 100 columns",
    ),
    ("200,000 rows", "figures.csv", b"code,period_end\n" + b"x,y\n" * 200_000, "more than 100,000"),
    (
        "Windows-1252 text",
        "figures.csv",
        "code,commentary\nX,Caf\xe9\n".encode("cp1252"),
        "not UTF-8",
    ),
    ("truncated UTF-16", "figures.csv", b"\xff\xfec\x00o\x00d", "not UTF-16"),
    ("empty", "figures.csv", b"", "the file is empty"),
]
