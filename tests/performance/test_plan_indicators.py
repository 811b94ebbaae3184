"""A plan's indicators and their targets, edited in the plan editor."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Indicator, Target
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(world):
    return factories.IndicatorFactory(code="LPI LI01", service=world.service_a, title="Licences")


def url(plan):
    return reverse("performance:plan-indicators", args=[plan.pk])


def opened(client, plan):
    response = client.get(url(plan))
    assert response.status_code == 200
    return re.search(r'name="base" value="([0-9a-f]+)"', response.content.decode()).group(1)


def form_data(base, rows, initial):
    data = {
        "base": base,
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(initial),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        defaults = {"unit": "%", "polarity": "higher", "frequency": "monthly"}
        for key, value in {**defaults, **row}.items():
            data[f"indicators-{index}-{key}"] = value
    return data


def test_officer_sets_a_target_and_adds_an_indicator(client, world, indicator):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"id": indicator.pk, "code": "LPI LI01", "title": "Licences", "target": "95"},
        {"code": "LPI LI09", "title": "Taxi checks", "target": "80", "frequency": "quarterly"},
    ]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    assert Target.objects.get(indicator=indicator, year=world.year).value == Decimal("95")
    new = Indicator.objects.get(code="LPI LI09")
    assert (new.service, new.frequency) == (world.service_a, "quarterly")
    assert Target.objects.get(indicator=new).value == Decimal("80")


def test_taking_an_indicator_out_keeps_its_past_figures(client, world, indicator):
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2011, 8, 31))
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [{"id": indicator.pk, "code": "LPI LI01", "title": "Licences", "DELETE": "on"}]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    indicator.refresh_from_db()
    assert indicator.last_year == 2011
    assert indicator.actuals.count() == 1
    assert "LPI LI01" not in client.get(url(world.plan_a)).content.decode()


def test_an_indicator_with_figures_this_year_stays(client, world, indicator):
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 8, 31))
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [{"id": indicator.pk, "code": "LPI LI01", "title": "Licences", "DELETE": "on"}]
    response = client.post(url(world.plan_a), form_data(base, rows, 1))
    assert response.status_code == 200
    assert "already has figures for 2012/13" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.last_year is None


def test_a_duplicate_code_is_refused_at_the_field(client, world, indicator):
    factories.IndicatorFactory(code="NI 181", service=world.service_b)
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"id": indicator.pk, "code": "LPI LI01", "title": "Licences"},
        {"code": "ni 181", "title": "Copy"},
    ]
    response = client.post(url(world.plan_a), form_data(base, rows, 1))
    assert response.status_code == 200
    assert "Another indicator already has this code" in response.content.decode()
    assert Indicator.objects.count() == 2


def test_a_colleagues_change_meanwhile_is_a_conflict(client, world, indicator):
    client.force_login(world.officer_a)
    stale = opened(client, world.plan_a)
    factories.TargetFactory(indicator=indicator, year=world.year, value=Decimal("70"))
    rows = [{"id": indicator.pk, "code": "LPI LI01", "title": "Licences", "target": "99"}]
    response = client.post(url(world.plan_a), form_data(stale, rows, 1))
    assert response.status_code == 409
    assert Target.objects.get(indicator=indicator).value == Decimal("70")


def test_a_published_plan_is_read_only(client, world, indicator):
    client.force_login(world.officer_a)
    assert client.get(url(world.published_a)).status_code == 302


def test_queries_do_not_grow_with_indicators(client, world, indicator):
    client.force_login(world.officer_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(url(world.plan_a))
        return len(captured)

    few = count()
    for _ in range(5):
        factories.TargetFactory(
            indicator=factories.IndicatorFactory(service=world.service_a), year=world.year
        )
    assert count() == few
