"""The performance models in the admin: every page opens, periods are typed as months,
figures record who entered them, and changelists do not grow in queries."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Actual, Indicator, PeriodTarget, Target
from tests import factories

pytestmark = pytest.mark.django_db

PERFORMANCE_MODELS = [Indicator, Target, PeriodTarget, Actual]


@pytest.fixture
def administrator():
    return factories.UserFactory(username="policy", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def data():
    target = factories.PeriodTargetFactory().target
    factories.ActualFactory(indicator=target.indicator, commentary="On track")
    return target


def test_every_performance_model_is_registered():
    assert set(PERFORMANCE_MODELS) <= set(admin.site._registry)


@pytest.mark.parametrize("model", PERFORMANCE_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_open(admin_client, data, model):
    prefix = f"admin:performance_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200
    change = reverse(f"{prefix}_change", args=[model.objects.first().pk])
    response = admin_client.get(change)
    assert response.status_code == 200


def test_the_period_is_shown_and_typed_as_a_month(admin_client, data):
    actual = Actual.objects.get()
    page = admin_client.get(reverse("admin:performance_actual_change", args=[actual.pk]))
    assert 'value="2012-08"' in page.content.decode()


def add_actual(client, indicator, period: str, value="91.5"):
    return client.post(
        reverse("admin:performance_actual_add"),
        {
            "indicator": indicator.pk,
            "period_end": period,
            "value": value,
            "state": "verified",
            "commentary": "",
            "forecast_outturn": "",
        },
    )


def test_adding_a_figure_records_who_entered_it(admin_client, administrator):
    indicator = factories.IndicatorFactory(frequency="quarterly")
    response = add_actual(admin_client, indicator, "2012-09")
    assert response.status_code == 302
    actual = Actual.objects.get()
    assert (actual.period_end, actual.value) == (datetime.date(2012, 9, 30), D("91.5"))
    assert actual.entered_by == administrator


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2012-08", "2012-08 does not end a quarterly period; they end 2012-06, 2012-09"),
        ("Sept", "is not a period"),
    ],
)
def test_a_period_that_is_not_a_period_end_is_refused(admin_client, period, message):
    indicator = factories.IndicatorFactory(frequency="quarterly")
    response = add_actual(admin_client, indicator, period)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Actual.objects.exists()


def test_figures_typed_into_the_indicator_page_record_who_entered_them(admin_client, administrator):
    indicator = factories.IndicatorFactory(frequency="monthly", code="NI 181")
    url = reverse("admin:performance_indicator_change", args=[indicator.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "priorities"
    }
    data.update(
        {
            "service": indicator.service.pk,
            "targets-TOTAL_FORMS": 0,
            "targets-INITIAL_FORMS": 0,
            "actuals-TOTAL_FORMS": 1,
            "actuals-INITIAL_FORMS": 0,
            "actuals-0-period_end": "2012-07",
            "actuals-0-value": "12.5",
            "actuals-0-state": "estimate",
            "actuals-0-commentary": "Provisional",
            "actuals-0-forecast_outturn": "",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    actual = Actual.objects.get()
    assert (actual.period.name, actual.state, actual.entered_by) == (
        "2012-07",
        "estimate",
        administrator,
    )


def test_a_profiled_target_must_end_a_period_of_its_year(admin_client):
    target = factories.TargetFactory(indicator=factories.IndicatorFactory(frequency="quarterly"))
    url = reverse("admin:performance_periodtarget_add")
    refused = admin_client.post(url, {"target": target.pk, "period_end": "2013-06", "value": 5})
    assert "The period is not in 2012/13." in refused.content.decode()
    refused = admin_client.post(url, {"target": target.pk, "period_end": "2012-07", "value": 5})
    assert "does not end a quarterly period" in refused.content.decode()
    accepted = admin_client.post(url, {"target": target.pk, "period_end": "2012-09", "value": 5})
    assert accepted.status_code == 302
    assert PeriodTarget.objects.get().period_end == datetime.date(2012, 9, 30)


def changelist_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "make_one"),
    [
        ("admin:performance_indicator_changelist", lambda: factories.IndicatorFactory()),
        ("admin:performance_target_changelist", lambda: factories.PeriodTargetFactory()),
        ("admin:performance_periodtarget_changelist", lambda: factories.PeriodTargetFactory()),
        (
            "admin:performance_actual_changelist",
            lambda: factories.ActualFactory(entered_by=factories.UserFactory()),
        ),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, url_name, make_one):
    make_one()
    few = changelist_queries(admin_client, reverse(url_name))
    for _ in range(5):
        make_one()
    assert changelist_queries(admin_client, reverse(url_name)) == few
