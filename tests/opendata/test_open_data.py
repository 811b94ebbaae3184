"""Open data downloads: published content only, the pages' figures, the data dictionary, the
same bytes for the same data, a fixed number of queries, and clear refusals."""

import csv
import datetime
import io

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendata.datasets import DATASETS
from tests.opendata.conftest import DRAFT_MARKER, INTERNAL_MARKER, council, sign_off

FILES = [f"{slug}{suffix}" for slug in DATASETS for suffix in (".csv", ".json")]


def url(filename: str, month: str = "2012-09", year: int = 2012) -> str:
    return reverse("opendata:file", args=[year, month, filename])


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def by_period(rows, code: str) -> dict[str, dict[str, str]]:
    return {row["period"]: row for row in rows if row["indicator_code"] == code}


def test_the_performance_csv_has_every_period_to_the_month_as_the_selectors_judge_it(reader):
    rows = rows_of(reader.get(url("performance.csv", "2012-08")))
    monthly = by_period(rows, "LIC 01")
    assert list(monthly) == ["2012-04", "2012-05", "2012-06", "2012-07", "2012-08"]
    assert [monthly[m]["actual"] for m in monthly] == ["91.0", "88.4", "79.0", "93.0", "90.0"]
    assert [monthly[m]["status"] for m in monthly] == ["green", "amber", "red", "green", "green"]
    assert monthly["2012-04"]["direction_since_previous_period"] == "improving"  # 85 in March
    assert monthly["2012-08"]["direction_since_last_year"] == "improving"  # 87 a year before
    assert monthly["2012-08"]["forecast_outturn"] == "91.0"
    assert monthly["2012-07"]["commentary"] == "Queue cleared."
    assert monthly["2012-04"]["priorities"] == "P7"
    assert monthly["2012-04"]["service_code"] == "LIC"
    quarterly = by_period(rows, "LIC 02")
    assert list(quarterly) == ["2012-06"]
    assert quarterly["2012-06"]["status"] == "red"  # 6 days against 5, lower is better
    assert quarterly["2012-06"]["polarity"] == "lower"
    assert quarterly["2012-06"]["period_label"].startswith("Quarter 1 2012/13")


def test_each_period_has_the_status_the_selectors_give_as_at_its_month(db, open_world):
    """performance.selectors.period_statuses, which the dataset reads, agrees with
    indicator_statuses as at every month, field by field."""
    from performance.models import Indicator
    from performance.periods import months_of_year
    from performance.selectors import indicator_statuses, period_statuses

    services = [open_world.licensing]
    every = period_statuses(
        year=open_world.year,
        as_at=months_of_year(2012)[5],
        indicators=Indicator.objects.filter(service__in=services),
    )
    assert len(every) == 6 + 2  # monthly April to September, quarterly June and September
    compared = []
    for month in months_of_year(2012)[:6]:
        for status in indicator_statuses(year=open_world.year, as_at=month, services=services):
            if status.period == month:
                assert status in every
                compared.append(status)
    assert len(compared) == len(every)


def test_the_last_period_of_each_indicator_is_what_the_service_page_downloads(reader, open_world):
    """The service performance page's own CSV, as at the same month, gives the same target,
    actual, status, forecast and directions as the open data's row for that period."""
    council(public_shows_provisional=True)  # the page shows provisional figures too
    page = reader.get(
        reverse("portal:service", args=[open_world.licensing.pk]),
        {"year": 2012, "as_at": "2012-09", "format": "csv"},
    )
    shown = {row["Code"]: row for row in rows_of(page)}
    data = rows_of(reader.get(url("performance.csv", "2012-09")))
    assert set(shown) == {"LIC 01", "LIC 02"}
    for code, row in shown.items():
        latest = [each for each in data if each["indicator_code"] == code][-1]
        assert latest["period_label"] == row["Period"]
        assert (latest["target"], latest["actual"]) == (row["Target"], row["Actual"])
        assert latest["status"] == row["Status"].lower()
        assert latest["forecast_outturn"] == row["Forecast for the year"]
        assert latest["direction_since_previous_period"].replace("-", " ") == (
            row["Compared with last period"].lower()
        )
        assert latest["signed_off"] == ("no" if row["Provisional"] == "yes" else "yes")


def test_a_provisional_figure_is_left_out_unless_the_council_shows_them(reader):
    hidden = by_period(rows_of(reader.get(url("performance.csv"))), "LIC 02")
    assert (hidden["2012-09"]["actual"], hidden["2012-09"]["status"]) == ("", "awaited")
    assert "4.4" not in reader.get(url("performance.json")).content.decode()

    council(public_shows_provisional=True)
    shown = by_period(rows_of(reader.get(url("performance.csv"))), "LIC 02")
    assert shown["2012-09"]["actual"] == "4.4"
    assert (shown["2012-09"]["status"], shown["2012-09"]["signed_off"]) == ("green", "no")
    assert shown["2012-06"]["signed_off"] == "yes"


@pytest.mark.parametrize("filename", FILES)
def test_drafts_and_internal_commentary_never_appear(reader, filename):
    council(public_shows_provisional=True, public_shows_names=True)
    for month in ("2012-06", "2012-09", "2013-03"):
        text = reader.get(url(filename, month)).content.decode("utf-8-sig")
        assert DRAFT_MARKER.casefold() not in text.casefold()
        assert INTERNAL_MARKER.casefold() not in text.casefold()


def test_the_plans_csv_has_the_published_items_with_progress_as_at_the_month(reader):
    before = {row["reference"]: row for row in rows_of(reader.get(url("plans.csv", "2012-08")))}
    assert sorted(before) == ["LIC-A01", "LIC-A01.1", "LIC-P01"]
    assert before["LIC-A01"]["status"] == "not_started"  # no progress reported by August
    assert before["LIC-A01"]["overdue"] == "yes"  # due in July
    assert before["LIC-A01.1"]["parent_reference"] == "LIC-A01"
    after = {row["reference"]: row for row in rows_of(reader.get(url("plans.csv", "2012-09")))}
    action, project = after["LIC-A01"], after["LIC-P01"]
    assert (action["status"], action["percent_complete"]) == ("at_risk", "40")
    assert (action["progress_as_at"], action["commentary"]) == ("2012-09-30", "")  # internal
    assert action["objective"] == "Licences issued on time"
    assert (action["priorities"], project["priorities"]) == ("P7", "P7")
    assert (project["status"], project["commentary"]) == ("on_track", "On schedule.")


def test_officers_names_only_when_the_council_shows_them(reader):
    owners = [row["owner"] for row in rows_of(reader.get(url("plans.csv")))]
    assert set(owners) == {""}
    assert "Pat Example" not in reader.get(url("plans.json")).content.decode()

    council(public_shows_names=True)
    owners = {row["reference"]: row["owner"] for row in rows_of(reader.get(url("plans.csv")))}
    assert (owners["LIC-A01"], owners["LIC-P01"]) == ("Pat Example", "Jo Manager")


def test_the_budget_csv_has_the_published_portfolios_tables_with_computed_totals(reader):
    rows = rows_of(reader.get(url("budgets.csv")))
    assert {row["head_of_service"] for row in rows} == {"Licensing & Finance"}
    budget = {(r["line"], r["column"]): r["value"] for r in rows if r["table"] == "budget"}
    assert budget[("Licensing", "Budget 2011/12")] == "-35.5"
    assert budget[("TOTAL", "Budget 2011/12")] == "964.5"  # added up, never stored
    assert budget[("TOTAL", "Budget 2012/13")] == "1130"
    savings = [r for r in rows if r["table"] == "savings" and r["line"] == "TOTAL"]
    assert {r["column"]: r["value"] for r in savings}["2012/13"] == "12"
    assert {r["unit"] for r in rows if r["table"] == "staffing"} == {"FTE"}


@pytest.mark.parametrize("slug", DATASETS)
def test_the_csvw_metadata_describes_the_csv(reader, slug):
    header = next(
        csv.reader(io.StringIO(reader.get(url(f"{slug}.csv")).content.decode("utf-8-sig")))
    )
    metadata = reader.get(url(f"{slug}.csv-metadata.json"))
    assert metadata["Content-Type"] == "application/csvm+json"
    described = metadata.json()
    assert described["url"] == f"{slug}.csv"
    assert "http://www.w3.org/ns/csvw" in described["@context"]
    columns = described["tableSchema"]["columns"]
    assert [column["titles"] for column in columns] == header
    assert all(column["dc:description"] and column["datatype"] for column in columns)
    assert set(described["tableSchema"]["primaryKey"]) <= set(header)
    assert described["dc:license"] == {
        "@id": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    }
    assert described["dc:coverage"] == "2012-09"


@pytest.mark.parametrize("slug", DATASETS)
def test_the_json_follows_its_schema_and_has_the_csv_rows(reader, slug):
    council(public_shows_provisional=True, public_shows_names=True)
    document = reader.get(url(f"{slug}.json")).json()
    schema = reader.get(url(document["schema"])).json()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert (document["financial_year"], document["as_at"]) == ("2012/13", "2012-09")
    assert len(document["rows"]) == len(rows_of(reader.get(url(f"{slug}.csv"))))


@pytest.mark.parametrize("filename", [*FILES, "performance.csv-metadata.json"])
def test_the_same_address_gives_the_same_bytes(reader, client, filename):
    council(public_pages=True)
    first = reader.get(url(filename))
    again = client.get(url(filename))  # and the same for a resident, not signed in
    assert first.content == again.content
    assert first["ETag"] == again["ETag"]
    assert reader.get(url(filename), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_date_of_the_data_is_its_last_change(reader):
    from performance.models import Actual, FigureSignOff
    from plans.models import PlanEvent

    earlier = datetime.datetime(2012, 9, 1, tzinfo=datetime.UTC)
    moment = datetime.datetime(2012, 10, 5, 9, 30, tzinfo=datetime.UTC)
    Actual.objects.update(entered_at=earlier)
    FigureSignOff.objects.update(at=earlier)
    PlanEvent.objects.update(at=earlier)
    FigureSignOff.objects.filter(period_end=datetime.date(2012, 8, 31)).update(at=moment)
    response = reader.get(url("performance.csv"))
    assert response["Last-Modified"] == "Fri, 05 Oct 2012 09:30:00 GMT"
    metadata = reader.get(url("performance.csv-metadata.json")).json()
    assert metadata["dc:modified"] == "2012-10-05T09:30:00Z"
    index = reader.get(reverse("opendata:index"), {"year": 2012, "as_at": "2012-09"})
    assert '<time datetime="2012-10-05T' in index.content.decode()


# Queries, pinned: the session and the user (2), the year (1), then the dataset's own and
# its last change's. Performance: indicators, targets, profiled targets, figures, priorities
# (5) + 3; plans: plans, actions, milestones, projects, risks, updates, objectives, priority
# codes, actions' priorities (9) + 2; budgets: heads of service, services, reporting lines'
# services, budgets, staffing, savings (6) + 1. A change here is a change to look at.
# The index: the session and the user, the page's frame (the reader's roles; the unread
# count is kept in the cache from sign-in), the years with published plans, the latest month
# with figures, and the three datasets' last changes (6).
QUERIES = {"performance.csv": 11, "plans.csv": 14, "budgets.csv": 10, "index": 11}


def _more_of_everything(world, n: int) -> None:
    from tests import factories

    for i in range(n):
        service = factories.ServiceFactory(
            code=f"S{i}", head_of_service=factories.HeadOfServiceFactory()
        )
        plan = factories.ServicePlanFactory(service=service, year=world.year, published=True)
        action = factories.ActionFactory(plan=plan)
        factories.MilestoneFactory(action=action)
        factories.ProjectFactory(plan=plan)
        factories.ProgressUpdateFactory(item=action, point=world.action_point)
        indicator = factories.IndicatorFactory(service=service)
        indicator.priorities.add(factories.PriorityFactory(code=f"Q{i}"))
        factories.TargetFactory(indicator=indicator, year=world.year)
        factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 8, 31))
        sign_off(service, "2012-08")
        factories.BudgetFactory(service=service, year=world.year)
        factories.StaffingFactory(service=service, year=world.year)
        factories.SavingFactory(service=service, first_year=world.year)


def _queries(client, filename) -> int:
    address = reverse("opendata:index") if filename == "index" else url(filename)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("filename", QUERIES)
def test_a_dataset_costs_the_same_queries_however_large(reader, open_world, filename):
    from plans.models import ProgressUpdate

    open_world.action_point = ProgressUpdate.objects.first().point
    few = _queries(reader, filename)
    _more_of_everything(open_world, 4)
    assert (few, _queries(reader, filename)) == (QUERIES[filename], QUERIES[filename])


# Who may read, and bad addresses ---------------------------------------------------------------


def test_without_signing_in_only_while_the_public_pages_are_on(client, db, open_world):
    for address in (reverse("opendata:index"), url("performance.csv")):
        assert client.get(address).status_code == 302
    council(public_pages=True)
    for address in (reverse("opendata:index"), url("performance.csv")):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (("performance.csv", "2099-10", 2099), "There is no financial year 2099"),
        (("performance.csv", "2013-10"), "October 2013 is not in 2012/13"),
        (("performance.csv", "2012-13"), "'2012-13' is not a month"),
        (("performance.csv", "October"), "'October' is not a month"),
        (("performance.xlsx",), "There is no file 'performance.xlsx' here"),
        (("risks.csv",), "There is no file 'risks.csv' here"),
    ],
)
def test_a_bad_address_says_what_is_wrong(reader, address, message):
    response = reader.get(url(*address))
    assert response.status_code == 404
    assert message in response.content.decode()


def test_a_month_not_ended_is_not_published_yet(reader, open_world):
    import time_machine

    with time_machine.travel(datetime.datetime(2012, 9, 15, tzinfo=datetime.UTC)):
        response = reader.get(url("performance.csv", "2012-09"))
    assert response.status_code == 404
    assert "September 2012 has not ended yet" in response.content.decode()


def test_the_index_lists_the_months_and_files_and_explains_the_columns(reader):
    council(public_pages=True)
    response = reader.get(reverse("opendata:index"), {"year": 2012, "as_at": "2012-09"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Open Government Licence v3.0" in page
    assert 'value="2012-09" selected' in page
    for slug in DATASETS:
        for suffix in (".csv", ".json", ".csv-metadata.json", ".schema.json"):
            assert url(f"{slug}{suffix}") in page
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page


def test_the_export_command_writes_the_files_the_site_serves(reader, tmp_path):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("export_open_data", year=2012, month="2012-09", to=tmp_path, stdout=out)
    assert "Wrote 12 files of 2012/13 as at September 2012" in out.getvalue()
    for slug in DATASETS:
        for suffix in (".csv", ".json", ".csv-metadata.json", ".schema.json"):
            written = (tmp_path / f"{slug}{suffix}").read_bytes()
            assert written == reader.get(url(f"{slug}{suffix}")).content
    with pytest.raises(CommandError, match="October 2013 is not in 2012/13"):
        call_command("export_open_data", year=2012, month="2013-10", to=tmp_path)
