"""The download helper the pages share: the format asked for, and the file it answers with."""

from decimal import Decimal

import pytest
from django.test import RequestFactory

from spreadsheets.downloads import download, requested_format


@pytest.mark.parametrize(
    "query, expected",
    [("?format=csv", "csv"), ("?format=xlsx", "xlsx"), ("?format=pdf", None), ("", None)],
)
def test_only_csv_and_xlsx_are_downloads(query, expected):
    assert requested_format(RequestFactory().get(f"/page/{query}")) == expected


def test_csv_is_an_attachment_named_for_the_page():
    response = download(
        columns=["Name", "Value"],
        rows=[["=1+1", Decimal("2.50")]],
        file_format="csv",
        filename="page-2012-13",
    )
    assert response["Content-Disposition"] == 'attachment; filename="page-2012-13.csv"'
    assert response.content.decode("utf-8-sig") == "Name,Value\r\n'=1+1,2.5\r\n"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        download(columns=["Name"], rows=[], file_format="pdf", filename="page")
