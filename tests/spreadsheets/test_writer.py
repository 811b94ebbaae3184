"""CSV and XLSX writing: text is neutralised against formula injection, numbers stay numbers."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from spreadsheets.reader import read_table
from spreadsheets.writer import Number, is_formula_like, neutralise, write_csv, write_xlsx

DANGEROUS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://evil.example","Click")',
    "=cmd|' /C calc'!A0",
    "\uff1d1+1",  # full-width equals sign
]
HARMLESS = ["Collection rate", "98.5%", "NI 181", "", "1 = 1", "'quoted", "a-b"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_could_be_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_neutralises_text_and_keeps_numbers():
    content = write_csv(
        ["code", "value", "note"],
        [
            ["=1+1", D("-5.25"), "-3 days late"],
            ["NI 181", Number(D("98.456"), 1), "£ and é survive"],
            ["LPI 2", Number(D("12"), 0), None],
            ["LPI 3", -4, datetime.date(2012, 8, 31)],
            ["LPI 4", D("1.2E+3"), True],
        ],
    )
    assert read_csv(content) == [
        ["code", "value", "note"],
        ["'=1+1", "-5.25", "'-3 days late"],
        ["NI 181", "98.5", "£ and é survive"],
        ["LPI 2", "12", ""],
        ["LPI 3", "-4", "2012-08-31"],
        ["LPI 4", "1200", "yes"],
    ]


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    content = write_xlsx(
        ["code", "value"],
        [[text, D("-5.25")] for text in DANGEROUS] + [["plain", Number(D("98.456"), 1)]],
        sheet_title="Indicators at August 2012",
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml, "no cell is a formula"
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert sheet.title == "Indicators at August 2012"
    rows = list(sheet.iter_rows(min_row=2))
    for (text_cell, number_cell), text in zip(rows, DANGEROUS, strict=False):
        # (Python's XML parser reads a carriage return back as a line feed; lxml keeps it)
        assert text_cell.data_type == "s"
        assert text_cell.value.replace("\r", "\n") == text.replace("\r", "\n")
        assert text_cell.quotePrefix, "Excel keeps a quote-prefixed cell as text"
        assert (number_cell.value, number_cell.data_type) == (-5.25, "n")
    plain_text, plain_number = rows[-1]
    assert not plain_text.quotePrefix
    assert (plain_number.value, plain_number.number_format) == (98.5, "#,##0.0")


def test_what_is_written_reads_back_through_the_import_reader():
    rows = [["NI 181", Number(D("11.25"), 2), "=risky"]]
    for content, name in (
        (write_csv(["code", "value", "note"], rows), "x.csv"),
        (write_xlsx(["code", "value", "note"], rows), "x.xlsx"),
    ):
        table = read_table(content, filename=name, required=["code", "value", "note"])
        number, cells = table.rows[0]
        assert (cells["code"], cells["value"]) == ("NI 181", "11.25")
        assert cells["note"] in ("'=risky", "=risky")


# A formula character after leading whitespace is still a formula: spreadsheets skip the
# blanks. (cell, what the CSV holds); numbers stay numbers.
LEADING_WHITESPACE = [
    (" =1+1", "' =1+1"),
    ("\n=1+1", "'\n=1+1"),
    ("\r\n+1", "'\r\n+1"),
    ("  @SUM(A1)", "'  @SUM(A1)"),
    ("\t-1", "'\t-1"),
    (" \t \n=1+1", "' \t \n=1+1"),
    ("\u00a0=1+1", "'\u00a0=1+1"),  # no-break space
    ("\u3000\uff1d1+1", "'\u3000\uff1d1+1"),  # ideographic space, full-width equals
    ("\u200b=1+1", "'\u200b=1+1"),  # zero-width space
    ("\ufeff =1+1", "'\ufeff =1+1"),  # byte order mark, then a space
    ("hello", "hello"),
    ("  hello", "  hello"),
    ("\nhello", "\nhello"),
    ("   ", "   "),
    ("", ""),
    ("1 = 1", "1 = 1"),
    (D("-5.25"), "-5.25"),
    (-7, "-7"),
    (Number(D("-0.5"), 1), "-0.5"),
]


@pytest.mark.parametrize(("cell", "written"), LEADING_WHITESPACE)
def test_csv_neutralises_a_formula_after_leading_whitespace(cell, written):
    assert read_csv(write_csv(["cell"], [[cell]])) == [["cell"], [written]]
    if isinstance(cell, str):
        assert neutralise(cell) == written
        assert is_formula_like(cell) == written.startswith("'")


@pytest.mark.parametrize(("cell", "written"), LEADING_WHITESPACE)
def test_xlsx_quote_prefixes_a_formula_after_leading_whitespace(cell, written):
    content = write_xlsx(["cell"], [[cell]])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    (written_cell,) = next(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    if cell == "":
        assert written_cell.value is None  # an empty cell reads back as no value
    elif isinstance(cell, str):
        assert written_cell.data_type == "s"
        assert bool(written_cell.quotePrefix) == written.startswith("'")
    else:
        assert written_cell.data_type == "n"
        assert written_cell.value < 0
