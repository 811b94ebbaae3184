"""The database refuses what the domain forbids, by named constraint."""

import datetime
from decimal import Decimal as D

import pytest

from performance.rules import Tolerance
from tests import factories
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db


def test_indicator_codes_are_unique_ignoring_case():
    indicator = factories.IndicatorFactory(code="NI 181")
    assert_refused(
        "performance_indicator_code_unique_ignoring_case",
        lambda: factories.IndicatorFactory.build(code="ni 181", service=indicator.service),
    )


@pytest.mark.parametrize(
    ("constraint", "values"),
    [
        (
            "performance_indicator_one_kind_of_tolerance",
            {"tolerance_percent": D(5), "tolerance_absolute": D(1)},
        ),
        ("performance_indicator_tolerance_percent_not_negative", {"tolerance_percent": D(-1)}),
        ("performance_indicator_tolerance_margin_not_negative", {"tolerance_absolute": D(-1)}),
        ("performance_indicator_at_most_4_decimal_places", {"decimal_places": 5}),
        (
            "performance_indicator_reported_span_not_reversed",
            {"first_year": 2013, "last_year": 2012},
        ),
    ],
)
def test_indicator_constraints(constraint, values):
    service = factories.ServiceFactory()
    assert_refused(constraint, lambda: factories.IndicatorFactory.build(service=service, **values))


def test_one_target_per_indicator_and_year():
    target = factories.TargetFactory()
    assert_refused(
        "performance_one_target_per_indicator_year",
        lambda: factories.TargetFactory.build(indicator=target.indicator, year=target.year),
    )


def test_one_profiled_target_per_period():
    profiled = factories.PeriodTargetFactory()
    assert_refused(
        "performance_one_profiled_target_per_period",
        lambda: factories.PeriodTargetFactory.build(
            target=profiled.target, period_end=profiled.period_end
        ),
    )


def test_one_actual_per_indicator_and_period():
    actual = factories.ActualFactory()
    assert_refused(
        "performance_one_actual_per_indicator_period",
        lambda: factories.ActualFactory.build(
            indicator=actual.indicator, period_end=actual.period_end
        ),
    )


@pytest.mark.parametrize(
    ("state", "value"), [("awaited", D(5)), ("verified", None), ("estimate", None)]
)
def test_an_actual_has_a_value_unless_awaited(state, value):
    indicator = factories.IndicatorFactory()
    assert_refused(
        "performance_actual_value_unless_awaited",
        lambda: factories.ActualFactory.build(indicator=indicator, state=state, value=value),
    )


def test_names_and_properties():
    indicator = factories.IndicatorFactory.build(code="NI 181", title="Benefit claims")
    assert str(indicator) == "NI 181 Benefit claims"
    assert indicator.tolerance == Tolerance()
    indicator.tolerance_absolute = D(2)
    assert str(indicator.tolerance) == "2 either side"
    actual = factories.ActualFactory.build(
        indicator=indicator, period_end=datetime.date(2012, 8, 31)
    )
    assert (str(actual), actual.period.name) == ("NI 181 2012-08", "2012-08")
    target = factories.TargetFactory.build(
        indicator=indicator, year=factories.FinancialYearFactory.build(), value=D("98.50")
    )
    assert str(target) == "NI 181 2012/13: 98.5"
    profiled = factories.PeriodTargetFactory.build(
        target=target, period_end=datetime.date(2012, 6, 30), value=D("30")
    )
    assert str(profiled) == "NI 181 2012-06: 30"
