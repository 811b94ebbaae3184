"""Charts as pictures: a report's inline SVG chart drawn as a PNG, for its Word document.

Word shows SVG only in its newest versions, and python-docx writes raster pictures, so each chart
goes in as a PNG at Word's own default resolution for pictures (220 pixels to the inch: sharp on
paper, and what Word would keep if a clerk compressed the pictures).

resvg (the resvg-py wheel: a Rust renderer, no system library) draws it with the reports' own
font files, those reports.css gives WeasyPrint for the PDF, and with no others: the picture
carries the same letters, figures and symbols (✓ ▲ ●) as the chart in the PDF, whatever fonts the
machine has. resvg knows a font by the family name inside its file, not by the name the
stylesheet gives it, hence FONT_FAMILIES.
"""

import copy
import functools
import logging

import resvg_py
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from docx.shared import Emu, Length, Mm
from lxml import etree

logger = logging.getLogger(__name__)

DPI = 220
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
CSS_PIXEL = Emu(9525)  # 1/96 inch, the unit of an SVG's width without one
# reports.css's @font-face names, and the families of the files behind them.
FONT_FAMILIES = {"Report Sans": "Liberation Sans", "Report Symbols": "DejaVu Sans"}
FALLBACK_FAMILIES = ["Liberation Sans", "DejaVu Sans"]
FONT_FILES = [
    "fonts/LiberationSans-Regular.ttf",
    "fonts/LiberationSans-Bold.ttf",
    "fonts/DejaVuSans-Symbols.ttf",
    "fonts/DejaVuSans-Bold-Symbols.ttf",
]
# The HTML parser lower-cases attribute names; SVG's are case-sensitive.
CAMEL_CASE_ATTRIBUTES = {
    name.lower(): name for name in ("viewBox", "preserveAspectRatio", "textLength")
}
# The widths reports.css gives a chart in the PDF, by its figure's class; other charts print at
# their own size.
PRINTED_WIDTHS = {"trend-chart": Mm(92)}


class ChartNotDrawn(Exception):
    pass


def printed_width(svg, figure_classes: set[str], *, most: Length) -> Length:
    """The chart's width in the PDF, within `most` (the page's text width)."""
    for name, width in PRINTED_WIDTHS.items():
        if name in figure_classes:
            return Emu(min(width, most))
    try:
        own = float(svg.get("width") or "")
    except ValueError:
        return Emu(most)
    return Emu(min(round(own * CSS_PIXEL), most))


def chart_png(svg, *, width: Length) -> bytes:
    """The chart (an <svg> element of the report's HTML) as a PNG `width` wide at DPI."""
    try:
        return bytes(
            resvg_py.svg_to_bytes(
                svg_string=_standalone(svg),
                width=round(width.inches * DPI),
                # Opaque, as on the PDF's page: Word's dark mode would show black text on dark.
                background="white",
                font_files=_font_files(),
                skip_system_fonts=True,
                font_family=FALLBACK_FAMILIES[0],
                sans_serif_family=FALLBACK_FAMILIES[0],
            )
        )
    except ValueError as error:  # resvg's word for markup or a size it cannot draw
        raise ChartNotDrawn(str(error)) from error


def _standalone(svg) -> str:
    """The <svg> element as an SVG file: its namespace, its attributes' own case, our fonts."""
    svg = copy.deepcopy(svg)
    for element in svg.iter():
        if not isinstance(element.tag, str):
            continue
        for lower, proper in CAMEL_CASE_ATTRIBUTES.items():
            if lower in element.attrib:
                element.set(proper, element.attrib.pop(lower))
        if element.get("font-family"):
            element.set("font-family", _font_family(element.get("font-family")))
    svg.set("xmlns", SVG_NAMESPACE)
    return etree.tostring(svg, encoding="unicode", with_tail=False)


def _font_family(value: str) -> str:
    families = [name.strip().strip("'\"") for name in value.split(",")]
    ours = [FONT_FAMILIES[name] for name in families if name in FONT_FAMILIES]
    return ", ".join(dict.fromkeys(ours + FALLBACK_FAMILIES))


@functools.cache
def _font_files() -> list[str]:
    files = []
    for name in FONT_FILES:
        found = finders.find(name)
        if not found and staticfiles_storage.exists(name):  # after collectstatic (production)
            found = staticfiles_storage.path(name)
        if not found:
            logger.warning("The charts' font %s is missing: their text may not show", name)
            continue
        files.append(str(found))
    return files
