"""Reads the CSV and XLSX files councils exchange into rows of text, with row-level errors.

Every import in the product (structure, indicators, targets, actuals, budgets, savings) reads its
file here, so all of them accept the same formats and describe problems the same way: by the
spreadsheet row number (the header is row 1) and the column name.
"""

import csv
import datetime
import io
import operator
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 binary .xls format
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
HTML_STARTS = ("<!doctype", "<html", "<?xml", "<head", "<body", "<svg", "<script", "<table")

# Bounds on what a file may make the server do. Uploads come from the web (the figures upload),
# so a file is hostile until read: a small zipped workbook can unpack to gigabytes (a "zip
# bomb"), and a small CSV can hold millions of rows or columns. Well above real imports (a year
# of a large council's monthly actuals is about 10,000 rows; bench/ imports 50,000).
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
MAX_XLSX_EXPANDED_BYTES = 40 * 1024 * 1024  # unzipped; 50,000 rows with commentary: ~19 MB


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
    _check_size(raw_rows)
    header = [normalise_header(name) for name in raw_rows[0]]
    _check_header(header, required)
    table = Table(columns=[name for name in header if name])
    for number, values in enumerate(raw_rows[1:], start=2):
        cells = {name: _text(value) for name, value in zip(header, values, strict=False) if name}
        if any(cells.values()):
            table.rows.append((number, {name: cells.get(name, "") for name in table.columns}))
    return table


def read_import(content: bytes, *, filename: str, required: Sequence[str]) -> Table:
    """read_table for an import: a file of at most settings.IMPORT_MAX_BYTES."""
    return read_table(
        content, filename=filename, required=required, max_bytes=settings.IMPORT_MAX_BYTES
    )


def _check_size(raw_rows: list[list[object]]) -> None:
    if len(raw_rows) > MAX_ROWS + 1:
        raise ImportRejected(
            [RowError(0, "", f"the file has more than {MAX_ROWS:,} rows; split it into several.")]
        )
    for number, values in enumerate(raw_rows, start=1):
        if len(values) > MAX_COLUMNS and any(
            value not in (None, "") for value in values[MAX_COLUMNS:]
        ):
            raise ImportRejected(
                [RowError(number, "", f"the row has more than {MAX_COLUMNS} columns.")]
            )
        for value in values:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                raise ImportRejected(
                    [
                        RowError(
                            number, "", f"a cell is longer than {MAX_CELL_CHARACTERS:,} characters."
                        )
                    ]
                )


def _check_header(header: list[str], required: Sequence[str]) -> None:
    errors = []
    seen = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, "this column appears twice in the header row."))
        seen.add(name)
    # Name at most a screenful of what the header has: it is the visitor's text.
    shown = [name[:40] + ("…" if len(name) > 40 else "") for name in header if name]
    present = ", ".join(shown[:20]) + (", …" if len(shown) > 20 else "") or "none"
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
    if text.lstrip()[:20].lower().startswith(HTML_STARTS):
        raise ImportRejected(
            [RowError(0, "", "this is a web page or XML file, not a CSV or XLSX file.")]
        )
    # A line of a million commas would be a million cells before any check could run; a
    # quoted cell may hold commas, hence the margin. _check_size has the exact rule.
    if max(map(operator.methodcaller("count", ","), text.splitlines() or [""])) > 10 * MAX_COLUMNS:
        raise ImportRejected([RowError(0, "", f"a row has more than {MAX_COLUMNS} columns.")])
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(row) > MAX_COLUMNS and not any(row[MAX_COLUMNS:]):
                del row[MAX_COLUMNS:]  # the empty cells Excel pads a row with
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break  # _check_size says so
    except csv.Error as error:
        raise ImportRejected([RowError(0, "", f"the CSV cannot be read: {error}.")]) from error
    return rows


def _decode(content: bytes) -> str:
    try:
        if content.startswith(UTF16_BOMS):
            return content.decode("utf-16")
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
                    f"the file is not {error.encoding.upper().replace('-SIG', '')} text (byte "
                    f"0x{content[min(error.start, len(content) - 1)]:02x}). In Excel use Save As → "
                    "'CSV UTF-8 (Comma delimited)', or upload the .xlsx workbook.",
                )
            ]
        ) from error


def _xlsx_rows(content: bytes) -> list[list[object]]:
    _check_expanded_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # anything a broken or hostile workbook makes openpyxl raise
        raise ImportRejected([_unreadable(error)]) from error
    try:
        sheet = workbook.worksheets[0]
        # read-only mode streams the sheet; stop one row and one column past the limits
        # (a forged <dimension> or a far-off row would otherwise pad rows by the million)
        rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1)
        return [list(row) for row in rows]
    except Exception as error:  # the sheet's XML is parsed while iterating
        raise ImportRejected([_unreadable(error)]) from error
    finally:
        workbook.close()


def _unreadable(error: Exception) -> RowError:
    reason = str(error)[:200] or type(error).__name__
    return RowError(0, "", f"the file is not a readable XLSX workbook ({reason}).")


def _check_expanded_size(content: bytes) -> None:
    """Refuse a workbook that would unzip to more than MAX_XLSX_EXPANDED_BYTES. The sizes in
    the zip's directory are a true bound: zipfile stops at them and checks the CRC."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRejected([_unreadable(error)]) from error
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        raise ImportRejected(
            [
                RowError(
                    0,
                    "",
                    f"the workbook unpacks to {expanded:,} bytes, more than the "
                    f"{MAX_XLSX_EXPANDED_BYTES:,} allowed; save it as CSV or split it.",
                )
            ]
        )


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
