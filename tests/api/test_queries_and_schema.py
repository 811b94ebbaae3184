"""Each list costs the same queries whatever the number of rows; the schema generates
without a warning."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.services import create_token
from tests import factories

# Queries of a request by token: the token; the throttle's five in the shared database cache
# (read, count for culling, then a savepoint around a read and a write); then the list's own
# (the person's roles, the page's count, its rows and what they join). The token's last use
# is written at most once a minute: one more query then, never counted here. Pinned: a
# change here is a change to look at.
QUERIES = {
    "api:service-list": 10,
    "api:committee-list": 9,
    "api:plan-list": 15,
    "api:indicator-list": 14,
}
PARAMS = {"api:indicator-list": {"year": 2011, "as_at": "2012-03"}}


def _more_of_everything(world, n: int) -> None:
    for i in range(n):
        service = factories.ServiceFactory(code=f"S{i}")
        factories.CommitteeReviewFactory(service=service, committee=world.cabinet)
        plan = factories.ServicePlanFactory(service=service, year=world.last_year, published=True)
        action = factories.ActionFactory(plan=plan)
        factories.MilestoneFactory(action=action)
        factories.ProjectFactory(plan=plan)
        factories.RiskFactory(plan=plan)
        factories.ProgressUpdateFactory(item=action)
        indicator = factories.IndicatorFactory(service=service)
        factories.TargetFactory(indicator=indicator, year=world.last_year)
        factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 3, 31))
        factories.CommitteeFactory()


def _queries(client, token, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse(name), PARAMS.get(name, {}), HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert response.status_code == 200
    assert response.json()["count"] > 0
    return len(queries)


@pytest.mark.parametrize("name", QUERIES)
def test_a_list_costs_the_same_queries_however_long(client, api_world, name):
    _, token = create_token(user=api_world.world.member, name="Power BI", days=5)
    _queries(client, token, name)  # notes the token's last use
    few = _queries(client, token, name)
    _more_of_everything(api_world.world, 5)
    assert (few, _queries(client, token, name)) == (QUERIES[name], QUERIES[name])


def test_the_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/services/", "/api/v1/plans/", "/api/v1/indicators/"):
        assert path in schema
    assert "scheme: bearer" in schema
