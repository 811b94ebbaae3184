"""Writes the CSV and XLSX files the product exports, safe to open in a spreadsheet.

Exported text comes from officers and imports (commentary, titles), so a cell could start with
"=", "+", "-" or "@" and be run as a formula when a councillor opens the file: formula (CSV)
injection. Every text cell is neutralised:

- CSV: a text cell starting with = + - @, a tab or a carriage return (or their full-width
  forms, which some spreadsheets also accept) gets a leading apostrophe, as OWASP advises. So
  does one whose first character after any whitespace (spaces, tabs, line breaks, no-break
  and other Unicode spaces, zero-width characters) is one of those: spreadsheets skip leading
  blanks when they read a cell, so " =1+1" and "\n=1+1" are formulas too.
- XLSX: the cell is written as a text cell with Excel's "quote prefix", the mark Excel itself
  sets when someone types a leading apostrophe. Excel shows the text exactly as written and
  never evaluates it, not even after the cell is edited.

Numbers stay numbers: a Decimal, int or float (or a Number with decimal places) is written as
a number, so -5 is still minus five and sums still work.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Invisible characters str.isspace() does not count as whitespace but that may still precede a
# formula unseen: zero-width space, non-joiner and joiner, word joiner, byte order mark.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Number:
    """A number to be shown at a number of decimal places (as entered when None)."""

    value: Decimal | int | float
    places: int | None = None


Cell = str | Number | Decimal | int | float | datetime.date | bool | None


def neutralise(text: str) -> str:
    """Text a spreadsheet will not take for a formula: "=1+1" -> "'=1+1", " =1" -> "' =1"."""
    return "'" + text if is_formula_like(text) else text


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take the text for a formula: it starts with a formula
    character, or its first character that is not whitespace or invisible is one."""
    return text.startswith(FORMULA_STARTS) or _first_visible(text).startswith(FORMULA_STARTS)


def _first_visible(text: str) -> str:
    """The text from its first character that is neither whitespace (str.isspace: spaces,
    tabs, CR, LF, no-break and other Unicode spaces) nor an invisible character."""
    while True:
        stripped = text.lstrip().lstrip(INVISIBLE)
        if stripped == text:
            return text
        text = stripped


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte order mark, so Excel reads "£" and accents correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(column) for column in columns])
    for row in rows:
        writer.writerow([_csv_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    columns: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet_title: str = "Sheet1"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _xlsx_text(sheet, column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(cell: Cell) -> Number | None:
    if isinstance(cell, Number):
        return cell
    if isinstance(cell, Decimal | int | float) and not isinstance(cell, bool):
        return Number(cell)
    return None


def _csv_text(cell: Cell) -> str:
    number = _number(cell)
    if number is not None:
        return _plain(number)
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return neutralise(str(cell))


def _plain(number: Number) -> str:
    value = number.value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        return str(value)
    if number.places is not None:
        value = value.quantize(Decimal(1).scaleb(-number.places), rounding=ROUND_HALF_UP)
    else:
        value = value.normalize()
        if value.as_tuple().exponent > 0:
            value = value.quantize(Decimal(1))
    return format(value, "f")


def _xlsx_cell(sheet, cell: Cell) -> WriteOnlyCell:
    number = _number(cell)
    if number is not None:
        value = number.value
        if number.places is not None and isinstance(value, Decimal):
            value = value.quantize(Decimal(1).scaleb(-number.places), rounding=ROUND_HALF_UP)
        written = WriteOnlyCell(sheet, value=value)
        if number.places is not None:
            written.number_format = "#,##0" + ("." + "0" * number.places if number.places else "")
        return written
    if cell is None:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(cell, bool):
        return _xlsx_text(sheet, "yes" if cell else "no")
    if isinstance(cell, datetime.date):
        written = WriteOnlyCell(sheet, value=cell)
        written.number_format = "yyyy-mm-dd"
        return written
    return _xlsx_text(sheet, str(cell))


def _xlsx_text(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl takes any string starting with "=" for a formula; force text.
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell
