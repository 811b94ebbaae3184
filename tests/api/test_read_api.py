"""The read API as each persona: what each list holds, that a draft's text never reaches
anyone who may not read the draft, filters, pages, and fixed query counts."""

import pytest
from django.urls import reverse

from tests.api.conftest import MARKER
from tests.conftest import PERSONAS

LISTS = ("api:service-list", "api:committee-list", "api:plan-list", "api:indicator-list")


def _get(client, world, persona, name, **params):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name), params, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("name", [*LISTS, "api:schema"])
def test_anonymous_visitors_are_refused(client, api_world, name):
    response = client.get(reverse(name))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_nothing_is_written_through_the_api(client, api_world, name, persona):
    client.force_login(api_world.world.persona(persona))
    assert client.post(reverse(name), {}).status_code in (403, 405)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {("FIN", 2012, "draft"), ("LIC", 2012, "draft"), ("LIC", 2011, "published")}),
        ("head", {("LIC", 2012, "draft"), ("LIC", 2011, "published")}),
        ("officer_a", {("LIC", 2012, "draft"), ("LIC", 2011, "published")}),
        ("officer_b", {("FIN", 2012, "draft"), ("LIC", 2011, "published")}),
        ("member", {("LIC", 2011, "published")}),
    ],
)
def test_plans_are_those_the_pages_show(client, api_world, persona, expected):
    response = _get(client, api_world.world, persona, "api:plan-list")
    assert response.status_code == 200
    plans = response.json()["results"]
    assert {(p["service_code"], p["year"], p["status"]) for p in plans} == expected


@pytest.mark.parametrize("persona", ["member", "officer_b"])
@pytest.mark.parametrize("year", ["", "2012", "2011"])
@pytest.mark.parametrize("name", LISTS)
def test_a_draft_never_reaches_who_may_not_read_it(client, api_world, persona, year, name):
    response = _get(client, api_world.world, persona, name, **({"year": year} if year else {}))
    assert response.status_code == 200
    assert MARKER not in response.content.decode()


def test_the_drafts_own_staff_read_it(client, api_world):
    """The marker test above could fail: the draft's officer gets it."""
    response = _get(client, api_world.world, "officer_a", "api:plan-list", year=2012)
    assert MARKER in response.content.decode()


def test_a_published_plan_has_its_items_by_reference_with_latest_progress(client, api_world):
    world = api_world.world
    response = _get(client, world, "member", "api:plan-list", service="LIC", year=2011)
    (plan,) = response.json()["results"]
    assert plan["version"] == 1 and plan["year_label"] == world.last_year.label
    assert plan["revision_label"] == "", "a year's first plan"
    (action,) = plan["actions"]
    assert action["reference"] == api_world.published_action.reference
    assert action["status"] == "on_track"
    assert action["latest_progress"]["commentary"] == "Half done."
    assert action["latest_progress"]["percent_complete"] == 50
    (risk,) = plan["risks"]
    assert risk["reference"].startswith("LIC-R")
    assert risk["latest_progress"] is None


@pytest.mark.parametrize(
    ("persona", "year", "expected"),
    [
        # 2012/13: both plans are drafts, so only each service's own staff read its figures.
        ("admin", 2012, {"LIC 01", "FIN 01"}),
        ("head", 2012, {"LIC 01"}),
        ("officer_a", 2012, {"LIC 01"}),
        ("officer_b", 2012, {"FIN 01"}),
        ("member", 2012, set()),
        # 2011/12: service A's plan is published, so everyone reads its figures.
        ("admin", 2011, {"LIC 01", "FIN 01"}),
        ("officer_b", 2011, {"LIC 01", "FIN 01"}),
        ("member", 2011, {"LIC 01"}),
    ],
)
def test_indicators_are_those_the_performance_pages_show(
    client, api_world, persona, year, expected
):
    as_at = "2012-08" if year == 2012 else "2012-03"
    response = _get(client, api_world.world, persona, "api:indicator-list", year=year, as_at=as_at)
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == expected


def test_an_indicator_as_at_a_month(client, api_world):
    response = _get(
        client, api_world.world, "officer_a", "api:indicator-list", year=2012, as_at="2012-08"
    )
    (row,) = response.json()["results"]
    assert row["service_code"] == "LIC"
    assert row["period_end"] == "2012-08-31"
    assert row["actual"] == 95.5 and row["target"] == 90.0
    assert row["rag"] == "green"
    assert row["provisional"] is True and row["signed_off"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": "twelve"}, "year"), ({"year": "2012", "as_at": "2013-08"}, "as_at")],
)
def test_bad_filters_say_what_is_wrong(client, api_world, params, field):
    response = _get(client, api_world.world, "admin", "api:indicator-list", **params)
    assert response.status_code == 400
    assert field in response.json()


def test_services_have_their_structure_and_filter(client, api_world):
    world = api_world.world
    response = _get(client, world, "member", "api:service-list")
    assert {s["code"] for s in response.json()["results"]} == {"LIC", "FIN"}
    response = _get(client, world, "member", "api:service-list", committee=world.cabinet.pk)
    (service,) = response.json()["results"]
    assert service["code"] == "LIC"
    assert service["head_of_service"]["id"] == world.service_a.head_of_service_id
    assert service["committees"] == [{"id": world.cabinet.pk, "name": "Cabinet"}]
    assert service["directorate"] == "Place"
    head = world.service_b.head_of_service_id
    response = _get(client, world, "member", "api:plan-list", head_of_service=head)
    assert response.json()["count"] == 0  # service B has no published plan


def test_lists_come_in_pages(client, api_world):
    response = _get(client, api_world.world, "admin", "api:plan-list", page_size=2)
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    second = _get(client, api_world.world, "admin", "api:plan-list", page_size=2, page=2)
    assert len(second.json()["results"]) == 1


def test_indicators_filter_by_service_head_and_committee(client, api_world):
    world = api_world.world

    def codes(**params):
        response = _get(client, world, "admin", "api:indicator-list", year=2012, **params)
        return {row["code"] for row in response.json()["results"]}

    assert codes(service="FIN") == {"FIN 01"}
    assert codes(head_of_service=world.service_a.head_of_service_id) == {"LIC 01"}
    assert codes(committee=world.cabinet.pk) == {"LIC 01"}
    assert codes(service="NONE") == set()


def test_plans_filter_by_year_and_status(client, api_world):
    def plans(**params):
        response = _get(client, api_world.world, "admin", "api:plan-list", **params)
        return {(p["service_code"], p["year"]) for p in response.json()["results"]}

    assert plans(year=2011) == {("LIC", 2011)}
    assert plans(status="draft") == {("LIC", 2012), ("FIN", 2012)}
