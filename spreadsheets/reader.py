"""Reads the CSV and XLSX files councils exchange into rows of text, with row-level errors.

Every import in the product (structure, indicators, targets, actuals, budgets, savings) reads its
file here, so all of them accept the same formats and describe problems the same way: by the
spreadsheet row number (the header is row 1) and the column name.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls format
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"Row {self.row}"] if self.row else []
        where += [f"column {self.column}"] if self.column else []
        return f"{', '.join(where) or 'File'}: {self.message}"


class ImportRejected(Exception):
    """The file was refused; nothing was written. Carries every problem found."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class Table:
    columns: list[str]
    # (spreadsheet row number, {column: stripped text}) for every non-blank data row
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def read_table(
    content: bytes, *, filename: str, required: Sequence[str], max_bytes: int | None = None
) -> Table:
    """Parse a CSV or XLSX file and check it has the required columns.

    Raises ImportRejected with file-level problems (wrong format, encoding, missing columns).
    The caller validates the values row by row.
    """
    if max_bytes is not None and len(content) > max_bytes:
        raise ImportRejected(
            [RowError(0, "", f"the file is {len(content):,} bytes; the limit is {max_bytes:,}.")]
        )
    raw_rows = _raw_rows(content, filename)
    if not raw_rows:
        raise ImportRejected([RowError(1, "", "the file is empty; expected a header row.")])
    header = [normalise_header(name) for name in raw_rows[0]]
    _check_header(header, required)
    table = Table(columns=[name for name in header if name])
    for number, values in enumerate(raw_rows[1:], start=2):
        cells = {name: _text(value) for name, value in zip(header, values, strict=False) if name}
        if any(cells.values()):
            table.rows.append((number, {name: cells.get(name, "") for name in table.columns}))
    return table


def _check_header(header: list[str], required: Sequence[str]) -> None:
    errors = []
    seen = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, "this column appears twice in the header row."))
        seen.add(name)
    present = ", ".join(name for name in header if name) or "none"
    for name in required:
        if name not in seen:
            errors.append(RowError(1, name, f"missing column. The header row has: {present}."))
    if errors:
        raise ImportRejected(errors)


def _raw_rows(content: bytes, filename: str) -> list[list[object]]:
    if content.startswith(ZIP_MAGIC):
        return _xlsx_rows(content)
    if content.startswith(OLE_MAGIC):
        raise ImportRejected(
            [RowError(0, "", "this is an old-style .xls workbook; save it as .xlsx or CSV.")]
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRejected(
            [RowError(0, "", f"{_base_name(filename)} is not an XLSX workbook (not a zip file).")]
        )
    return _csv_rows(content)


def _csv_rows(content: bytes) -> list[list[object]]:
    text = _decode(content)
    if "\x00" in text:
        raise ImportRejected([RowError(0, "", "this is not a text (CSV) file.")])
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise ImportRejected([RowError(0, "", f"the CSV cannot be read: {error}.")]) from error


def _decode(content: bytes) -> str:
    if content.startswith(UTF16_BOMS):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # We do not guess another encoding: a wrong guess silently turns "£" or "é" into
        # nonsense in the council's records.
        row = content[: error.start].count(b"\n") + 1
        raise ImportRejected(
            [
                RowError(
                    row,
                    "",
                    "the file is not UTF-8 text (byte "
                    f"0x{content[error.start]:02x}). In Excel use Save As → "
                    "'CSV UTF-8 (Comma delimited)', or upload the .xlsx workbook.",
                )
            ]
        ) from error


def _xlsx_rows(content: bytes) -> list[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportRejected(
            [RowError(0, "", f"the file is not a readable XLSX workbook ({error}).")]
        ) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _base_name(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1] or "the file"
