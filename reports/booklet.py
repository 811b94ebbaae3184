"""The key performance information booklet, as councils publish it: every indicator of a year as
at a month, for the committee that monitors performance.

Exceptions first: the red indicators of the whole council, with their commentary, then a
summary of green, amber and red by head of service, then every indicator by head of service and
service (red first within each service, then amber, green, and those without a colour), with
target, actual, RAG, forecast outturn, direction of travel and commentary.
"""

from dataclasses import dataclass, field

from django import forms
from django.template.loader import render_to_string

from organisation.models import FinancialYear, HeadOfService, Service
from performance import selectors as performance
from performance.rules import Rag
from plans.models import ServicePlan
from reports import joining, pdf
from reports.base import Progress, RenderedReport, Report, no_progress, register
from reports.forms import MonthField, YearField, check_month_in_year

# A booklet listing more indicators than this is laid out in parts of about this many (35 to 80
# pages each, with or without commentary; reports.joining).
PART_INDICATORS = 300

# Within a service: exceptions first.
STATUS_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


class BookletForm(forms.Form):
    year = YearField(help_text="The financial year.")
    as_at = MonthField(label="As at", help_text="Month like 2012-08.")
    head_of_service = forms.ModelChoiceField(
        queryset=HeadOfService.objects.all(),
        required=False,
        to_field_name="pk",
        help_text="Blank: every head of service.",
    )
    corporate_only = forms.BooleanField(
        required=False, label="Corporate indicators only", help_text="Leave out service ones."
    )

    def clean(self):
        cleaned = super().clean()
        check_month_in_year(self)
        return cleaned


@dataclass
class ServiceIndicators:
    service: Service
    statuses: list[performance.IndicatorStatus]
    counts: performance.StatusCounts


@dataclass
class PortfolioIndicators:
    head_of_service: HeadOfService
    services: list[ServiceIndicators] = field(default_factory=list)
    counts: performance.StatusCounts = field(default_factory=performance.StatusCounts)

    @property
    def anchor(self) -> str:
        return f"head-{self.head_of_service.pk}"


@register
class KpiBookletReport(Report):
    slug = "kpi-booklet"
    title = "Key performance information booklet"
    description = (
        "Every indicator of a year as at a month, by head of service and service: target, "
        "actual, RAG, forecast, direction of travel and commentary; exceptions first."
    )
    form_class = BookletForm
    template_name = "reports/booklet.html"

    def document_title(self) -> str:
        as_at = self.options["as_at"]
        scope = "Corporate performance" if self.options.get("corporate_only") else "Key performance"
        head = self.options.get("head_of_service")
        suffix = f" – {head}" if head else ""
        return f"{scope} information {as_at.month_label}{suffix}"

    def listed_services(self):
        """The services the booklet lists: those with an indicator reported in the year (of
        the head of service chosen; corporate ones only if asked)."""
        indicators = performance.indicators_reported_in(self.options["year"])
        if head := self.options.get("head_of_service"):
            indicators = indicators.filter(service__head_of_service=head)
        if self.options.get("corporate_only"):
            indicators = indicators.filter(is_corporate=True)
        return Service.objects.filter(pk__in=indicators.values("service_id"))

    def unpublished_content(self) -> list[str]:
        # Members read a service's figures for a year once its plan for the year is published
        # (plans.access.services_readable_by).
        year = self.options["year"]
        published = ServicePlan.objects.published().filter(year=year)
        unpublished = self.listed_services().exclude(pk__in=published.values("service_id"))
        return [
            f"The indicators of {service} are included, but its {year} plan is not published."
            for service in unpublished.order_by("name")
        ]

    def plans_covered(self) -> list[ServicePlan]:
        return list(
            ServicePlan.objects.published().filter(
                year=self.options["year"], service__in=self.listed_services()
            )
        )

    def data(self, progress: Progress = no_progress) -> dict:
        year: FinancialYear = self.options["year"]
        as_at = self.options["as_at"]
        head = self.options.get("head_of_service")
        services = (
            list(Service.objects.filter(head_of_service=head).select_related("head_of_service"))
            if head
            else None
        )
        progress(5, "Reading every indicator's figures")
        statuses = performance.indicator_statuses(
            year=year,
            as_at=as_at,
            services=services,
            corporate_only=bool(self.options.get("corporate_only")),
        )
        portfolios: dict[int, PortfolioIndicators] = {}
        by_service: dict[int, ServiceIndicators] = {}
        for status in statuses:
            service = status.indicator.service
            portfolio = portfolios.setdefault(
                service.head_of_service_id, PortfolioIndicators(service.head_of_service)
            )
            if service.pk not in by_service:
                by_service[service.pk] = ServiceIndicators(service, [], performance.StatusCounts())
                portfolio.services.append(by_service[service.pk])
            by_service[service.pk].statuses.append(status)
            by_service[service.pk].counts.add(status.rag)
            portfolio.counts.add(status.rag)
        for entry in by_service.values():
            entry.statuses.sort(key=lambda s: (STATUS_ORDER.get(s.rag, 3), s.indicator.code))
        total = performance.StatusCounts()
        for portfolio in portfolios.values():
            total += portfolio.counts
        portfolios_list = list(portfolios.values())
        return {
            "year": year,
            "as_at": as_at,
            "exceptions": [status for status in statuses if status.rag == Rag.RED],
            "portfolios": portfolios_list,
            "detailed": portfolios_list,  # the heads of service whose indicators are listed
            "total": total,
            "indicator_count": len(statuses),
            "cover_title": self.document_title(),
            "cover_subtitle": f"Performance indicators {year}, as at {as_at.month_label}",
            "contents": [
                ("exceptions", "Exceptions: indicators missing target by 10% or more", 1),
                ("summary", "Summary by head of service", 1),
            ]
            + [(p.anchor, str(p.head_of_service), 1) for p in portfolios_list],
        }

    def render_data(
        self, data: dict, progress: Progress = no_progress, *, html: str | None = None
    ) -> RenderedReport:
        """A booklet of more than PART_INDICATORS indicators is laid out in parts, joined into
        one document (reports.joining): WeasyPrint keeps every page of a document in memory
        until it is written, about 4 MB a page of indicators. The parts are the front (cover and
        contents), the overview (exceptions and summary), then heads of service a few at a
        time. A part's pages have no numbers: they are drawn over the joined booklet, "Page N of
        M", once the total is known."""
        groups = portfolio_groups(data["portfolios"], PART_INDICATORS)
        if len(groups) <= 1:
            return super().render_data(data, progress, html=html)
        progress(15, "Writing the pages")
        placeholder = {anchor: 9999 for anchor, _title, _level in data["contents"]}
        front_pages = self._pdf_part(data, "front", contents=placeholder).page_count
        first_page, anchors, bodies = front_pages + 1, {}, []
        parts = [("overview", [])] + [("portfolios", group) for group in groups]
        for number, (part, detailed) in enumerate(parts, start=1):
            progress(
                20 + 75 * number // (len(parts) + 1),
                f"Laying out part {number} of {len(parts)} from page {first_page}",
            )
            result = self._pdf_part(data, part, first_page=first_page, detailed=detailed)
            for anchor, index in joining.anchor_pages(result.content).items():
                anchors[anchor] = first_page + index
            bodies.append(result.content)
            first_page += result.page_count
        front = self._pdf_part(data, "front", contents=anchors)
        if front.page_count != front_pages:  # the page numbers in the contents moved them
            raise RuntimeError("The booklet's contents took more pages than laid out for them.")
        progress(97, "Joining the parts and numbering their pages")
        content = joining.join_tagged_pdfs(
            [front.content, *bodies], page_numbers=lambda shapes: self._page_numbers(data, shapes)
        )
        progress(100, f"Ready: {first_page - 1} pages")
        return RenderedReport(
            filename=f"{self.file_stem()}.pdf",
            content_type="application/pdf",
            content=content,
            page_count=first_page - 1,
        )

    def _page_numbers(self, data: dict, shapes: list[str]) -> bytes:
        """The page numbers of the joined booklet, on pages of their own (reports.joining)."""
        context = {**self.context(data), "shapes": shapes}
        return pdf.html_to_untagged_pdf(render_to_string("reports/page_numbers.html", context))

    def _pdf_part(self, data: dict, part: str, *, contents=None, first_page=1, detailed=()):
        context = {**data, "part": part, "first_page": first_page, "detailed": detailed}
        if contents is not None:
            context["part_link"] = joining.PART_LINK
            context["contents_pages"] = [
                (anchor, title, contents.get(anchor, ""))
                for anchor, title, _level in data["contents"]
            ]
        return pdf.html_to_pdf(self.html(context))


def portfolio_groups(
    portfolios: list[PortfolioIndicators], indicators: int
) -> list[list[PortfolioIndicators]]:
    """The heads of service in groups of about `indicators` indicators (a head of service with
    more has a group to themselves)."""
    groups: list[list[PortfolioIndicators]] = [[]]
    listed = 0
    for portfolio in portfolios:
        count = sum(len(entry.statuses) for entry in portfolio.services)
        if groups[-1] and listed + count > indicators:
            groups.append([])
            listed = 0
        groups[-1].append(portfolio)
        listed += count
    return [group for group in groups if group]
