"""A head of service's resources tables download as shown: ?table=staffing, budgets or savings
with ?format=csv or xlsx, for the page's year."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db

TABLES = ("staffing", "budgets", "savings")  # in the page's order


@pytest.fixture
def resources(world):
    """Service A's 2012/13 plan is published; its head of service has two services with
    staffing, budgets and savings, one named like a formula."""
    world.plan_a.delete()
    factories.ServicePlanFactory(service=world.service_a, year=world.year, published=True)
    world.head_a = world.service_a.head_of_service
    world.formula = factories.ServiceFactory(name="=SUM(A1)", head_of_service=world.head_a)
    add_figures(world, world.service_a, Decimal("1234.5"))
    add_figures(world, world.formula, Decimal("10"))
    return world


def add_figures(world, service, amount):
    for year in (world.last_year, world.year, world.next_year):
        factories.BudgetFactory(service=service, year=year, net_budget=amount)
        factories.StaffingFactory(service=service, year=year, fte=Decimal("10.5"))
        factories.SavingFactory(service=service, first_year=year, amount=Decimal("25"))


def url(world, table, file_format=None) -> str:
    address = reverse("portal:head-of-service-detail", args=[world.head_a.pk])
    query = "?year=2012" + (f"&table={table}&format={file_format}" if file_format else "")
    return address + query


def rows_of(response, file_format) -> list[list]:
    if file_format == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def labels_shown(page: str) -> dict[str, list[str]]:
    """Each budgets table's row labels, total included, in the page's order."""
    parts = page.split('<table class="table table-sm budget-table">')[1:]
    assert len(parts) == len(TABLES)
    return {
        table: re.findall(r'<th scope="row">([^<]*)</th>', part.split("</table>")[0])
        for table, part in zip(TABLES, parts, strict=True)
    }


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_each_table_downloads_the_rows_shown(client, resources, file_format):
    client.force_login(resources.member)
    page = client.get(url(resources, None)).content.decode()
    shown = labels_shown(page)
    for table in TABLES:
        response = client.get(url(resources, table, file_format))
        assert f"-{table}-2012-13.{file_format}" in response["Content-Disposition"]
        header, *lines = rows_of(response, file_format)
        assert header[0] == "Service"
        labels = [line[0].removeprefix("'") if file_format == "csv" else line[0] for line in lines]
        assert [label.replace("&#x27;", "'") for label in shown[table]] == labels, table


def test_xlsx_figures_are_numbers_and_csv_neutralises_formulas(client, resources):
    client.force_login(resources.member)
    header, *lines = rows_of(client.get(url(resources, "budgets", "xlsx")), "xlsx")
    assert header[-1] == "Budget 2012/13 (£000)"
    licensing = next(line for line in lines if line[0] == "Licensing")
    assert licensing[1] is None, "no budget in 2010/11: blank, not 0"
    assert licensing[-1] == 1234.5
    assert lines[-1][0] == "TOTAL" and lines[-1][-1] == 1244.5
    _, *csv_lines = rows_of(client.get(url(resources, "budgets", "csv")), "csv")
    assert "'=SUM(A1)" in [line[0] for line in csv_lines]


def test_an_unknown_table_is_not_found(client, resources):
    client.force_login(resources.member)
    assert client.get(url(resources, "risks", "csv")).status_code == 404


def test_the_page_links_each_tables_downloads_with_unique_names(client, resources):
    client.force_login(resources.member)
    page = client.get(url(resources, None)).content.decode()
    names = re.findall(r"download>(Download [^<]*<span[^>]*>[^<]*)</span>", page)
    assert len(names) == 6 and len(set(names)) == 6
    assert "year=2012&amp;table=savings&amp;format=xlsx" in page


def queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("table", TABLES)
def test_download_queries_do_not_grow_with_services(client, resources, table):
    client.force_login(resources.member)
    few = queries(client, url(resources, table, "xlsx"))
    for n in range(4):
        service = factories.ServiceFactory(name=f"More {n}", head_of_service=resources.head_a)
        add_figures(resources, service, Decimal("5"))
    assert queries(client, url(resources, table, "xlsx")) == few


def test_links_name_the_year_shown_when_the_page_took_the_current_one(client, resources):
    client.force_login(resources.member)
    address = reverse("portal:head-of-service-detail", args=[resources.head_a.pk])
    page = client.get(address).content.decode()
    assert 'href="?year=2012&amp;table=budgets&amp;format=csv"' in page
