"""The performance pages' downloads: ?format=csv or xlsx gives the table the page shows, with
the page's year, month and access (nothing of an unpublished plan reaches a member)."""

import csv
import datetime
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

AUGUST = datetime.date(2012, 8, 31)
DRAFT_MARKER = "Draft-only indicator"
QUERY = "?year=2012&as_at=2012-08"


def add_indicator(service, *, code, title, value=Decimal("92"), commentary="", year):
    indicator = factories.IndicatorFactory(
        code=code, title=title, service=service, is_corporate=True
    )
    factories.TargetFactory(indicator=indicator, year=year, value=Decimal("90"))
    factories.ActualFactory(
        indicator=indicator, period_end=AUGUST, value=value, commentary=commentary
    )
    return indicator


@pytest.fixture
def figures(world):
    """Service A's 2012/13 plan is published; service B's is a draft, with a marker indicator."""
    world.plan_a.delete()
    factories.ServicePlanFactory(service=world.service_a, year=world.year, published=True)
    add_indicator(
        world.service_a, code="A1", title="Licences in time", commentary="=1+1", year=world.year
    )
    add_indicator(
        world.service_a, code="A2", title="Complaints", value=Decimal("50.25"), year=world.year
    )
    add_indicator(world.service_b, code="B1", title=DRAFT_MARKER, year=world.year)
    return world


def urls(world):
    return {
        "overview": reverse("portal:overview"),
        "corporate": reverse("portal:corporate"),
        "service": reverse("portal:service", args=[world.service_a.pk]),
    }


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def rows_of(response, file_format):
    return csv_rows(response) if file_format == "csv" else xlsx_rows(response)


def indicators_shown(page: str) -> list[str]:
    return re.findall(r'<tr id="indicator-\d+">\s*<th scope="row">([^<]*?)\s*<', page)


def services_shown(page: str) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/performance/services/\d+/[^"]*">([^<]*)</a>', page
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("persona", ["admin", "member"])
def test_indicator_downloads_have_the_rows_shown(client, figures, persona, file_format):
    client.force_login(getattr(figures, persona))
    for name in ("corporate", "service"):
        url = urls(figures)[name] + QUERY
        page = client.get(url).content.decode()
        header, *lines = rows_of(client.get(f"{url}&format={file_format}"), file_format)
        assert header[:2] == ["Code", "Indicator"]
        shown = indicators_shown(page)
        assert shown, "the page shows indicators"
        assert [f"{line[0]} {line[1]}" for line in lines] == shown


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_overview_download_has_the_services_and_totals_shown(client, figures, file_format):
    client.force_login(figures.admin)
    url = reverse("portal:overview") + QUERY
    page = client.get(url).content.decode()
    header, *lines = rows_of(client.get(f"{url}&format={file_format}"), file_format)
    assert header[:3] == ["Head of service", "Service", "Green"]
    services = [line[1] for line in lines if line[1] != "All services"]
    assert services == services_shown(page) and sorted(services) == ["Finance", "Licensing"]
    licensing = next(line for line in lines if line[1] == "Licensing")
    # A1 is green (92 against 90); A2 red (50.25 against 90).
    green, amber, red = (1, 0, 1) if file_format == "xlsx" else ("1", "0", "1")
    assert licensing[2:5] == [green, amber, red]
    assert len(lines) == 4, "each head of service's totals follow their services"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_members_download_has_nothing_of_an_unpublished_plan(client, figures, file_format):
    def download(persona, name) -> str:
        client.force_login(getattr(figures, persona))
        url = f"{urls(figures)[name]}{QUERY}&format={file_format}"
        return repr(rows_of(client.get(url), file_format))

    # Service B's plan is a draft: an administrator sees its figures, a member never.
    assert "Finance" in download("admin", "overview")
    assert DRAFT_MARKER in download("admin", "corporate")
    for name in urls(figures):
        text = download("member", name)
        assert "Licensing" in text, name
        assert "Finance" not in text and DRAFT_MARKER not in text, name
    draft_service = reverse("portal:service", args=[figures.service_b.pk])
    assert client.get(f"{draft_service}{QUERY}&format={file_format}").status_code == 404


def test_xlsx_keeps_numbers_and_says_status_in_words(client, figures):
    client.force_login(figures.member)
    header, *lines = xlsx_rows(client.get(f"{urls(figures)['service']}{QUERY}&format=xlsx"))
    row = dict(zip(header, lines[1], strict=True))
    assert row["Code"] == "A2"
    # A number at the indicator's one decimal place, as the page shows it.
    assert row["Target"] == 90 and row["Actual"] == 50.3
    assert row["Status"] == "Red" and row["Period"] == "August 2012"


def test_csv_neutralises_formulas(client, figures):
    client.force_login(figures.member)
    header, first, _ = csv_rows(client.get(f"{urls(figures)['service']}{QUERY}&format=csv"))
    assert dict(zip(header, first, strict=True))["Commentary"] == "'=1+1"


def test_file_names_say_the_page_year_and_month(client, figures):
    client.force_login(figures.member)
    expected = {
        "overview": "performance-overview-2012-13-2012-08.xlsx",
        "corporate": "corporate-indicators-2012-13-2012-08.xlsx",
        "service": "performance-licensing-2012-13-2012-08.xlsx",
    }
    for name, url in urls(figures).items():
        disposition = client.get(f"{url}{QUERY}&format=xlsx")["Content-Disposition"]
        assert disposition == f'attachment; filename="{expected[name]}"'


def test_pages_link_to_their_downloads_with_unique_names(client, figures):
    client.force_login(figures.member)
    for name, url in urls(figures).items():
        page = client.get(url + QUERY).content.decode()
        names = re.findall(r"<a [^>]*download>(Download [^<]*<span[^>]*>[^<]*)</span>", page)
        assert len(names) == 2 and len(set(names)) == 2, name
        assert "format=csv" in page and "format=xlsx" in page
        assert "year=2012&amp;as_at=2012-08&amp;format=xlsx" in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_published_services(world, how_many):
    for _ in range(how_many):
        service = factories.ServiceFactory(head_of_service=factories.HeadOfServiceFactory())
        factories.ServicePlanFactory(service=service, year=world.year, published=True)
        for _ in range(2):
            indicator = factories.IndicatorFactory(service=service, is_corporate=True)
            factories.TargetFactory(indicator=indicator, year=world.year)
            factories.ActualFactory(indicator=indicator, period_end=AUGUST)


@pytest.mark.parametrize("name", ["overview", "corporate"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_download_queries_do_not_grow_with_data(client, figures, name, file_format):
    client.force_login(figures.member)
    url = f"{urls(figures)[name]}{QUERY}&format={file_format}"
    add_published_services(figures, 1)
    few = queries(client, url)
    add_published_services(figures, 4)
    assert queries(client, url) == few


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_service_download_queries_do_not_grow_with_indicators(client, figures, file_format):
    client.force_login(figures.member)
    url = f"{urls(figures)['service']}{QUERY}&format={file_format}"
    few = queries(client, url)
    for n in range(4):
        add_indicator(figures.service_a, code=f"X{n}", title="More", year=figures.year)
    assert queries(client, url) == few


def test_a_year_without_figures_downloads_the_header_alone(client, figures):
    client.force_login(figures.member)
    for name, url in urls(figures).items():
        if name == "service":
            continue  # the service's 2013/14 plan is not published: its page is not found
        response = client.get(f"{url}?year=2013&format=csv")
        assert len(csv_rows(response)) == 1, name
        assert response["Content-Disposition"].endswith('-2013-14.csv"'), name


def test_links_name_the_month_shown_when_the_page_took_the_latest(client, figures):
    client.force_login(figures.member)
    page = client.get(urls(figures)["overview"]).content.decode()
    assert 'href="?year=2012&amp;as_at=2012-08&amp;format=csv"' in page
