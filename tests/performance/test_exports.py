"""Indicator status export: the export's columns, RAG words, numbers as numbers, safe text."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from performance.exports import COLUMNS, IndicatorStatusExporter
from performance.periods import Period
from tests import factories

pytestmark = pytest.mark.django_db

AUGUST = Period(2012, 8)


@pytest.fixture
def year():
    factories.FinancialYearFactory(start_year=2011)
    return factories.FinancialYearFactory(start_year=2012)


@pytest.fixture
def indicators(year):
    head = factories.HeadOfServiceFactory(name="Finance & HR")
    benefits = factories.ServiceFactory(name="Housing Benefits", head_of_service=head)
    ni181 = factories.IndicatorFactory(
        code="NI 181",
        title="Time taken to process Housing Benefit new claims and change events",
        service=benefits,
        unit="days",
        decimal_places=1,
        polarity="lower",
    )
    factories.TargetFactory(indicator=ni181, year=year, value=D("10"))
    factories.ActualFactory(indicator=ni181, period_end=datetime.date(2011, 8, 31), value=14)
    factories.ActualFactory(
        indicator=ni181,
        period_end=datetime.date(2012, 8, 31),
        value=D("12.34"),
        forecast_outturn=D("10.5"),
        commentary='=HYPERLINK("http://evil.example") -- staff sickness',
    )
    annual = factories.IndicatorFactory(
        code="LPI HB02", title="Overpayments recovered", service=benefits, frequency="annual"
    )
    factories.TargetFactory(indicator=annual, year=year, value=D("60"))
    factories.IndicatorFactory(
        code="LPI HB03", title="Claims received", service=benefits, decimal_places=0
    )
    return ni181


EXPECTED = [
    list(COLUMNS),
    [
        "LPI HB02",
        "Overpayments recovered",
        "Housing Benefits",
        "Finance & HR",
        "",
        "60.0",
        "",
        "not-due",
        "",
        "",
        "",
        "",
    ],
    [
        "LPI HB03",
        "Claims received",
        "Housing Benefits",
        "Finance & HR",
        "2012-08",
        "",
        "",
        "awaited",
        "",
        "",
        "",
        "",
    ],
    [
        "NI 181",
        "Time taken to process Housing Benefit new claims and change events",
        "Housing Benefits",
        "Finance & HR",
        "2012-08",
        "10.0",
        "12.3",
        "red",
        "10.5",
        "amber",
        "improving",
        '\'=HYPERLINK("http://evil.example") -- staff sickness',
    ],
]


def test_csv_export_has_the_issue_columns_and_one_row_per_indicator(year, indicators):
    export = IndicatorStatusExporter().render(year=year, as_at=AUGUST, file_format="csv")
    assert export.filename == "indicator-status-2012-08.csv"
    assert export.content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows == EXPECTED


def test_xlsx_export_has_numbers_as_numbers_and_text_as_text(year, indicators):
    export = IndicatorStatusExporter().render(year=year, as_at=AUGUST, file_format="xlsx")
    assert export.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    ni181 = sheet[4]
    values = dict(zip(COLUMNS, ni181, strict=True))
    assert (values["target"].value, values["actual"].value, values["forecast"].value) == (
        10,
        12.3,
        10.5,
    )
    assert values["actual"].data_type == "n"
    assert values["actual"].number_format == "#,##0.0"
    assert values["commentary"].data_type == "s"
    assert values["commentary"].quotePrefix
    assert values["commentary"].value.startswith("=HYPERLINK")
    assert [cell.value for cell in sheet["H"]] == ["rag", "not-due", "awaited", "red"]


def test_export_filters_by_service_and_corporate(year, indicators):
    other = factories.IndicatorFactory(code="LPI X", is_corporate=True)
    export = IndicatorStatusExporter().render(year=year, as_at=AUGUST, services=[other.service])
    assert export.content.decode("utf-8-sig").splitlines()[1].startswith("LPI X,")
    export = IndicatorStatusExporter().render(year=year, as_at=AUGUST, corporate_only=True)
    assert len(export.content.decode("utf-8-sig").splitlines()) == 2


def test_an_unknown_format_is_refused(year):
    with pytest.raises(ValueError, match="not an export format"):
        IndicatorStatusExporter().render(year=year, as_at=AUGUST, file_format="pdf")


def test_export_command_writes_csv_and_xlsx(year, indicators, tmp_path, capsys):
    call_command("export_indicator_status", "--as-at", "2012-08")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 4
    target = tmp_path / "status.xlsx"
    call_command(
        "export_indicator_status",
        "--as-at",
        "2012-08",
        "--format",
        "xlsx",
        "--output",
        str(target),
        "--head-of-service",
        "finance & hr",
    )
    assert load_workbook(target).active.max_row == 4


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-at", "August"], "is not a period"),
        (["--as-at", "2015-08"], "2015/16 has not been set up"),
        (["--as-at", "2012-08", "--format", "xlsx"], "Give --output"),
        (["--as-at", "2012-08", "--service", "Nowhere"], "No service matches"),
    ],
)
def test_export_command_explains_what_is_wrong(year, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_indicator_status", *arguments)
