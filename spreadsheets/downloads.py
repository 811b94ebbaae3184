"""Downloads of a page's table: the page's view answers ?format=csv or ?format=xlsx with the
rows it would show, so the download has the page's filters, year, month and access."""

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse

from spreadsheets.writer import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Cell, write_csv, write_xlsx

FORMATS = ("csv", "xlsx")


def requested_format(request: HttpRequest) -> str | None:
    """ "csv" or "xlsx" when the page is asked for as a download (?format=…), else None."""
    wanted = request.GET.get("format", "")
    return wanted if wanted in FORMATS else None


def download(
    *,
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    file_format: str,
    filename: str,
    sheet_title: str = "Sheet1",
) -> HttpResponse:
    """An attachment of the rows as CSV or XLSX, named filename.csv or filename.xlsx. Text is
    neutralised against formulas and numbers stay numbers (spreadsheets.writer)."""
    if file_format == "xlsx":
        content = write_xlsx(columns, rows, sheet_title=sheet_title)
        content_type = XLSX_CONTENT_TYPE
    elif file_format == "csv":
        content = write_csv(columns, rows)
        content_type = CSV_CONTENT_TYPE
    else:
        raise ValueError(f"{file_format!r} is not one of {', '.join(FORMATS)}.")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
