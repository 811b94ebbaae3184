"""Reads: the status of indicators for a year and period, summaries, trends.

These are the public functions other apps use (the committee summary and the key performance
information booklet in plans read them); nothing outside this app reads the performance tables.
Each costs a fixed number of queries however many indicators there are.

"As at" a month: a report "at August 2012" shows, for each indicator, the last period of its
frequency that has ended by then in the financial year (August for a monthly indicator, June
for a quarterly one) or "not due" when none has (an annual indicator).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from organisation import years
from organisation.fulltext import (
    ESCAPED_IN_SQL,
    MARK_END,
    MARK_START,
    fts5_match,
    headline_options,
    highlighted,
    search_words,
)
from organisation.models import FinancialYear, HeadOfService, Priority, Service
from performance import formatting, periods
from performance.access import public_actuals, public_commentary, services_signed_off_by
from performance.models import (
    DRAFTED_FIELDS,
    Actual,
    DraftIndicator,
    FigureChange,
    FigureSignOff,
    Indicator,
    PeriodTarget,
    Target,
)
from performance.periods import Period
from performance.rules import (
    Direction,
    Rag,
    Tolerance,
    direction,
    overall,
    rag,
    sign_off_refusal,
)


@dataclass(frozen=True)
class IndicatorStatus:
    """One indicator as at a month: its figure for the period due, against target."""

    indicator: Indicator
    as_at: Period
    period: Period | None  # the period due; None when none has ended yet this year
    target: Decimal | None  # for that period: its profiled target, or the year's
    annual_target: Decimal | None
    actual: Actual | None  # the row for the period due, if any (it may be awaited)
    rag: Rag
    forecast: Decimal | None  # the latest forecast outturn for the year given by as_at
    forecast_rag: Rag | None  # None without a forecast
    previous: Decimal | None  # the figure for the period before
    direction_previous: Direction | None
    last_year: Decimal | None  # the figure for the same period last year
    direction_last_year: Direction | None
    # A figure for the period due whose service and period are not signed off (yet, or
    # again since a change): pages and reports say "provisional" beside it.
    provisional: bool = False

    @property
    def value(self) -> Decimal | None:
        return self.actual.value if self.actual else None

    @property
    def commentary(self) -> str:
        return self.actual.commentary if self.actual else ""

    @property
    def state(self) -> str:
        return self.actual.state if self.actual else ""

    @property
    def period_label(self) -> str:
        if self.period is None:
            return "Not due yet"
        return periods.describe(self.indicator.frequency, self.period)

    def show(self, value: Decimal | None) -> str:
        """A figure of this indicator, as printed: "98.5%"."""
        return formatting.figure(
            value, unit=self.indicator.unit, places=self.indicator.decimal_places
        )


@dataclass
class StatusCounts:
    """How many indicators have each status. Only green, amber and red are colours."""

    by_status: Counter = field(default_factory=Counter)

    def add(self, status: Rag) -> None:
        self.by_status[status] += 1

    def __iadd__(self, other: "StatusCounts") -> "StatusCounts":
        self.by_status.update(other.by_status)
        return self

    @property
    def green(self) -> int:
        return self.by_status[Rag.GREEN]

    @property
    def amber(self) -> int:
        return self.by_status[Rag.AMBER]

    @property
    def red(self) -> int:
        return self.by_status[Rag.RED]

    @property
    def without_data(self) -> int:
        """Awaited or not yet due: no figure to judge."""
        return self.by_status[Rag.AWAITED] + self.by_status[Rag.NOT_DUE]

    @property
    def data_only(self) -> int:
        """A figure, but no target to judge it against."""
        return self.by_status[Rag.DATA_ONLY]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def overall(self) -> Rag | None:
        """By rules.overall: the most common colour, a tie going to the worse."""
        return overall(self.by_status)


@dataclass(frozen=True)
class IndicatorColour:
    """An indicator's status as at a month, read from the figures that decide it and nothing
    else (no commentary, no direction of travel): what counts of colours are made of. A page
    that lists an indicator in full reads its IndicatorStatus (statuses_of)."""

    indicator_id: int
    service_id: int
    rag: Rag
    forecast_rag: Rag | None  # None without a forecast
    provisional: bool  # a figure for the period due, not signed off

    @property
    def is_exception(self) -> bool:
        """What a reader looks at first: red now, or forecast to end the year red."""
        return Rag.RED in (self.rag, self.forecast_rag)


@dataclass
class ServiceSummary:
    service: Service
    counts: StatusCounts
    colours: list[IndicatorColour]
    forecast_counts: StatusCounts = field(default_factory=StatusCounts)

    @property
    def provisional(self) -> int:
        """How many of its figures are not signed off."""
        return sum(1 for colour in self.colours if colour.provisional)


@dataclass
class HeadOfServiceSummary:
    head_of_service: HeadOfService
    services: list[ServiceSummary]
    counts: StatusCounts = field(default_factory=StatusCounts)
    forecast_counts: StatusCounts = field(default_factory=StatusCounts)

    @property
    def colours(self) -> list[IndicatorColour]:
        return [colour for service in self.services for colour in service.colours]

    @property
    def exceptions(self) -> list[IndicatorColour]:
        return [colour for colour in self.colours if colour.is_exception]


def indicators_reported_in(year: FinancialYear) -> QuerySet[Indicator]:
    """Indicators reported in a year: not introduced later, not retired earlier."""
    return Indicator.objects.filter(
        Q(first_year__isnull=True) | Q(first_year__lte=year.start_year),
        Q(last_year__isnull=True) | Q(last_year__gte=year.start_year),
    )


def indicator_statuses(
    *,
    year: FinancialYear,
    as_at: Period,
    services: Iterable[Service] | None = None,
    corporate_only: bool = False,
    priority: Priority | None = None,
    residents: bool = False,
) -> list[IndicatorStatus]:
    """Every indicator reported in the year (of the given services, or all), as at a month of
    that year, ordered by head of service, service and code. Four queries.

    `residents`: as the public pages read them — only the figures residents may read
    (performance.access.public_actuals) and no commentary its author marked internal. Take
    the services from plans.access.services_public."""
    _check_in_year(year, as_at)
    indicators = indicators_in_order(
        year=year, services=services, corporate_only=corporate_only, priority=priority
    )
    return statuses_of(list(indicators), year=year, as_at=as_at, residents=residents)


def indicators_in_order(
    *,
    year: FinancialYear,
    services: Iterable[Service] | None = None,
    corporate_only: bool = False,
    priority: Priority | None = None,
) -> QuerySet[Indicator]:
    """The indicators indicator_statuses reports on, in its order, not yet read: a list that
    shows a page at a time (the API) reads the statuses of that page only (statuses_of)."""
    indicators = indicators_reported_in(year).select_related("service__head_of_service")
    if services is not None:
        indicators = indicators.filter(service__in=[service.pk for service in services])
    if corporate_only:
        indicators = indicators.filter(is_corporate=True)
    if priority is not None:
        indicators = indicators.filter(priorities=priority)
    return indicators.order_by("service__head_of_service__name", "service__name", "code", "pk")


def statuses_of(
    indicators: list[Indicator], *, year: FinancialYear, as_at: Period, residents: bool = False
) -> list[IndicatorStatus]:
    """The status of each of these indicators as at a month of the year, in their order
    (`residents`: as indicator_statuses). Three queries; none without indicators."""
    _check_in_year(year, as_at)
    if not indicators:
        return []
    annual, profiled, figures = _targets_and_figures(
        indicators, year, as_at, residents, only_as_at=True
    )
    return [
        _status(
            indicator,
            as_at,
            year,
            annual.get(indicator.pk),
            profiled,
            figures[indicator.pk],
        )
        for indicator in indicators
    ]


def _targets_and_figures(
    indicators: list[Indicator],
    year: FinancialYear,
    as_at: Period,
    residents: bool = False,
    *,
    only_as_at: bool = False,
):
    """What _status reads for the indicators: their annual targets for the year, their
    profiled targets by (indicator, period end), and their figures by period up to `as_at`
    (each knowing whether it is signed off; `residents`: only those residents read, without
    internal commentary). `only_as_at`: only the figures the status as at `as_at` reads (the
    period due, the one before, the same one last year, and forecasts), not every period of
    two years. Three queries."""
    ids = [indicator.pk for indicator in indicators]
    annual = dict(
        Target.objects.filter(indicator__in=ids, year=year)
        .order_by()
        .values_list("indicator_id", "value")
    )
    profiled = {
        (indicator_id, period_end): value
        for indicator_id, period_end, value in PeriodTarget.objects.filter(
            target__indicator__in=ids, target__year=year
        )
        .order_by()
        .values_list("target__indicator_id", "period_end", "value")
    }
    # Far enough back for the period before the first one of the year (last March for a
    # monthly indicator, last year's first half for a half-yearly one) and the same period
    # last year.
    actuals = (
        Actual.objects.filter(
            indicator__in=ids,
            period_end__gte=years.start_date(year.start_year - 1),
            period_end__lte=as_at.end_date,
        )
        .annotate(signed_off=_signed_off())
        .select_related("entered_by")
        .order_by("period_end")
    )
    if only_as_at:
        read = _periods_read(indicators, as_at)
        actuals = actuals.filter(
            Q(period_end__in=[period.end_date for period in read])
            | Q(forecast_outturn__isnull=False, period_end__gte=years.start_date(year.start_year))
        )
    if residents:
        actuals = public_actuals(actuals)
    figures: dict[int, dict[Period, Actual]] = defaultdict(dict)
    for actual in actuals:
        if residents:  # read only, never saved: the page shows what residents may read
            actual.commentary = public_commentary(
                actual.commentary, internal=actual.commentary_internal
            )
        figures[actual.indicator_id][actual.period] = actual
    return annual, profiled, figures


def _periods_read(indicators, as_at: Period) -> set[Period]:
    """The periods whose figures decide the statuses of indicators as at a month: for each
    frequency, the period due, the one before it and the same period last year."""
    read = set()
    for frequency in {indicator.frequency for indicator in indicators}:
        due = periods.latest_due(frequency, as_at)
        if due is not None:
            read |= {due, periods.previous(frequency, due), periods.same_period_last_year(due)}
    return read


class _Judged(NamedTuple):
    """The fields of an indicator its colour depends on, read as plain values."""

    pk: int
    service_id: int
    frequency: str
    polarity: str
    decimal_places: int
    tolerance_percent: Decimal | None
    tolerance_absolute: Decimal | None

    @property
    def tolerance(self) -> Tolerance:
        return Tolerance.of(percent=self.tolerance_percent, absolute=self.tolerance_absolute)


def indicator_colours(
    *,
    year: FinancialYear,
    as_at: Period,
    services: Iterable[Service] | None = None,
    residents: bool = False,
) -> list[IndicatorColour]:
    """The colour of every indicator reported in the year (of the given services, or all) as
    at a month, now and forecast: the colours indicator_statuses gives them, in its order,
    from plain values — each indicator's figure for the period due, its latest forecast and
    the targets they are judged by — never whole figures or commentary: a council of 3,000
    indicators reads 3,000 figures, not the 60,000 of two years. `residents`: as
    indicator_statuses. Five queries."""
    _check_in_year(year, as_at)
    indicators = indicators_in_order(year=year, services=services)
    rows = [_Judged(*row) for row in indicators.values_list(*_Judged._fields)]
    ids = indicators.values("pk")
    due = {frequency: periods.latest_due(frequency, as_at) for frequency in periods.Frequency}
    due_ends = [period.end_date for period in due.values() if period is not None]
    annual = dict(
        Target.objects.filter(indicator__in=ids, year=year)
        .order_by()
        .values_list("indicator_id", "value")
    )
    profiled = {
        (indicator_id, period_end): value
        for indicator_id, period_end, value in PeriodTarget.objects.filter(
            target__indicator__in=ids, target__year=year, period_end__in=due_ends
        )
        .order_by()
        .values_list("target__indicator_id", "period_end", "value")
    }
    actuals = Actual.objects.filter(indicator__in=ids)
    if residents:
        actuals = public_actuals(actuals)
    figures = {
        (indicator_id, period_end): (value, signed_off)
        for indicator_id, period_end, value, signed_off in actuals.filter(period_end__in=due_ends)
        .annotate(signed_off=_signed_off())
        .order_by()
        .values_list("indicator_id", "period_end", "value", "signed_off")
    }
    forecasts = dict(  # the latest of the year up to as_at: later rows overwrite earlier ones
        actuals.filter(
            forecast_outturn__isnull=False,
            period_end__gte=years.start_date(year.start_year),
            period_end__lte=as_at.end_date,
        )
        .order_by("period_end")
        .values_list("indicator_id", "forecast_outturn")
    )
    colours = []
    for row in rows:
        period = due[row.frequency]
        value, signed_off = (None, True)
        if period is not None:
            value, signed_off = figures.get((row.pk, period.end_date), (None, True))
        annual_target = annual.get(row.pk)
        colours.append(
            IndicatorColour(
                indicator_id=row.pk,
                service_id=row.service_id,
                rag=(
                    Rag.NOT_DUE
                    if period is None
                    else _rag_of(row, value, _period_target(row, period, annual_target, profiled))
                ),
                forecast_rag=_forecast_rag_of(row, forecasts.get(row.pk), annual_target),
                provisional=value is not None and not signed_off,
            )
        )
    return colours


def _period_target(indicator, period: Period, annual_target, profiled) -> Decimal | None:
    """The target a period's figure is judged by: its profiled target, or the year's."""
    return profiled.get((indicator.pk, period.end_date), annual_target)


def _rag_of(indicator, value: Decimal | None, target: Decimal | None) -> Rag:
    """rules.rag with the indicator's polarity, tolerance and decimal places."""
    return rag(
        actual=value,
        target=target,
        polarity=indicator.polarity,
        tolerance=indicator.tolerance,
        places=indicator.decimal_places,
    )


def _forecast_rag_of(indicator, forecast: Decimal | None, annual_target) -> Rag | None:
    """A forecast outturn is judged against the year's target; None without a forecast."""
    return None if forecast is None else _rag_of(indicator, forecast, annual_target)


def exception_statuses(
    summaries: list[HeadOfServiceSummary],
    *,
    year: FinancialYear,
    as_at: Period,
    per_head: int,
    residents: bool = False,
) -> dict[int, list[IndicatorStatus]]:
    """The full status (figures, forecast, directions, commentary) of the first `per_head`
    exceptions of each head of service (IndicatorColour.is_exception), by head of service id:
    the only indicators a page of counts reads in full. Four queries, none without any."""
    shown = [
        colour.indicator_id for summary in summaries for colour in summary.exceptions[:per_head]
    ]
    indicators = (
        list(
            Indicator.objects.filter(pk__in=shown)
            .select_related("service__head_of_service")
            .order_by("service__head_of_service__name", "service__name", "code", "pk")
        )
        if shown
        else []
    )
    by_head: dict[int, list[IndicatorStatus]] = defaultdict(list)
    for status in statuses_of(indicators, year=year, as_at=as_at, residents=residents):
        by_head[status.indicator.service.head_of_service_id].append(status)
    return by_head


def indicator_through_year(
    *, indicator: Indicator, year: FinancialYear, as_at: Period
) -> list[IndicatorStatus]:
    """One indicator through a year: its status as at the end of each of its periods up to
    `as_at` (target, actual, RAG, forecast, direction both ways, provisional), as the list of
    indicators showed it at that month — read at once from the same figures. Three queries."""
    _check_in_year(year, as_at)
    annual, profiled, figures = _targets_and_figures([indicator], year, as_at)
    return _through_year(indicator, year, as_at, annual, profiled, figures[indicator.pk])


def period_statuses(
    *,
    year: FinancialYear,
    as_at: Period,
    indicators: QuerySet[Indicator],
    residents: bool = False,
) -> list[IndicatorStatus]:
    """Every period of the year up to `as_at` of each of these indicators (those reported in
    the year), each with the status indicator_statuses gives it as at the month it ends: the
    same target, RAG, forecast and directions (`residents`: as indicator_statuses — without
    figures residents may not read, and so without their forecasts and directions either). In
    order of indicator code and period. Four queries, however many indicators and periods."""
    _check_in_year(year, as_at)
    indicators = list(
        indicators.filter(pk__in=indicators_reported_in(year).values("pk"))
        .select_related("service")
        .order_by("code")
    )
    if not indicators:
        return []
    annual, profiled, figures = _targets_and_figures(indicators, year, as_at, residents)
    return [
        status
        for indicator in indicators
        for status in _through_year(indicator, year, as_at, annual, profiled, figures[indicator.pk])
    ]


def _through_year(indicator, year, as_at, annual, profiled, figures) -> list[IndicatorStatus]:
    """The indicator's status as at the end of each of its periods up to `as_at`: each period
    sees only the figures up to its end (its forecast is the latest one then)."""
    return [
        _status(
            indicator,
            period,
            year,
            annual.get(indicator.pk),
            profiled,
            {when: actual for when, actual in figures.items() if when <= period},
        )
        for period in periods.period_ends(indicator.frequency, year.start_year)
        if period <= as_at
    ]


def _signed_off() -> Exists:
    """Whether an actual's service and period are signed off: read with the actuals, in the
    same query, so marking figures provisional costs no query of its own."""
    return Exists(
        FigureSignOff.objects.filter(
            service_id=OuterRef("indicator__service_id"), period_end=OuterRef("period_end")
        )
    )


def _status(indicator, as_at, year, annual_target, profiled, figures) -> IndicatorStatus:
    frequency, polarity = indicator.frequency, indicator.polarity
    places = indicator.decimal_places
    due = periods.latest_due(frequency, as_at)
    forecast = next(
        (
            actual.forecast_outturn
            for period, actual in sorted(figures.items(), reverse=True)
            if period.financial_year == year.start_year and actual.forecast_outturn is not None
        ),
        None,
    )
    forecast_rag = _forecast_rag_of(indicator, forecast, annual_target)
    if due is None:
        return IndicatorStatus(
            indicator=indicator,
            as_at=as_at,
            period=None,
            target=annual_target,
            annual_target=annual_target,
            actual=None,
            rag=Rag.NOT_DUE,
            forecast=forecast,
            forecast_rag=forecast_rag,
            previous=None,
            direction_previous=None,
            last_year=None,
            direction_last_year=None,
        )
    target = _period_target(indicator, due, annual_target, profiled)
    actual = figures.get(due)
    value = actual.value if actual else None
    previous = _value(figures.get(periods.previous(frequency, due)))
    last_year = _value(figures.get(periods.same_period_last_year(due)))
    return IndicatorStatus(
        indicator=indicator,
        as_at=as_at,
        period=due,
        target=target,
        annual_target=annual_target,
        actual=actual,
        rag=_rag_of(indicator, value, target),
        forecast=forecast,
        forecast_rag=forecast_rag,
        previous=previous,
        direction_previous=direction(
            current=value, earlier=previous, polarity=polarity, places=places
        ),
        last_year=last_year,
        direction_last_year=direction(
            current=value, earlier=last_year, polarity=polarity, places=places
        ),
        provisional=value is not None and not actual.signed_off,
    )


def _value(actual: Actual | None) -> Decimal | None:
    return actual.value if actual else None


def service_summaries(
    *,
    year: FinancialYear,
    as_at: Period,
    services: QuerySet[Service] | None = None,
    residents: bool = False,
) -> list[ServiceSummary]:
    """Green/amber/red counts per service (every service, with or without indicators), now
    and forecast for the year, in order of head of service and service name. Six queries of
    plain values, however many figures. `residents`: as indicator_statuses."""
    services = list(
        (services if services is not None else Service.objects.all())
        .select_related("head_of_service")
        .order_by("head_of_service__name", "name")
    )
    by_service: dict[int, list[IndicatorColour]] = defaultdict(list)
    for colour in indicator_colours(year=year, as_at=as_at, services=services, residents=residents):
        by_service[colour.service_id].append(colour)
    summaries = []
    for service in services:
        counts, forecast_counts = StatusCounts(), StatusCounts()
        for colour in by_service[service.pk]:
            counts.add(colour.rag)
            if colour.forecast_rag is not None:
                forecast_counts.add(colour.forecast_rag)
        summaries.append(ServiceSummary(service, counts, by_service[service.pk], forecast_counts))
    return summaries


def head_of_service_summaries(
    *,
    year: FinancialYear,
    as_at: Period,
    heads_of_service: QuerySet[HeadOfService] | None = None,
    services: QuerySet[Service] | None = None,
    residents: bool = False,
) -> list[HeadOfServiceSummary]:
    """Per head of service: each service's counts and the portfolio's totals (the Sevenoaks 2012/13
    summary, Part
    3b). The portfolio's overall status comes from its totals. Six queries."""
    services = Service.objects.all() if services is None else services
    if heads_of_service is not None:
        services = services.filter(head_of_service__in=heads_of_service)
    summaries: dict[int, HeadOfServiceSummary] = {}
    for summary in service_summaries(
        year=year, as_at=as_at, services=services, residents=residents
    ):
        head = summary.service.head_of_service
        portfolio = summaries.setdefault(head.pk, HeadOfServiceSummary(head, []))
        portfolio.services.append(summary)
        portfolio.counts += summary.counts
        portfolio.forecast_counts += summary.forecast_counts
    return list(summaries.values())


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    target: Decimal | None
    actual: Decimal | None
    state: str
    rag: Rag
    last_year: Decimal | None


@dataclass(frozen=True)
class Trend:
    indicator: Indicator
    year: FinancialYear
    points: list[TrendPoint]

    def show(self, value: Decimal | None) -> str:
        return formatting.figure(
            value, unit=self.indicator.unit, places=self.indicator.decimal_places
        )


def indicator_trend(
    *, indicator: Indicator, year: FinancialYear, as_at: Period | None = None
) -> Trend:
    """Each period of the year: target, actual, status, and the figure a year before.
    Periods ending after `as_at` (by default, this month) are not due and show no figure,
    even if one has been entered. Three queries."""
    return indicator_trends(indicators=[indicator], year=year, as_at=as_at)[indicator.pk]


def indicator_trends(
    *,
    indicators: list[Indicator],
    year: FinancialYear,
    as_at: Period | None = None,
    residents: bool = False,
) -> dict[int, Trend]:
    """indicator_trend for many indicators at once, by indicator id. Three queries, however
    many indicators: a plan page shows a chart for each of its service's indicators.
    `residents`: only the figures residents may read (performance.access.public_actuals)."""
    as_at = as_at or Period.of(timezone.localdate())
    ids = [indicator.pk for indicator in indicators]
    annual = dict(
        Target.objects.filter(indicator__in=ids, year=year)
        .order_by()
        .values_list("indicator_id", "value")
    )
    profiled = defaultdict(dict)
    for indicator_id, period_end, value in (
        PeriodTarget.objects.filter(target__indicator__in=ids, target__year=year)
        .order_by()
        .values_list("target__indicator_id", "period_end", "value")
    ):
        profiled[indicator_id][period_end] = value
    actuals = Actual.objects.filter(
        indicator__in=ids,
        period_end__gte=years.start_date(year.start_year - 1),
        period_end__lte=years.end_date(year.start_year),
    )
    if residents:
        actuals = public_actuals(actuals)
    figures = defaultdict(dict)
    for indicator_id, period_end, value, state in actuals.order_by().values_list(
        "indicator_id", "period_end", "value", "state"
    ):
        figures[indicator_id][Period.of(period_end)] = (value, state)
    return {
        indicator.pk: _trend(
            indicator,
            year,
            as_at,
            annual.get(indicator.pk),
            profiled[indicator.pk],
            figures[indicator.pk],
        )
        for indicator in indicators
    }


def _trend(indicator, year, as_at, annual, profiled, figures) -> Trend:
    points = []
    for period in periods.period_ends(indicator.frequency, year.start_year):
        target = profiled.get(period.end_date, annual)
        due = period <= as_at
        value, state = figures.get(period, (None, "")) if due else (None, "")
        points.append(
            TrendPoint(
                period=period,
                target=target,
                actual=value,
                state=state,
                rag=rag(
                    actual=value,
                    target=target,
                    polarity=indicator.polarity,
                    tolerance=indicator.tolerance,
                    places=indicator.decimal_places,
                    due=due,
                ),
                last_year=figures.get(periods.same_period_last_year(period), (None, ""))[0],
            )
        )
    return Trend(indicator=indicator, year=year, points=points)


def latest_reported_month(
    year: FinancialYear, *, today: datetime.date | None = None, residents: bool = False
):
    """The latest month of the year, up to today, with any figure recorded: the natural
    'as at' for reading a year's performance. None when the year has no figures yet.
    `residents`: with a figure residents may read (performance.access.public_actuals)."""
    today = today or timezone.localdate()
    actuals = Actual.objects.filter(
        period_end__gte=years.start_date(year.start_year),
        period_end__lte=min(years.end_date(year.start_year), today),
    )
    if residents:
        actuals = public_actuals(actuals)
    last = actuals.order_by("-period_end").values_list("period_end", flat=True).first()
    return Period.of(last) if last else None


@dataclass(frozen=True)
class MostReportedMonth:
    """The month a council-wide page opens on, and why: `reported` of the `due` indicators
    whose period ends that month have their figure."""

    period: Period
    reported: int
    due: int


def most_reported_month(
    year: FinancialYear, *, services: QuerySet[Service], today: datetime.date | None = None
) -> MostReportedMonth | None:
    """The latest month of the year, up to today, for which at least half of the services'
    indicators due that month have their figure: a page across the council opens there, not
    on a month where two early figures of one service stand for everyone. None without any
    such month (then latest_reported_month is the only choice). Two queries."""
    today = today or timezone.localdate()
    indicators = indicators_reported_in(year).filter(service__in=services)
    in_force = dict(indicators.order_by().values_list("frequency").annotate(count=Count("pk")))
    figures = dict(
        Actual.objects.filter(
            indicator__in=indicators,
            value__isnull=False,
            period_end__gte=years.start_date(year.start_year),
            period_end__lte=min(years.end_date(year.start_year), today),
        )
        .order_by()
        .values_list("period_end")
        .annotate(count=Count("pk"))
    )
    for period_end in sorted(figures, reverse=True):
        month = Period.of(period_end)
        due = sum(
            count
            for frequency, count in in_force.items()
            if periods.is_period_end(frequency, month)
        )
        if due and figures[period_end] * 2 >= due:
            return MostReportedMonth(month, reported=figures[period_end], due=due)
    return None


def _check_in_year(year: FinancialYear, as_at: Period) -> None:
    if as_at.financial_year != year.start_year:
        raise ValueError(f"{as_at.name} is not in {year.label}.")


# Data entry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FiguresDue:
    """A service's figures for one period that has ended: how many are due, how many in,
    and their sign-off (None: provisional)."""

    service: Service
    period: Period
    due: int
    entered: int
    sign_off: FigureSignOff | None = None
    awaited: int = 0

    @property
    def missing(self) -> int:
        """Figures still to enter: an awaited figure is one of them (it has no value yet)."""
        return self.due - self.entered


def figures_due(
    *, services: QuerySet[Service], year: FinancialYear, today: datetime.date
) -> list[FiguresDue]:
    """For each service and each period of the year that has ended, the figures due, entered
    and awaited (an awaited figure is still to enter: the officer has only said why it is
    late), and the sign-off. Three queries."""
    indicators = list(
        indicators_reported_in(year)
        .filter(service__in=services)
        .select_related("service__head_of_service")
        .order_by("service__name", "code")
    )
    states = {
        (indicator_id, period_end): state
        for indicator_id, period_end, state in Actual.objects.filter(
            indicator__in=indicators,
            period_end__gte=years.start_date(year.start_year),
            period_end__lte=years.end_date(year.start_year),
        )
        .order_by()
        .values_list("indicator_id", "period_end", "state")
    }
    rows: dict[tuple[int, Period], list[int]] = {}
    by_service = {}
    for indicator in indicators:
        by_service[indicator.service_id] = indicator.service
        for period in periods.period_ends(indicator.frequency, year.start_year):
            if period.end_date > today:
                continue
            counts = rows.setdefault((indicator.service_id, period), [0, 0, 0])
            state = states.get((indicator.pk, period.end_date))
            counts[0] += 1
            counts[1] += state is not None and state != Actual.State.AWAITED
            counts[2] += state == Actual.State.AWAITED
    signed = sign_offs_of(services=by_service, year=year)
    return [
        FiguresDue(
            by_service[service_id],
            period,
            due,
            done,
            signed.get((service_id, period.end_date)),
            awaited,
        )
        for (service_id, period), (due, done, awaited) in sorted(
            rows.items(), key=lambda item: (by_service[item[0][0]].name, item[0][1])
        )
    ]


def sign_offs_of(
    *, services: Iterable, year: FinancialYear
) -> dict[tuple[int, datetime.date], FigureSignOff]:
    """The sign-offs of these services' (or service ids') figures in the year, by service id
    and period end, with who gave them. One query."""
    ids = [getattr(service, "pk", service) for service in services]
    return {
        (sign_off.service_id, sign_off.period_end): sign_off
        for sign_off in FigureSignOff.objects.filter(
            service_id__in=ids,
            period_end__gte=years.start_date(year.start_year),
            period_end__lte=years.end_date(year.start_year),
        )
        .select_related("by")
        .order_by()
    }


def sign_off_of(*, service: Service, period: Period) -> FigureSignOff | None:
    """The sign-off of a service's figures for a period, with who gave it; None while they
    are provisional. One query."""
    return (
        FigureSignOff.objects.filter(service=service, period_end=period.end_date)
        .select_related("by")
        .first()
    )


@dataclass(frozen=True)
class AwaitingSignOff:
    """A service's figures for a period, entered and not signed off: on a head's home page."""

    service: Service
    period: Period
    figures: int


def figures_awaiting_sign_off(user, *, today: datetime.date | None = None) -> list[AwaitingSignOff]:
    """Of the services whose figures the user signs off (their own as head of service, every
    one for an administrator), each period with figures entered and not signed off, and how
    many: from the start of the year before the current one (year-end figures are signed off
    in the new year) to today. In order of service and period. Three queries, and one for
    the user's roles unless already read."""
    today = today or timezone.localdate()
    current = FinancialYear.objects.filter(is_current=True).values_list("start_year", flat=True)
    start_year = current.first() or years.start_year_of(today)
    counts = list(
        Actual.objects.filter(
            indicator__service__in=services_signed_off_by(user),
            period_end__gte=years.start_date(start_year - 1),
            period_end__lte=today,
        )
        .filter(~_signed_off())
        .order_by()
        .values_list("indicator__service_id", "period_end")
        .annotate(figures=Count("pk"))
    )
    services = Service.objects.in_bulk({service_id for service_id, *_ in counts})
    return sorted(
        (
            AwaitingSignOff(services[service_id], Period.of(period_end), figures)
            for service_id, period_end, figures in counts
        ),
        key=lambda row: (row.service.name, row.period),
    )


@dataclass(frozen=True)
class PeriodHistory:
    """Every change to an indicator's figure for one period, newest first, and the period's
    sign-off (None: provisional)."""

    period: Period
    changes: list[FigureChange]
    sign_off: FigureSignOff | None


def figure_history(*, indicator: Indicator) -> list[PeriodHistory]:
    """Every change to an indicator's figures, whoever made it and however, by period (the
    latest first), with the sign-off of each period. Two queries."""
    by_period: dict[datetime.date, list[FigureChange]] = defaultdict(list)
    for change in (
        FigureChange.objects.filter(indicator=indicator)
        .select_related("by", "withdrew_sign_off_by")
        .order_by("-period_end", "-at", "-id")
    ):
        by_period[change.period_end].append(change)
    signed = {
        sign_off.period_end: sign_off
        for sign_off in FigureSignOff.objects.filter(
            service_id=indicator.service_id, period_end__in=list(by_period)
        )
        .select_related("by")
        .order_by()
    }
    return [
        PeriodHistory(Period.of(period_end), changes, signed.get(period_end))
        for period_end, changes in by_period.items()
    ]


def why_not_ready_for_sign_off(
    *, service: Service, period: Period, rows: list[IndicatorStatus]
) -> str | None:
    """Why a service's figures for a period (its entry_rows) cannot be signed off yet, or
    None when they can (rules.sign_off_refusal)."""
    return sign_off_refusal(
        what=f"{service} for {period.month_label}",
        due=[(row.indicator.code, row.state) for row in rows],
    )


def entry_rows(*, service: Service, year: FinancialYear, period: Period) -> list[IndicatorStatus]:
    """The indicators of a service with a period ending in `period`, with their status then."""
    return [
        status
        for status in indicator_statuses(year=year, as_at=period, services=[service])
        if status.period == period
    ]


def targets_of_periods(
    pairs: Iterable[tuple[Indicator, Period]],
) -> dict[tuple[int, Period], Decimal | None]:
    """The target each indicator has for each period: the period's profiled target, or its
    year's, or None. Two queries, however many pairs."""
    pairs = list(pairs)
    ids = {indicator.pk for indicator, _ in pairs}
    start_years = {period.financial_year for _, period in pairs}
    annual = {
        (indicator_id, start_year): value
        for indicator_id, start_year, value in Target.objects.filter(
            indicator__in=ids, year__start_year__in=start_years
        )
        .order_by()
        .values_list("indicator_id", "year__start_year", "value")
    }
    profiled = {
        (indicator_id, period_end): value
        for indicator_id, period_end, value in PeriodTarget.objects.filter(
            target__indicator__in=ids, target__year__start_year__in=start_years
        )
        .order_by()
        .values_list("target__indicator_id", "period_end", "value")
    }
    return {
        (indicator.pk, period): profiled.get(
            (indicator.pk, period.end_date), annual.get((indicator.pk, period.financial_year))
        )
        for indicator, period in pairs
    }


@dataclass(frozen=True)
class TargetsSet:
    reported: int
    without_target: int


def targets_set(rows: list[DraftIndicator]) -> TargetsSet:
    """How many of the indicators a plan proposes (draft_indicator_rows) still need a target."""
    kept = [row for row in rows if not row.taken_out]
    return TargetsSet(
        reported=len(kept), without_target=sum(1 for row in kept if row.target is None)
    )


# A plan's indicators: in force, or as its working draft proposes them -----------------------


def indicators_in_force(*, service: Service, year: FinancialYear) -> QuerySet[Indicator]:
    """The indicators a service reports in a year, each with its target for the year in
    `year_targets` (a list of none or one). Two queries."""
    return (
        indicators_reported_in(year)
        .filter(service=service)
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.filter(year=year), to_attr="year_targets")
        )
        .order_by("code")
    )


def draft_indicator_rows(
    *, service: Service, year: FinancialYear, version: int
) -> list[DraftIndicator]:
    """The indicators plan `version` of the service's plan for the year proposes, with their
    targets: the rows its editors saved, or — until they save some — the indicators in force,
    as unsaved rows. Members never read these; the plan's workflow publishes them."""
    saved = list(
        DraftIndicator.objects.filter(service=service, year=year, plan_version=version)
        .select_related("indicator")
        .order_by("position", "id")
    )
    if saved:
        return saved
    return [
        DraftIndicator(
            service=service,
            year=year,
            plan_version=version,
            indicator=indicator,
            position=position,
            target=indicator.year_targets[0].value if indicator.year_targets else None,
            **{name: getattr(indicator, name) for name in DRAFTED_FIELDS},
        )
        for position, indicator in enumerate(indicators_in_force(service=service, year=year))
    ]


@dataclass(frozen=True)
class IndicatorChange:
    """What a draft changes about one indicator, for the approver: "new", "taken out", or the
    fields it changes as (label, before, after)."""

    row: DraftIndicator
    kind: str  # "new", "taken out", "changed"
    fields: tuple[tuple[str, str, str], ...] = ()


def draft_indicator_changes(
    rows: list[DraftIndicator], *, year: FinancialYear
) -> list[IndicatorChange]:
    """Of the indicators a plan proposes for `year` (draft_indicator_rows), those that differ
    from the ones in force: new, changed or taken out."""
    if not rows or rows[0].pk is None:  # nothing proposed: the indicators in force stand
        return []
    targets = dict(
        Target.objects.filter(
            year=year, indicator__in=[row.indicator_id for row in rows if row.indicator_id]
        ).values_list("indicator_id", "value")
    )
    changes = []
    for row in rows:
        if row.indicator is None:
            changes.append(IndicatorChange(row, "new"))
            continue
        if row.taken_out:
            changes.append(IndicatorChange(row, "taken out"))
            continue
        differences = [
            (
                DraftIndicator._meta.get_field(name).verbose_name,
                _shown(getattr(row.indicator, name), name),
                _shown(getattr(row, name), name),
            )
            for name in DRAFTED_FIELDS
            if getattr(row.indicator, name) != getattr(row, name)
        ]
        before = targets.get(row.indicator_id)
        if before != row.target:
            differences.append((f"target {year}", _shown(before), _shown(row.target)))
        if differences:
            changes.append(IndicatorChange(row, "changed", tuple(differences)))
    return changes


def _shown(value, name: str = "") -> str:
    choices = dict(DraftIndicator._meta.get_field(name).flatchoices) if name else {}
    if value in choices:
        return str(choices[value])
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def search_indicators(
    *, text: str, services: QuerySet[Service], limit: int = 50
) -> list[Indicator]:
    """Indicators of these services whose code or title has every word of `text` (whole
    stemmed words, read from the stored full-text index: migration performance 0007), best
    first, each with `snippet`: its title, escaped, the words found in <mark>. The user's text
    is only ever a list of plain words, never the engine's query syntax."""
    words = search_words(text)
    if not words:
        return []
    match, rank, snippet = (
        _indicator_search_postgresql(words)
        if connection.vendor == "postgresql"
        else _indicator_search_sqlite(words)
    )
    indicators = (
        Indicator.objects.filter(service__in=services)
        .filter(match)
        .annotate(score=rank, raw_snippet=snippet)
        .select_related("service")
        .order_by("-score", "code")[:limit]
    )
    escaped = connection.vendor == "postgresql"
    for indicator in indicators:
        indicator.snippet = highlighted(indicator.raw_snippet, escaped=escaped)
    return list(indicators)


def _indicator_search_sqlite(words: list[str]) -> tuple[RawSQL, RawSQL, RawSQL]:
    """FTS5 (the code weighs ten times the title; bm25 negated, so that higher is better)."""
    found = "FROM performance_indicator_search WHERE performance_indicator_search MATCH %s"
    this = f"{found} AND rowid = performance_indicator.id"
    match = fts5_match(words)
    return (
        RawSQL(f"performance_indicator.id IN (SELECT rowid {found})", [match], BooleanField()),
        RawSQL(f"(SELECT -bm25(performance_indicator_search, 10.0, 1.0) {this})", [match]),
        RawSQL(
            f"(SELECT snippet(performance_indicator_search, 1, %s, %s, '…', 64) {this})",
            [MARK_START, MARK_END, match],
        ),
    )


def _indicator_search_postgresql(words: list[str]) -> tuple[RawSQL, RawSQL, RawSQL]:
    """The stored search_vector (GIN index), every word required; ts_headline on the escaped
    title."""
    query, terms = "plainto_tsquery('english', %s)", " ".join(words)
    title = ESCAPED_IN_SQL.format("performance_indicator.title")
    return (
        RawSQL(f"performance_indicator.search_vector @@ {query}", [terms], BooleanField()),
        RawSQL(f"ts_rank(performance_indicator.search_vector, {query})", [terms], FloatField()),
        RawSQL(
            f"ts_headline('english', {title}, {query}, %s)",
            [terms, headline_options(whole=True)],
        ),
    )
