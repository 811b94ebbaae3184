"""Charts of the reports that performance.charts does not draw: a head of service's green,
amber and red counts (the Sevenoaks 2012/13 summary, Part 3a), as inline SVG.

Each bar carries its count and its status as words and symbols, not colour alone, and the SVG
has a title and a description, so a screen reader (or a black-and-white copy) loses nothing.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from performance.rules import Rag
from performance.selectors import StatusCounts

BAR_COLOURS = {Rag.GREEN: "#00703c", Rag.AMBER: "#f6c744", Rag.RED: "#d4351c", None: "#b1b4b6"}
INK = "#0b0c0c"
WIDTH, ROW, LABEL, RIGHT = 420, 30, 150, 40


@dataclass(frozen=True)
class Chart:
    element_id: str
    title: str
    description: str
    svg: SafeString


def rag_bar_chart(counts: StatusCounts, *, element_id: str, title: str) -> Chart:
    bars = [
        (f"{Rag.GREEN.symbol} Green", counts.green, BAR_COLOURS[Rag.GREEN]),
        (f"{Rag.AMBER.symbol} Amber", counts.amber, BAR_COLOURS[Rag.AMBER]),
        (f"{Rag.RED.symbol} Red", counts.red, BAR_COLOURS[Rag.RED]),
        ("No figure to judge", counts.without_data + counts.data_only, BAR_COLOURS[None]),
    ]
    description = (
        f"Bar chart: {counts.green} green, {counts.amber} amber, {counts.red} red, and "
        f"{counts.without_data + counts.data_only} without a figure to judge against a target."
        + (f" Overall: {counts.overall.label}." if counts.overall else "")
    )
    most = max([value for _, value, _ in bars] + [1])
    plot = WIDTH - LABEL - RIGHT
    height = ROW * len(bars) + 8
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="{}" '
            'height="{}" aria-labelledby="{}-title {}-desc" '
            'font-family="Report Sans, Report Symbols" font-size="12">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
            WIDTH,
            height,
            WIDTH,
            height,
            element_id,
            element_id,
            element_id,
            title,
            element_id,
            description,
        )
    ]
    for index, (label, value, colour) in enumerate(bars):
        top = 4 + index * ROW
        length = plot * value / most
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                'stroke-width="0.5"/>'
                '<text x="{}" y="{}" fill="{}" font-weight="bold">{}</text>',
                LABEL - 8,
                top + ROW / 2 + 4,
                INK,
                label,
                LABEL,
                top + 4,
                f"{length:.1f}",
                ROW - 8,
                colour,
                INK,
                LABEL + length + 6,
                top + ROW / 2 + 4,
                INK,
                value,
            )
        )
    parts.append(mark_safe("</svg>"))
    return Chart(element_id, title, description, mark_safe("".join(parts)))
