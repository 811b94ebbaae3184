"""Trend charts: well-formed SVG with a title and description, the figures in a table,
status carried by shape as well as colour, and it prints through WeasyPrint."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from performance.charts import render_trend_chart, trend_chart
from performance.periods import Period
from performance.selectors import indicator_trend
from tests import factories

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trend():
    factories.FinancialYearFactory(start_year=2011)
    year = factories.FinancialYearFactory(start_year=2012)
    indicator = factories.IndicatorFactory(
        code="NI 181",
        title="Time taken to process <Housing Benefit> claims & changes",
        unit="days",
        decimal_places=1,
        polarity="lower",
        frequency="monthly",
    )
    factories.TargetFactory(indicator=indicator, year=year, value=D(10))
    for month, value in ((4, "9.5"), (5, "10.6"), (6, "12"), (8, "10.2")):
        factories.ActualFactory(
            indicator=indicator, period_end=Period(2012, month).end_date, value=D(value)
        )
    factories.ActualFactory(
        indicator=indicator, period_end=datetime.date(2011, 4, 30), value=D("13.1")
    )
    return indicator_trend(indicator=indicator, year=year, as_at=Period(2012, 8))


def test_the_svg_is_well_formed_and_labelled(trend):
    chart = trend_chart(trend)
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == (
        "NI 181 Time taken to process <Housing Benefit> claims & changes: 2012/13"
    )
    assert desc.text == (
        "Line chart of NI 181 by month, April 2012 to March 2013: actual against target "
        "(lower is better), with the same period last year. 4 of 12 periods reported. "
        "Latest, August 2012: 10.2 days against a target of 10.0 days, amber."
    )


def test_each_reported_point_has_its_status_as_a_shape_and_a_tooltip(trend):
    root = ET.fromstring(str(trend_chart(trend).svg))
    points = root.findall(f".//{SVG}g[@class='trend-chart__point']")
    tips = [point.find(f"{SVG}title").text for point in points]
    assert tips == [
        "April 2012: 9.5 days against 10.0 days, Green",
        "May 2012: 10.6 days against 10.0 days, Amber",
        "June 2012: 12.0 days against 10.0 days, Red",
        "August 2012: 10.2 days against 10.0 days, Amber",
    ]
    shapes = [point[1].tag.removeprefix(SVG) for point in points]
    assert shapes == ["circle", "polygon", "circle", "polygon"]
    assert points[0].find(f"{SVG}path") is not None, "green carries a tick"


def test_the_actual_line_breaks_where_a_figure_is_missing(trend):
    root = ET.fromstring(str(trend_chart(trend).svg))
    actual = root.find(f".//{SVG}g[@data-series='Actual']")
    # April to June joined; July missing; August on its own
    assert [child.tag.removeprefix(SVG) for child in actual] == ["polyline", "circle"]
    assert len(actual[0].get("points").split()) == 3


def test_the_table_has_the_same_figures(trend):
    rows = trend_chart(trend).rows
    assert len(rows) == 12
    assert (rows[0].period, rows[0].target, rows[0].actual, rows[0].status) == (
        "April 2012",
        "10.0 days",
        "9.5 days",
        "✓ Green",
    )
    assert rows[0].last_year == "13.1 days"
    assert (rows[3].actual, rows[3].status) == ("", "Awaited")
    assert (rows[8].actual, rows[8].status) == ("", "Not due")


def test_the_partial_renders_chart_and_table_escaped(trend):
    html = str(render_trend_chart(trend))
    assert html.count("<svg") == 1 and "<table" in html
    assert "&lt;Housing Benefit&gt; claims &amp; changes" in html
    assert "<Housing Benefit>" not in html
    assert '<th scope="row">August 2012</th>' in html
    assert "▲ Amber" in html


def test_a_chart_without_figures_says_so(trend):
    indicator = factories.IndicatorFactory(frequency="annual", unit="%", decimal_places=None)
    empty = indicator_trend(indicator=indicator, year=trend.year)
    chart = trend_chart(empty)
    root = ET.fromstring(str(chart.svg))
    assert "No figures have been reported for 2012/13 yet." in root.find(f"{SVG}desc").text
    assert len(chart.rows) == 1


def test_the_chart_prints_through_weasyprint(trend):
    from weasyprint import HTML

    document = HTML(
        string=f"<html><body><h1>Trend</h1>{render_trend_chart(trend)}</body></html>"
    ).render()
    assert len(document.pages) == 1

    def boxes(box):
        yield box
        for child in getattr(box, "children", []):
            yield from boxes(child)

    kinds = {type(box).__name__ for box in boxes(document.pages[0]._page_box)}
    assert "InlineReplacedBox" in kinds or "BlockReplacedBox" in kinds, "the SVG was drawn"
    assert document.write_pdf().startswith(b"%PDF")


@pytest.mark.parametrize("places", [0, 1, 2])
def test_axis_labels_never_repeat_at_the_indicators_precision(places):
    from decimal import Decimal

    from performance.charts import _scale, _tick_value
    from performance.formatting import number

    low, high, step = _scale([Decimal("6"), Decimal("7"), Decimal("6.5")], places=places)
    labels, tick = [], low
    while tick <= high + step / 1000:
        labels.append(number(_tick_value(tick), places))
        tick += step
    assert len(labels) == len(set(labels)), labels
