"""The read API's structure lists, a plan by year and service code, an indicator through a
year, a head of service's resources and the published reports: what each persona reads, and
what bad input is told."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from performance.models import FigureSignOff
from tests import factories
from tests.api.conftest import MARKER


def _get(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params, HTTP_ACCEPT="application/json")


def _plan(year, code):
    return reverse("api:plan-detail", args=[year, code])


def _indicator(code):
    return reverse("api:indicator-detail", args=[code])


def _resources(year, head):
    return reverse("api:resources-detail", args=[year, head])


# Structure -----------------------------------------------------------------------------------


def test_directorates_name_their_heads_of_service(client, api_world):
    world = api_world.world
    response = _get(client, world.member, reverse("api:directorate-list"))
    (directorate,) = response.json()["results"]
    assert directorate["name"] == "Place"
    head = world.service_a.head_of_service
    assert directorate["heads_of_service"] == [{"id": head.pk, "name": head.name}]


def test_heads_of_service_give_their_services_by_code_and_never_an_account(client, api_world):
    world = api_world.world
    response = _get(client, world.member, reverse("api:head-of-service-list"))
    heads = {row["name"]: row for row in response.json()["results"]}
    head_a = heads[world.service_a.head_of_service.name]
    assert head_a["services"] == ["LIC"] and head_a["directorate"] == "Place"
    assert head_a["officer_name"] == world.service_a.head_of_service.officer_name
    # The officer's sign-in account (username, email) is not the API's to give.
    assert world.head.username not in response.content.decode()
    assert world.head.email not in response.content.decode()


def test_heads_of_service_filter_by_directorate_and_committee(client, api_world):
    world = api_world.world
    url = reverse("api:head-of-service-list")
    for params in ({"directorate": "Place"}, {"committee": world.cabinet.pk}):
        response = _get(client, world.member, url, **params)
        assert [row["services"] for row in response.json()["results"]] == [["LIC"]]


# A plan by year and service code -------------------------------------------------------------


def test_a_published_plan_in_full(client, api_world):
    world = api_world.world
    response = _get(client, world.member, _plan(2011, "lic"))  # codes in any case
    assert response.status_code == 200
    plan = response.json()
    assert (plan["service_code"], plan["year_label"], plan["status"]) == (
        "LIC",
        "2011/12",
        "published",
    )
    assert plan["sections"]["introduction"] == world.published_a.introduction
    (objective,) = plan["objectives"]
    assert objective == {
        "number": 1,
        "title": "A register residents trust",
        "is_key": True,
        "priorities": ["P1"],
    }
    (action,) = plan["actions"]
    assert action["reference"] == api_world.published_action.reference
    assert action["objective"] == 1 and action["priorities"] == ["P1"]
    assert action["latest_progress"]["commentary"] == "Half done."
    (milestone,) = action["milestones"]
    assert milestone["reference"] == f"{action['reference']}.1"
    assert milestone["status"] == "not_started" and milestone["latest_progress"] is None
    (project,) = plan["projects"]
    assert project["title"] == "New licensing system" and project["is_high_profile"]
    (risk,) = plan["risks"]
    assert risk["score"] == risk["likelihood"] * risk["impact"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("head", 200), ("officer_a", 200), ("officer_b", 404), ("member", 404)],
)
def test_a_draft_plan_is_its_staffs_only(client, api_world, persona, status):
    world = api_world.world
    response = _get(client, world.persona(persona), _plan(2012, "LIC"))
    assert response.status_code == status
    if status == 200:
        assert response.json()["status"] == "draft"
        assert MARKER in response.content.decode()
    else:
        # The same answer as for a plan that does not exist: nothing says a draft is there.
        assert response.json() == {"detail": "No LIC plan for 2012/13 that you may read."}


def test_the_published_version_comes_first_and_another_by_number(client, api_world):
    world = api_world.world
    revision = factories.ServicePlanFactory(
        service=world.service_a, year=world.last_year, version=2
    )
    officer = world.officer_a
    first = _get(client, officer, _plan(2011, "LIC")).json()
    assert (first["version"], first["revision_label"]) == (1, "")
    response = _get(client, officer, _plan(2011, "LIC"), version=revision.version)
    assert response.json()["status"] == "draft"
    started = f"{timezone.localdate(revision.created_at):%-d %B %Y}"
    assert response.json()["revision_label"] == f"revision started on {started}"
    response = _get(client, world.member, _plan(2011, "LIC"), version=2)
    assert response.status_code == 404
    assert response.json()["detail"] == "No version 2 of LIC plan for 2011/12 that you may read."


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        (_plan("twelve", "LIC"), 400, "year"),
        (_plan(2030, "LIC"), 404, "No financial year 2030/31."),
        (_plan(2011, "NOPE"), 404, "No NOPE plan for 2011/12 that you may read."),
    ],
)
def test_a_plan_asked_for_badly_says_what_is_wrong(client, api_world, url, status, says):
    response = _get(client, api_world.world.member, url)
    assert response.status_code == status
    assert says in response.content.decode()


# An indicator through a year -----------------------------------------------------------------


def test_an_indicator_through_a_year_period_by_period(client, api_world):
    world = api_world.world
    indicator = api_world.indicator_a
    for month, value, forecast in ((6, "80", None), (7, "85", "91")):
        factories.ActualFactory(
            indicator=indicator,
            period_end=datetime.date(2012, month, 28 if month == 2 else 30 + (month == 7)),
            value=Decimal(value),
            forecast_outturn=forecast and Decimal(forecast),
        )
    FigureSignOff.objects.create(
        service=world.service_a, period_end=datetime.date(2012, 7, 31), by=world.head
    )
    response = _get(client, world.officer_a, _indicator("lic 01"), year=2012, as_at="2012-08")
    body = response.json()
    assert body["indicator"]["code"] == "LIC 01" and body["year_label"] == "2012/13"
    assert body["as_at"] == "2012-08-31" and body["annual_target"] == 90.0
    by_period = {row["period"]: row for row in body["periods"]}
    assert list(by_period) == ["2012-04", "2012-05", "2012-06", "2012-07", "2012-08"]
    assert by_period["2012-04"]["rag"] == "awaited"
    june, july, august = by_period["2012-06"], by_period["2012-07"], by_period["2012-08"]
    assert (june["actual"], june["rag"], june["provisional"]) == (80.0, "red", True)
    assert june["forecast"] is None  # each period as at its own end: July's forecast is later
    assert (july["rag"], july["forecast"], july["forecast_rag"]) == ("amber", 91.0, "green")
    assert (july["previous"], july["direction_previous"]) == (80.0, "improving")
    assert (july["signed_off"], july["provisional"]) == (True, False)
    assert (august["actual"], august["rag"], august["direction_previous"]) == (
        95.5,
        "green",
        "improving",
    )
    assert MARKER in august["commentary"]


def test_an_indicator_compares_with_the_same_period_last_year(client, api_world):
    world = api_world.world
    factories.ActualFactory(
        indicator=api_world.indicator_a, period_end=datetime.date(2011, 8, 31), value=99
    )
    response = _get(client, world.officer_a, _indicator("LIC 01"), year=2012, as_at="2012-08")
    august = response.json()["periods"][-1]
    assert (august["last_year"], august["direction_last_year"]) == (99.0, "worse")


@pytest.mark.parametrize(
    ("persona", "year", "status"),
    [
        # 2012/13: service A's plan is a draft: its own staff read its figures, nobody else.
        ("officer_a", 2012, 200),
        ("head", 2012, 200),
        ("officer_b", 2012, 404),
        ("member", 2012, 404),
        # 2011/12: published, so everyone signed in.
        ("member", 2011, 200),
        ("officer_b", 2011, 200),
    ],
)
def test_an_indicator_is_read_as_the_performance_pages_read_it(
    client, api_world, persona, year, status
):
    world = api_world.world
    response = _get(client, world.persona(persona), _indicator("LIC 01"), year=year)
    assert response.status_code == status
    assert (MARKER in response.content.decode()) == (year == 2012 and status == 200)


@pytest.mark.parametrize(
    ("code", "params", "status", "field_or_message"),
    [
        ("LIC 99", {"year": 2011}, 404, "No indicator 'LIC 99' reported in 2011/12"),
        ("LIC 01", {"year": "last"}, 400, "year"),
        ("LIC 01", {"year": 2030}, 404, "No financial year 2030/31."),
        ("LIC 01", {"year": 2011, "as_at": "2012-13"}, 400, "as_at"),
        ("LIC 01", {"year": 2011, "as_at": "2012-08"}, 400, "A month of 2011/12"),
    ],
)
def test_an_indicator_asked_for_badly_says_what_is_wrong(
    client, api_world, code, params, status, field_or_message
):
    response = _get(client, api_world.world.admin, _indicator(code), **params)
    assert response.status_code == status
    assert field_or_message in response.content.decode()


def test_the_list_of_indicators_filters_by_priority(client, api_world):
    world = api_world.world
    api_world.indicator_a.priorities.add(api_world.priority)
    url = reverse("api:indicator-list")
    response = _get(client, world.admin, url, year=2011, as_at="2012-03", priority="P1")
    assert [row["code"] for row in response.json()["results"]] == ["LIC 01"]
    response = _get(client, world.admin, url, year=2011, priority="P9")
    assert response.status_code == 404 and response.json() == {"detail": "No priority 'P9'."}


def test_the_list_of_indicators_reads_a_page_at_a_time(client, api_world):
    url = reverse("api:indicator-list")
    pages = [
        _get(client, api_world.world.admin, url, year=2012, page_size=1, page=page).json()
        for page in (1, 2)
    ]
    assert [page["count"] for page in pages] == [2, 2]
    rows = [row for page in pages for row in page["results"]]
    assert sorted((row["code"], row["rag"]) for row in rows) == [
        ("FIN 01", "green"),
        ("LIC 01", "green"),
    ]


def test_the_list_of_plans_filters_by_priority(client, api_world):
    world = api_world.world
    response = _get(client, world.admin, reverse("api:plan-list"), priority="P1")
    assert [(p["service_code"], p["year"]) for p in response.json()["results"]] == [("LIC", 2011)]


# Resources -----------------------------------------------------------------------------------


def test_resources_have_their_totals_as_decimal_strings(client, api_world):
    world = api_world.world
    head = world.service_a.head_of_service
    second = factories.ServiceFactory(code="CCTV", name="CCTV", head_of_service=head)
    factories.BudgetFactory(service=second, year=world.last_year, net_budget=Decimal("-0.75"))
    response = _get(client, world.member, _resources(2011, head.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["head_of_service"]["name"] == head.name and body["year_label"] == "2011/12"
    budget = body["budget"]
    assert budget["unit"] == "£000"
    assert [column["label"] for column in budget["columns"]][-1] == "Budget 2011/12"
    assert [(row["label"], row["services"]) for row in budget["rows"]] == [
        ("CCTV", ["CCTV"]),
        ("Licensing", ["LIC"]),
    ]
    assert [row["cells"][-1]["value"] for row in budget["rows"]] == ["-0.75", "120.50"]
    assert budget["total"]["label"] == "TOTAL"
    assert budget["total"]["cells"][-1]["value"] == "119.75"  # a string: never a float
    assert budget["total"]["cells"][0]["value"] is None  # no figure is not "0"
    assert body["staffing"]["total"]["cells"][-1]["value"] == "4.50"
    assert body["savings"]["total"]["cells"][1]["value"] == "10.00"
    assert [risk["title"] for risk in body["budget_risks"]] == ["Licence fee income"]


@pytest.mark.parametrize(
    ("persona", "year", "status"),
    [
        # Budgets are agreed with the plans: read once the year has a published plan, as on
        # the head of service's page; administrators read any year.
        ("member", 2011, 200),
        ("member", 2012, 404),
        ("officer_a", 2012, 404),
        ("admin", 2012, 200),
    ],
)
def test_resources_of_a_year_without_published_plans_are_not_read(
    client, api_world, persona, year, status
):
    world = api_world.world
    head = world.service_a.head_of_service
    response = _get(client, world.persona(persona), _resources(year, head.pk))
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "No published plans for 2012/13 yet."}


@pytest.mark.parametrize(
    ("year", "head", "status", "says"),
    [
        ("2011x", None, 400, "year"),
        ("2030", None, 404, "No financial year 2030/31."),
        ("2011", 999999, 404, "No head of service 999999."),
    ],
)
def test_resources_asked_for_badly_say_what_is_wrong(client, api_world, year, head, status, says):
    world = api_world.world
    url = _resources(year, head or world.service_a.head_of_service_id)
    response = _get(client, world.admin, url)
    assert response.status_code == status
    assert says in response.content.decode()


# Published reports ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "head", "officer_a", "officer_b", "member"])
def test_reports_are_the_published_ones_with_links(client, api_world, persona):
    world = api_world.world
    response = _get(client, world.persona(persona), reverse("api:report-list"))
    rows = {row["title"]: row for row in response.json()["results"]}
    assert set(rows) == {api_world.pack.title, api_world.plan_pdf.title}
    pack = rows[api_world.pack.title]
    assert (pack["committee"], pack["year"], pack["service_code"]) == ("Cabinet", 2011, None)
    assert pack["pdf"].endswith(reverse("reports:report-download", args=[api_world.pack.pk]))
    assert pack["docx"].endswith(reverse("reports:report-file-docx", args=[api_world.pack.pk]))
    plan_pdf = rows[api_world.plan_pdf.title]
    assert (plan_pdf["service_code"], plan_pdf["year"]) == ("LIC", 2011)


def test_a_reports_link_opens_its_file_for_the_same_reader(client, api_world, settings):
    world = api_world.world
    stored = settings.MEDIA_ROOT / "reports" / "x.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.7 the plan")
    response = _get(client, world.member, reverse("api:report-list"), service="LIC")
    (row,) = response.json()["results"]
    download = client.get(row["pdf"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 the plan"


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"year": 2011}, {"pack", "plan_pdf"}),
        ({"year": 2012}, set()),
        ({"committee": "COMMITTEE"}, {"pack"}),
        ({"service": "LIC"}, {"plan_pdf"}),
        ({"service": "FIN"}, set()),
        ({"head_of_service": "HEAD_A"}, {"plan_pdf"}),
        ({"head_of_service": "HEAD_B"}, set()),
    ],
)
def test_reports_filter_by_year_committee_service_and_head(client, api_world, params, titles):
    world = api_world.world
    ids = {
        "COMMITTEE": world.cabinet.pk,
        "HEAD_A": world.service_a.head_of_service_id,
        "HEAD_B": world.service_b.head_of_service_id,
    }
    params = {k: ids.get(v, v) for k, v in params.items()}
    response = _get(client, world.admin, reverse("api:report-list"), **params)
    expected = {getattr(api_world, name).title for name in titles}
    assert {row["title"] for row in response.json()["results"]} == expected


# The documentation pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("api:docs", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("api:redoc", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_the_documentation_pages_serve_their_scripts_from_this_site(
    client, api_world, name, script
):
    client.force_login(api_world.world.member)
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'src="/static/{script}"' in page
    assert "https://" not in page  # no CDN, no web fonts
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page
    assert "script-src 'self' 'nonce-" in policy  # scripts as strict as everywhere


def test_only_redoc_allows_inline_styles_and_blob_workers(client, api_world):
    client.force_login(api_world.world.member)
    redoc = client.get(reverse("api:redoc"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in redoc
    assert "worker-src 'self' blob:" in redoc
    for other in (reverse("api:docs"), reverse("api:service-list"), reverse("portal:home")):
        policy = client.get(other)["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "blob:" not in policy, other


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_the_documentation_pages_send_visitors_to_sign_in(client, api_world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
