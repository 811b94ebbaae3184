"""Trend charts: an indicator's actuals against target by period, as server-rendered SVG.

Plain inline SVG and no JavaScript: it prints in a PDF (WeasyPrint draws inline SVG), works
on an intranet without internet, and reads on a screen reader through its <title> and
<desc>. The same figures go in a table beside it (templates/performance/_trend_chart.html),
and each point's status is drawn as a shape as well as a colour (the Sevenoaks 2012/13 summary: ✓
green, ▲ amber,
● red), so neither the chart nor the table depends on colour alone.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from performance import periods
from performance.periods import Frequency
from performance.rules import Rag
from performance.selectors import Trend, TrendPoint

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 64
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICKS = 5

# GOV.UK palette: strong enough contrast on white for lines and shapes.
INK, GRID, TARGET, LAST_YEAR, ACTUAL = "#0b0c0c", "#b1b4b6", "#505a5f", "#b1b4b6", "#1d70b8"
RAG_COLOURS = {Rag.GREEN: "#00703c", Rag.AMBER: "#b35c00", Rag.RED: "#d4351c"}

PERIOD_WORDS = {
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.HALF_YEARLY: "half-year",
    Frequency.ANNUAL: "year",
}


@dataclass(frozen=True)
class TableRow:
    period: str
    target: str
    actual: str
    status: str
    last_year: str


@dataclass(frozen=True)
class TrendChart:
    element_id: str
    title: str
    description: str
    svg: SafeString
    rows: list[TableRow]


def trend_chart(trend: Trend) -> TrendChart:
    """The chart and the rows of its table, for templates/performance/_trend_chart.html."""
    indicator = trend.indicator
    element_id = f"trend-{indicator.pk}-{trend.year.start_year}"
    title = f"{indicator.code} {indicator.title}: {trend.year.label}"
    description = _description(trend)
    rows = [
        TableRow(
            period=periods.describe(indicator.frequency, point.period),
            target=trend.show(point.target),
            actual=trend.show(point.actual)
            + (" (estimate)" if point.state == "estimate" and point.actual is not None else ""),
            status=_status_text(point.rag),
            last_year=trend.show(point.last_year),
        )
        for point in trend.points
    ]
    svg = _svg(trend, element_id, title, description)
    return TrendChart(element_id, title, description, svg, rows)


def render_trend_chart(trend: Trend) -> SafeString:
    """The chart with its table, as HTML for a page or a PDF."""
    return mark_safe(
        render_to_string("performance/_trend_chart.html", {"chart": trend_chart(trend)})
    )


def _status_text(status: Rag) -> str:
    return f"{status.symbol} {status.label}" if status.is_colour else status.label


def _description(trend: Trend) -> str:
    indicator = trend.indicator
    word = PERIOD_WORDS[Frequency(indicator.frequency)]
    polarity = indicator.get_polarity_display().lower()
    reported = [point for point in trend.points if point.actual is not None]
    text = (
        f"Line chart of {indicator.code} by {word}, April {trend.year.start_year} to March "
        f"{trend.year.start_year + 1}: actual against target ({polarity})"
        + (", with the same period last year" if any(p.last_year for p in trend.points) else "")
        + ". "
    )
    if not reported:
        return text + f"No figures have been reported for {trend.year.label} yet."
    latest = reported[-1]
    against = f" against a target of {trend.show(latest.target)}" if latest.target else ""
    return text + (
        f"{len(reported)} of {len(trend.points)} periods reported. Latest, "
        f"{periods.describe(indicator.frequency, latest.period)}: "
        f"{trend.show(latest.actual)}{against}, {latest.rag.label.lower()}."
    )


def _svg(trend: Trend, element_id: str, title: str, description: str) -> SafeString:
    points = trend.points
    values = [
        value
        for point in points
        for value in (point.actual, point.target, point.last_year)
        if value is not None
    ]
    low, high, step = _scale(values, places=trend.indicator.decimal_places)

    def x(index: int) -> float:
        if len(points) == 1:
            return LEFT + PLOT_WIDTH / 2
        return LEFT + PLOT_WIDTH * (index + 0.5) / len(points)

    def y(value: Decimal) -> float:
        return TOP + PLOT_HEIGHT * (1 - (float(value) - low) / (high - low))

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart__svg" role="img" '
            'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="{}-title {}-desc" '
            'font-family="Arial, Helvetica, sans-serif" font-size="12">',
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            element_id,
            element_id,
        ),
        format_html('<title id="{}-title">{}</title>', element_id, title),
        format_html('<desc id="{}-desc">{}</desc>', element_id, description),
    ]
    # Grid and the y axis labels, in the indicator's unit.
    tick = low
    while tick <= high + step / 1000:
        ty = y(Decimal(str(tick)))
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _f(ty),
                _f(ty),
                GRID,
                LEFT - 6,
                _f(ty + 4),
                INK,
                trend.show(_tick_value(tick)),
            )
        )
        tick += step
    for index, point in enumerate(points):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _f(x(index)),
                HEIGHT - BOTTOM + 18,
                INK,
                point.period.short_label,
            )
        )
    parts.append(_line(points, "last_year", x, y, LAST_YEAR, "", "Same period last year"))
    parts.append(_line(points, "target", x, y, TARGET, ' stroke-dasharray="6 4"', "Target"))
    parts.append(_line(points, "actual", x, y, ACTUAL, "", "Actual"))
    for index, point in enumerate(points):
        if point.actual is not None:
            parts.append(_marker(point, x(index), y(point.actual), trend))
    parts.append(_legend())
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def _line(points: list[TrendPoint], name: str, x, y, colour: str, dash: str, label: str) -> str:
    """A polyline per run of periods with a figure: a gap where one is missing."""
    runs: list[list[str]] = [[]]
    for index, point in enumerate(points):
        value = getattr(point, name)
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{_f(x(index))},{_f(y(value))}")
    lines = []
    for run in filter(None, runs):
        if len(run) == 1:
            cx, cy = run[0].split(",")
            lines.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
        else:
            lines.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="{3 if name == "actual" else 2}"{dash}/>'
            )
    if not lines:
        return ""
    return f'<g aria-hidden="true" data-series="{escape(label)}">' + "".join(lines) + "</g>"


def _marker(point: TrendPoint, cx: float, cy: float, trend: Trend) -> str:
    """The point's status as a shape and a colour: ✓ green, ▲ amber, ● red; a plain dot
    when there is no target to judge it by."""
    status = point.rag
    colour = RAG_COLOURS.get(status, ACTUAL)
    if status == Rag.GREEN:
        shape = (
            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="7" fill="white" stroke="{colour}" '
            f'stroke-width="2"/><path d="M{_f(cx - 4)},{_f(cy)} l3,3 l5,-6" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    elif status == Rag.AMBER:
        shape = (
            f'<polygon points="{_f(cx)},{_f(cy - 7)} {_f(cx + 7)},{_f(cy + 5)} '
            f'{_f(cx - 7)},{_f(cy + 5)}" fill="{colour}"/>'
        )
    elif status == Rag.RED:
        shape = f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="6" fill="{colour}"/>'
    else:
        shape = f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="4" fill="{colour}"/>'
    against = f" against {trend.show(point.target)}" if point.target is not None else ""
    tip = f"{point.period.month_label}: {trend.show(point.actual)}{against}, {status.label}"
    return f'<g class="trend-chart__point"><title>{escape(tip)}</title>{shape}</g>'


def _legend() -> str:
    top = HEIGHT - 22
    items = [
        ("Actual", ACTUAL, "", 3),
        ("Target", TARGET, ' stroke-dasharray="6 4"', 2),
        ("Same period last year", LAST_YEAR, "", 2),
    ]
    parts = ['<g aria-hidden="true">']
    left = LEFT
    for label, colour, dash, width in items:
        parts.append(
            f'<line x1="{left}" x2="{left + 24}" y1="{top}" y2="{top}" stroke="{colour}" '
            f'stroke-width="{width}"{dash}/>'
            f'<text x="{left + 30}" y="{top + 4}" fill="{INK}">{label}</text>'
        )
        left += 40 + 7 * len(label)
    parts.append(f'<text x="{left}" y="{top + 4}" fill="{INK}">✓ green  ▲ amber  ● red</text></g>')
    return "".join(parts)


def _scale(values: list[Decimal], places: int | None = None) -> tuple[float, float, float]:
    """Round-number bounds and step for the y axis, with the figures inside.

    The step is never finer than the indicator prints its figures, so no two axis labels
    read the same (a step of 0.5 for a whole-number indicator would label 6%, 6%, 7%)."""
    if not values:
        return 0.0, 1.0, 0.25
    low, high = float(min(values)), float(max(values))
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw_step = (high - low) / (TICKS - 1)
    if places is not None:
        raw_step = max(raw_step, 10.0**-places)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    steps = (1, 2, 5, 10) if places == 0 or raw_step >= 1 else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw_step)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if low < 0 <= float(min(values)):
        low = 0.0
    return low, high, step


def _tick_value(tick: float) -> Decimal:
    # Six places hide the float noise of repeated addition (0.30000000000000004).
    return Decimal(str(round(tick, 6)))


def _f(number: float) -> str:
    """Coordinates to a tenth of a pixel: short markup, no float noise."""
    return f"{number:.1f}"
