"""Indicator status as at a month, summaries per service and head of service, trends."""

import datetime
from decimal import Decimal as D

import pytest

from organisation.models import HeadOfService
from performance import selectors
from performance.models import FigureSignOff
from performance.periods import Period
from performance.rules import Direction, Rag
from tests import factories

pytestmark = pytest.mark.django_db

AUGUST = Period(2012, 8)


def month_end(name: str) -> datetime.date:
    year, month = map(int, name.split("-"))
    return Period(year, month).end_date


def figures(indicator, **values):
    """figures(indicator, m2012_08="92") records actuals; None records an awaited one."""
    for key, value in values.items():
        factories.ActualFactory(
            indicator=indicator,
            period_end=month_end(key[1:].replace("_", "-")),
            value=None if value is None else D(value),
            state="awaited" if value is None else "verified",
        )


@pytest.fixture
def year():
    factories.FinancialYearFactory(start_year=2011)
    return factories.FinancialYearFactory(start_year=2012)


def target(indicator, year, value):
    return factories.TargetFactory(indicator=indicator, year=year, value=D(value))


def status_of(year, indicator, as_at=AUGUST):
    (status,) = selectors.indicator_statuses(year=year, as_at=as_at, services=[indicator.service])
    return status


def test_a_monthly_indicator_is_judged_on_the_month(year):
    indicator = factories.IndicatorFactory(frequency="monthly", polarity="higher")
    target(indicator, year, "90")
    figures(indicator, m2011_08="88", m2012_07="85", m2012_08="84")
    status = status_of(year, indicator)
    assert (status.period, status.target, status.value) == (AUGUST, D(90), D(84))
    assert status.rag == Rag.AMBER  # 6 short: within 10% (9)
    assert (status.previous, status.direction_previous) == (D(85), Direction.WORSE)
    assert (status.last_year, status.direction_last_year) == (D(88), Direction.WORSE)
    assert status.period_label == "August 2012"
    assert status.show(status.value) == "84.0%"


def test_lower_is_better_direction_and_rag(year):
    indicator = factories.IndicatorFactory(
        frequency="monthly", polarity="lower", unit="days", decimal_places=1
    )
    target(indicator, year, "10")
    figures(indicator, m2011_08="14", m2012_07="12", m2012_08="11")
    status = status_of(year, indicator)
    assert status.rag == Rag.RED  # exactly 10% over
    assert status.direction_previous == Direction.IMPROVING
    assert status.direction_last_year == Direction.IMPROVING
    assert status.show(status.value) == "11.0 days"


def test_a_quarterly_indicator_in_august_shows_june_against_its_profiled_target(year):
    indicator = factories.IndicatorFactory(frequency="quarterly", polarity="higher")
    annual = target(indicator, year, "98")
    factories.PeriodTargetFactory(target=annual, period_end=datetime.date(2012, 6, 30), value=30)
    figures(indicator, m2012_03="97", m2012_06="29", m2011_06="31")
    status = status_of(year, indicator)
    assert (status.period, status.target, status.annual_target) == (Period(2012, 6), D(30), D(98))
    assert status.rag == Rag.AMBER
    assert status.previous == D(97), "the period before June is last March"
    assert status.direction_last_year == Direction.WORSE
    assert status.period_label == "Quarter 1 2012/13 (April to June 2012)"


def test_an_annual_indicator_in_august_is_not_due(year):
    indicator = factories.IndicatorFactory(frequency="annual")
    target(indicator, year, "50")
    figures(indicator, m2012_03="40")
    status = status_of(year, indicator)
    assert (status.rag, status.period, status.value) == (Rag.NOT_DUE, None, None)
    assert status.period_label == "Not due yet"
    assert status_of(year, indicator, as_at=Period(2013, 3)).rag == Rag.AWAITED


def test_awaited_and_data_only(year):
    awaited = factories.IndicatorFactory()
    target(awaited, year, "50")
    figures(awaited, m2012_08=None)
    assert status_of(year, awaited).rag == Rag.AWAITED
    missing = factories.IndicatorFactory()
    target(missing, year, "50")
    assert status_of(year, missing).rag == Rag.AWAITED
    untargeted = factories.IndicatorFactory()
    figures(untargeted, m2012_08="12")
    assert status_of(year, untargeted).rag == Rag.DATA_ONLY


def test_forecast_outturn_is_judged_against_the_years_target(year):
    indicator = factories.IndicatorFactory(polarity="higher", frequency="monthly")
    target(indicator, year, "100")
    factories.ActualFactory(
        indicator=indicator, period_end=month_end("2012-07"), value=95, forecast_outturn=99
    )
    factories.ActualFactory(indicator=indicator, period_end=month_end("2012-08"), value=101)
    factories.ActualFactory(  # later than the report: not seen
        indicator=indicator, period_end=month_end("2012-09"), value=80, forecast_outturn=70
    )
    status = status_of(year, indicator)
    assert (status.rag, status.forecast, status.forecast_rag) == (Rag.GREEN, D(99), Rag.AMBER)
    without = factories.IndicatorFactory()
    target(without, year, "100")
    assert status_of(year, without).forecast_rag is None


def test_forecast_from_last_year_is_not_carried_over(year):
    indicator = factories.IndicatorFactory()
    factories.ActualFactory(
        indicator=indicator, period_end=month_end("2012-03"), value=95, forecast_outturn=99
    )
    assert status_of(year, indicator, as_at=Period(2012, 4)).forecast is None


def test_only_indicators_reported_in_the_year_count(year):
    service = factories.ServiceFactory()
    kept = factories.IndicatorFactory(service=service, first_year=2012)
    factories.IndicatorFactory(service=service, last_year=2011)
    factories.IndicatorFactory(service=service, first_year=2013)
    statuses = selectors.indicator_statuses(year=year, as_at=AUGUST, services=[service])
    assert [status.indicator for status in statuses] == [kept]


def test_corporate_only(year):
    service = factories.ServiceFactory()
    corporate = factories.IndicatorFactory(service=service, is_corporate=True)
    factories.IndicatorFactory(service=service)
    statuses = selectors.indicator_statuses(year=year, as_at=AUGUST, corporate_only=True)
    assert [status.indicator for status in statuses] == [corporate]


def test_as_at_must_be_in_the_year(year):
    with pytest.raises(ValueError, match="2013-04 is not in 2012/13"):
        selectors.indicator_statuses(year=year, as_at=Period(2013, 4))


def make_portfolio(year, *, green, amber, red, awaited=0, not_due=0, data_only=0, service=None):
    """A service whose indicators have the given statuses at August 2012."""
    service = service or factories.ServiceFactory()
    for value, count in (("100", green), ("95", amber), ("50", red)):
        for _ in range(count):
            indicator = factories.IndicatorFactory(service=service, polarity="higher")
            target(indicator, year, "100")
            figures(indicator, m2012_08=value)
    for _ in range(awaited):
        target(factories.IndicatorFactory(service=service), year, "1")
    for _ in range(not_due):
        factories.IndicatorFactory(service=service, frequency="annual")
    for _ in range(data_only):
        figures(factories.IndicatorFactory(service=service), m2012_08="3")
    return service


def test_service_summaries_count_colours_and_figures_without_a_colour(year):
    direct = make_portfolio(year, green=4, amber=1, red=4, awaited=1, not_due=2, data_only=1)
    quiet = factories.ServiceFactory(head_of_service=direct.head_of_service)
    summaries = selectors.service_summaries(year=year, as_at=AUGUST)
    by_service = {summary.service: summary.counts for summary in summaries}
    counts = by_service[direct]
    assert (counts.green, counts.amber, counts.red) == (4, 1, 4)
    assert (counts.without_data, counts.data_only, counts.total) == (3, 1, 13)
    assert counts.overall == Rag.RED
    assert (by_service[quiet].total, by_service[quiet].overall) == (0, None)


def test_head_of_service_totals_and_overall_come_from_all_its_indicators(year):
    head = factories.HeadOfServiceFactory(name="IT & Facilities Management")
    make_portfolio(
        year,
        green=3,
        amber=0,
        red=0,
        service=factories.ServiceFactory(name="Customer Services", head_of_service=head),
    )
    make_portfolio(
        year,
        green=0,
        amber=1,
        red=0,
        service=factories.ServiceFactory(name="IT Services", head_of_service=head),
    )
    make_portfolio(year, green=0, amber=0, red=2)  # another portfolio
    (summary,) = selectors.head_of_service_summaries(
        year=year, as_at=AUGUST, heads_of_service=HeadOfService.objects.filter(pk=head.pk)
    )
    assert [(s.service.name, s.counts.overall) for s in summary.services] == [
        ("Customer Services", Rag.GREEN),
        ("IT Services", Rag.AMBER),
    ]
    assert (summary.counts.green, summary.counts.amber, summary.counts.red) == (3, 1, 0)
    assert summary.counts.overall == Rag.GREEN
    assert len(summary.colours) == 4
    everyone = selectors.head_of_service_summaries(year=year, as_at=AUGUST)
    assert len(everyone) == 2


@pytest.mark.parametrize("size", [1, 12])
def test_summaries_take_the_same_queries_however_many_indicators(
    year, size, django_assert_num_queries
):
    head = factories.HeadOfServiceFactory()
    for _ in range(size):
        service = factories.ServiceFactory(head_of_service=head)
        make_portfolio(year, green=1, amber=1, red=1, awaited=1, not_due=1, service=service)
        annual = target(factories.IndicatorFactory(service=service, frequency="quarterly"), year, 9)
        factories.PeriodTargetFactory(target=annual, period_end=datetime.date(2012, 6, 30))
    # services, indicators, targets, profiled targets, figures due, forecasts
    with django_assert_num_queries(6) as captured:
        summaries = selectors.head_of_service_summaries(year=year, as_at=AUGUST)
        [colour.rag for summary in summaries for colour in summary.colours]
    assert summaries[0].counts.total == size * 6
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "commentary" not in read, "counts are made of the figures that decide them alone"


def test_colours_are_the_statuses_colours_read_from_plain_values(year):
    """indicator_colours agrees with indicator_statuses on every kind of indicator: profiled
    and annual targets, quarterly and annual frequencies, both polarities, forecasts, figures
    awaited and provisional."""
    service = make_portfolio(year, green=2, amber=1, red=2, awaited=1, not_due=1, data_only=1)
    quarterly = factories.IndicatorFactory(service=service, frequency="quarterly", polarity="lower")
    annual = target(quarterly, year, "10")
    factories.PeriodTargetFactory(target=annual, period_end=datetime.date(2012, 6, 30), value=8)
    figures(quarterly, m2012_06="8.5")
    forecast = factories.IndicatorFactory(service=service, polarity="higher")
    target(forecast, year, "100")
    factories.ActualFactory(indicator=forecast, value=D("99"), forecast_outturn=D("70"))
    FigureSignOff.objects.create(service=service, period_end=datetime.date(2012, 6, 30))
    statuses = selectors.indicator_statuses(year=year, as_at=AUGUST)
    colours = selectors.indicator_colours(year=year, as_at=AUGUST)
    assert [(c.indicator_id, c.rag, c.forecast_rag, c.provisional) for c in colours] == [
        (s.indicator.pk, s.rag, s.forecast_rag, s.provisional) for s in statuses
    ]
    assert {c.rag for c in colours} >= {Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NOT_DUE}
    by_id = {colour.indicator_id: colour for colour in colours}
    assert by_id[quarterly.pk].rag == Rag.AMBER  # 8.5 against June's profiled 8, not the year's 10
    assert by_id[forecast.pk].is_exception, "amber now, forecast red"
    assert not by_id[quarterly.pk].provisional, "June is signed off"


def test_trend_shows_each_period_with_target_and_last_year(year):
    indicator = factories.IndicatorFactory(frequency="quarterly", polarity="higher")
    annual = target(indicator, year, "90")
    factories.PeriodTargetFactory(target=annual, period_end=datetime.date(2012, 6, 30), value=80)
    figures(indicator, m2011_06="70", m2012_06="81", m2012_09=None, m2012_12="95")
    trend = selectors.indicator_trend(indicator=indicator, year=year, as_at=Period(2012, 11))
    assert [(p.period.name, p.target, p.actual, p.rag, p.last_year) for p in trend.points] == [
        ("2012-06", D(80), D(81), Rag.GREEN, D(70)),
        ("2012-09", D(90), None, Rag.AWAITED, None),
        ("2012-12", D(90), None, Rag.NOT_DUE, None),  # entered, but after the report month
        ("2013-03", D(90), None, Rag.NOT_DUE, None),
    ]


def test_trend_takes_three_queries(year, django_assert_num_queries):
    indicator = factories.IndicatorFactory()
    figures(indicator, m2012_04="1", m2012_05="2")
    with django_assert_num_queries(3):
        trend = selectors.indicator_trend(indicator=indicator, year=year, as_at=AUGUST)
    assert len(trend.points) == 12


def test_council_wide_pages_open_on_the_latest_month_most_indicators_reported_for(
    year, django_assert_num_queries
):
    """Two early October figures of one service do not make October the council's month:
    September, when most indicators due had reported, is; a quarterly indicator is due at
    the end of its quarter only."""
    from organisation.models import Service

    monthly = [factories.IndicatorFactory(frequency="monthly", code=f"M{n}") for n in range(4)]
    quarterly = factories.IndicatorFactory(frequency="quarterly", code="Q1")
    for indicator in monthly[:3]:
        figures(indicator, m2012_08="1", m2012_09="1")
    figures(quarterly, m2012_09="1")
    figures(monthly[0], m2012_10="1")
    figures(monthly[1], m2012_11=None)  # awaited: not reported
    services = Service.objects.all()
    with django_assert_num_queries(2):
        chosen = selectors.most_reported_month(
            year, services=services, today=datetime.date(2012, 12, 10)
        )
    assert (chosen.period, chosen.reported, chosen.due) == (Period(2012, 9), 4, 5)
    # What a single service's page opens on: the latest month with any figure at all.
    latest = selectors.latest_reported_month(year, today=datetime.date(2012, 12, 10))
    assert latest == Period(2012, 11)
    nobody = Service.objects.none()
    assert selectors.most_reported_month(year, services=nobody) is None
