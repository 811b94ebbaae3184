"""The Report base class and the registry of reports.

Like pretix's exporters: a report has a slug, a title, a form for its parameters, and
`render()` returning (file name, content type, bytes). The web page, the admin and
`manage.py export_report` find reports here and all go through the same three steps:

    data()   plain Python objects from the selectors of plans, performance and budgets
    html()   the Django template, a complete HTML document (previewable in a browser)
    render() the PDF, through pdf.html_to_pdf (WeasyPrint)

A report is built from form data (strings, as a browser or the command line sends them), so
the same dict can be stored with a background job and validated again by the worker.
"""

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.template.loader import render_to_string
from django.utils.text import slugify

from organisation.council import council_settings
from reports import pdf

# progress(per_cent, message): how far a render has got, for the page that shows it.
Progress = Callable[[int, str], None]


def no_progress(per_cent: int, message: str) -> None:
    """The default: nobody is watching."""


class ReportParametersInvalid(ValueError):
    """The parameters do not make a report; `errors` says which and why, by field."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(
            "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        )


@dataclass(frozen=True)
class RenderedReport:
    filename: str
    content_type: str
    content: bytes
    page_count: int | None = None

    def __iter__(self):
        # (file name, content type, bytes), as pretix's exporters return.
        return iter((self.filename, self.content_type, self.content))


class Report:
    slug: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    form_class: ClassVar[type[forms.Form]]
    template_name: ClassVar[str]
    # Rendered on the task queue from the web (a committee pack takes seconds); a report that
    # is quick enough could be rendered in the request instead.
    background: ClassVar[bool] = True
    # Also offered as a Word document (reports.docx), made in the request: under a second.
    word: ClassVar[bool] = False
    # Templates list report classes; a class is callable, and they must not call it.
    do_not_call_in_templates: ClassVar[bool] = True

    def __init__(self, cleaned_data: dict[str, Any], form_data: dict[str, Any]):
        self.options = cleaned_data
        self.form_data = form_data

    @classmethod
    def from_form_data(cls, data: dict[str, Any], **form_kwargs) -> "Report":
        """A report from form data; ReportParametersInvalid if the form refuses it."""
        form = cls.form_class(data, **form_kwargs)
        if not form.is_valid():
            raise ReportParametersInvalid(
                {
                    field: [str(message) for message in messages]
                    for field, messages in form.errors.items()
                }
            )
        return cls(
            form.cleaned_data, {name: data.get(name) for name in form.fields if name in data}
        )

    # --- what the report is about; subclasses say -------------------------------------------

    def document_title(self) -> str:
        """The title on the cover, in the running header and in the PDF's metadata."""
        raise NotImplementedError

    def file_stem(self) -> str:
        return slugify(self.document_title())

    def pdf_filename(self) -> str:
        return f"{self.file_stem()}.pdf"

    def data(self, progress: Progress = no_progress) -> dict[str, Any]:
        raise NotImplementedError

    # --- what members may read of it; subclasses that show plans or figures say ---------------

    def unpublished_content(self) -> list[str]:
        """What the report includes that members may not read, one sentence each ("Licensing
        2012/13 (revision started on 3 October 2012) is submitted, not published."). Reviewers
        may generate such a report; it is never published to members
        (reports.tasks.publish_report)."""
        return []

    def plans_covered(self) -> list[Any]:
        """The plan versions whose content the report shows (ServicePlan objects). Recorded on
        the stored report when its render finishes, so a pack of a version that has since been
        superseded says so."""
        return []

    # --- the shared steps ------------------------------------------------------------------

    def context(self, data: dict[str, Any]) -> dict[str, Any]:
        council = council_settings()
        return {
            **data,
            "report": self,
            "document_title": self.document_title(),
            "council": council,
            "council_name": council.name,
            "brand_colour": council.report_colour,
            "logo": pdf.logo_data_uri(),
            "stylesheet_url": pdf.static_url("css/reports.css"),
        }

    def html(
        self, data: dict[str, Any] | None = None, *, preview: bool = False, nonce: str = ""
    ) -> str:
        """The report as a complete HTML document. `preview` adds a note on screen that the
        browser shows the content, not the PDF's pages; `nonce` is the page's
        Content-Security-Policy nonce, which lets a browser apply the inline brand colour."""
        data = self.data() if data is None else data
        return render_to_string(
            self.template_name, {**self.context(data), "preview": preview, "nonce": nonce}
        )

    def render(self, progress: Progress = no_progress) -> RenderedReport:
        progress(2, "Gathering the figures")
        return self.render_data(self.data(progress), progress)

    def render_data(
        self, data: dict[str, Any], progress: Progress = no_progress, *, html: str | None = None
    ) -> RenderedReport:
        """The PDF of data() (and of its html(), when the caller has it already)."""
        progress(15, "Writing the pages")
        html = self.html(data) if html is None else html
        result = pdf.html_to_pdf(html, progress=lambda n, m: progress(20 + n * 78 // 100, m))
        progress(100, f"Ready: {result.page_count} pages")
        return RenderedReport(
            filename=self.pdf_filename(),
            content_type="application/pdf",
            content=result.content,
            page_count=result.page_count,
        )


def fingerprint(html: str) -> str:
    """What decides a report's PDF: its HTML (every figure and word, the council's name, logo
    and colour, the stylesheet's URL) and the renderer (PDF_ENGINE: WeasyPrint's version and
    the tagging's). Two renders with the same fingerprint make the same document, so the
    second can reuse the first's file (reports.tasks.generate_report). The stylesheet's and
    templates' own changes come with a release: RENDERER_VERSION says so."""
    digest = hashlib.sha256()
    digest.update(f"{pdf.engine_version()}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


def content_fingerprint(html: str) -> str:
    """What a report shows (its HTML and the stylesheet it links), whatever version of
    WeasyPrint or the tagging lays it out: what an administrator checked when releasing it to
    residents (a newer engine's file of the same content stays released)."""
    digest = hashlib.sha256()
    digest.update(f"stylesheet {pdf.stylesheet_digest()}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


# How a sentence names a plan's status: "… is submitted, not published."
STATUS_WORDS = {
    "draft": "a draft",
    "submitted": "submitted",
    "returned": "returned for changes",
    "approved": "approved",
    "superseded": "superseded",
}


def plan_not_published(plan) -> str:
    """ "Licensing 2012/13 (revision started on 3 October 2012) is submitted, not published." """
    status = STATUS_WORDS.get(plan.status, plan.get_status_display().lower())
    return f"{plan} is {status}, not published."


REPORTS: dict[str, type[Report]] = {}


def register(report_class: type[Report]) -> type[Report]:
    if report_class.slug in REPORTS:
        raise ValueError(f"A report is already registered as {report_class.slug!r}.")
    REPORTS[report_class.slug] = report_class
    return report_class


def get_report(slug: str) -> type[Report]:
    _load_reports()
    try:
        return REPORTS[slug]
    except KeyError:
        raise KeyError(f"No report {slug!r}; the reports are: {', '.join(REPORTS)}.") from None


def all_reports() -> list[type[Report]]:
    _load_reports()
    return list(REPORTS.values())


def _load_reports() -> None:
    # Importing the modules registers their classes, in the order the Reports page lists them.
    for name in REPORT_MODULES:
        importlib.import_module(name)


REPORT_MODULES = (
    "reports.service_plan",
    "reports.committee_summary",
    "reports.covering_report",
    "reports.booklet",
    "reports.monitoring_report",
)
