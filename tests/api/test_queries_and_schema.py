"""Each list and each detail costs the same queries whatever the amount of data; the schema
generates without a warning."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.services import create_token
from performance.periods import Period
from reports.models import GeneratedReport
from tests import factories

# Queries of a request by token: the token; the throttle's five in the shared database cache
# (read, count for culling, then a savepoint around a read and a write); then the endpoint's
# own (the person's roles, the page's count, its rows and what they join). The token's last
# use is written at most once a minute: one more query then, never counted here. Pinned: a
# change here is a change to look at.
#
# name: (its address's arguments from the ApiWorld, query parameters, queries)
ENDPOINTS = {
    "api:service-list": (lambda w: [], {}, 10),
    "api:directorate-list": (lambda w: [], {}, 10),
    "api:head-of-service-list": (lambda w: [], {}, 10),
    "api:committee-list": (lambda w: [], {}, 9),
    "api:plan-list": (lambda w: [], {}, 15),
    "api:indicator-list": (lambda w: [], {"year": 2011, "as_at": "2012-03"}, 15),
    "api:report-list": (lambda w: [], {}, 11),
    "api:plan-detail": (lambda w: [2011, "LIC"], {}, 19),
    "api:indicator-detail": (lambda w: ["LIC 01"], {"year": 2011, "as_at": "2012-03"}, 15),
    "api:resources-detail": (
        lambda w: [2011, w.world.service_a.head_of_service_id],
        {},
        20,
    ),
}


def _more_of_everything(api_world, n: int) -> None:
    """n more of every kind of row each endpoint reads: services, plans and their parts,
    progress, indicators and figures, budgets, reports, structure."""
    world = api_world.world
    head_a = world.service_a.head_of_service
    for i in range(n):
        directorate = factories.DirectorateFactory()
        head = factories.HeadOfServiceFactory(directorate=directorate)
        service = factories.ServiceFactory(code=f"S{i}", head_of_service=head)
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
        _more_of_the_published_plan(api_world, world.published_a)
        _more_figures(api_world, month=4 + i)
        _more_resources(world, head_a, i)
        GeneratedReport.objects.create(
            report="committee-summary",
            title=f"Summary {i}",
            parameters={"committee": str(factories.CommitteeFactory().pk), "year": "2011"},
            status="done",
            file=f"reports/{i}.pdf",
            published_at=timezone.now(),
        )


def _more_of_the_published_plan(api_world, plan) -> None:
    objective = factories.ObjectiveFactory(plan=plan)
    objective.priorities.add(api_world.priority, factories.PriorityFactory())
    action = factories.ActionFactory(plan=plan, objective=objective)
    action.priorities.add(api_world.priority)
    factories.MilestoneFactory(action=action)
    factories.ProgressUpdateFactory(item=action)
    project = factories.ProjectFactory(plan=plan, priority=api_world.priority)
    factories.ProgressUpdateFactory(item=project)
    risk = factories.RiskFactory(plan=plan)
    factories.ProgressUpdateFactory(item=risk)


def _more_figures(api_world, *, month: int) -> None:
    factories.ActualFactory(
        indicator=api_world.indicator_a,
        period_end=Period(2011, month).end_date,
        value=Decimal("88"),
        forecast_outturn=Decimal("91"),
    )


def _more_resources(world, head, i: int) -> None:
    service = factories.ServiceFactory(code=f"R{i}", head_of_service=head)
    line = factories.ReportingLineFactory(head_of_service=head, services=[service])
    factories.BudgetFactory(service=service, year=world.last_year)
    factories.BudgetFactory(service=None, reporting_line=line, year=world.last_year)
    factories.StaffingFactory(service=service, year=world.last_year)
    factories.SavingFactory(service=service, first_year=world.last_year)
    factories.BudgetRiskFactory(head_of_service=head, year=world.last_year)


def _queries(client, token, api_world, name) -> int:
    args, params, _ = ENDPOINTS[name]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse(name, args=args(api_world)), params, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert response.status_code == 200
    body = response.json()
    assert body.get("count", 1) > 0
    return len(queries)


def _size(client, token, api_world, name) -> int:
    """How much the answer holds: more data must mean more in it, or the test proves nothing."""
    args, params, _ = ENDPOINTS[name]
    url = reverse(name, args=args(api_world))
    return len(client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}").content)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_an_endpoint_costs_the_same_queries_however_much_it_holds(client, api_world, name):
    _, token = create_token(user=api_world.world.member, name="Power BI", days=5)
    _queries(client, token, api_world, name)  # notes the token's last use
    few = _queries(client, token, api_world, name)
    small = _size(client, token, api_world, name)
    _more_of_everything(api_world, 5)
    assert _size(client, token, api_world, name) > small
    pinned = ENDPOINTS[name][2]
    assert (few, _queries(client, token, api_world, name)) == (pinned, pinned)


def test_every_endpoint_has_its_queries_pinned():
    from tests.api.test_walk import api_url_names

    assert api_url_names() - set(ENDPOINTS) == {"api:schema", "api:docs", "api:redoc"}


def test_the_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/services/",
        "/api/v1/directorates/",
        "/api/v1/heads-of-service/",
        "/api/v1/plans/",
        "/api/v1/plans/{year}/{service_code}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/",
        "/api/v1/resources/{year}/{head_of_service}/",
        "/api/v1/reports/",
    ):
        assert f"{path}:" in schema
    assert "scheme: bearer" in schema
    assert "/api/v1/docs/" not in schema  # the pages are not part of the API
