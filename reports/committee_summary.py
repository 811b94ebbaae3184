"""Summary of service plans for a committee and year: the Sevenoaks 2012/13 summary's layout.

The guidance page (head of service × service × select committee matrix with ticks and scope
notes; what each part of the summary means), then for each head of service with a service the
committee reviews:

    Part 1   key objectives of each service's published plan (services reviewed only by other
             committees say so instead)
    Part 2a  staff (full-time equivalents)         budgets.staffing_table
    Part 2b  net budget over three years           budgets.budget_table
    Part 2c  savings plan with its TOTAL row       budgets.savings_plan_table
    Part 3a  performance of the head of service    performance.head_of_service_summaries
    Part 3b  green/amber/red counts per service, with the overall status
    Part 3c  budget risks, or the council's "no significant budget risks" sentence

A portfolio whose key objectives would not fit one summary is continued on a second one, as the
Sevenoaks summary does for Legal & Democratic Services: its services are divided in name order, its
tables
too, each part ending with a TOTAL of its own rows and the last with the whole portfolio's total
("Legal & Democratic Services Total"), so nobody adds up across pages.
"""

import math
from dataclasses import dataclass, field

from django import forms
from django.db.models import Prefetch

from budgets import selectors as budgets
from organisation.models import Committee, CommitteeReview, FinancialYear, HeadOfService, Service
from performance import selectors as performance
from performance.periods import Period
from plans.models import Objective, ServicePlan
from reports import charts
from reports.base import Progress, Report, no_progress, register
from reports.forms import MonthField, YearField, check_month_in_year

# About as many key objectives as fill the first page of a summary in the Sevenoaks layout:
# its longest single summary (Finance & HR) has 16, and the one it continues (Legal &
# Democratic Services) has 20.
OBJECTIVES_PER_SUMMARY = 16


class CommitteeSummaryForm(forms.Form):
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.all(), help_text="The committee the summary is for."
    )
    year = YearField(help_text="The year of the service plans.")
    as_at = MonthField(label="Performance as at", help_text="Month like 2012-08.")
    savings_grouped_from = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        label="Savings: group past years from",
        help_text="Start year of the first grouped year (2008 for 2008/09). Blank: the first year "
        "of the council's savings recorded for the years before the single-year columns (four "
        "years before the plans' year when there are none).",
    )
    savings_grouped_to = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        label="Savings: group past years to",
        help_text="Start year of the last grouped year (2009 for 2009/10). Blank: where those "
        "savings end (three years before the plans' year when there are none).",
    )
    savings_grouped_label = forms.CharField(
        required=False,
        max_length=20,
        label="Savings: heading of the grouped column",
        help_text='Blank: like "2008 - 10".',
    )
    objectives_per_summary = forms.IntegerField(
        initial=OBJECTIVES_PER_SUMMARY,
        required=False,
        min_value=4,
        max_value=100,
        help_text="A head of service with more key objectives than this is continued on a "
        "second summary.",
    )

    def clean(self):
        cleaned = super().clean()
        check_month_in_year(self)
        year = cleaned.get("year")
        if year:
            # Each year not given comes from the council's own savings (budgets decides).
            default_first, default_last = budgets.savings_grouped_years(year=year)
            first = cleaned.get("savings_grouped_from") or default_first
            last = cleaned.get("savings_grouped_to") or default_last
            if last < first:
                self.add_error("savings_grouped_to", "The grouped years are reversed.")
            elif last >= year.start_year - 1:
                first_single = FinancialYear(start_year=year.start_year - 1)
                self.add_error(
                    "savings_grouped_to", f"The grouped years must end before {first_single}."
                )
            cleaned["savings_grouped_from"], cleaned["savings_grouped_to"] = first, last
            cleaned["savings_grouped_label"] = (
                cleaned.get("savings_grouped_label") or f"{first} - {(last + 1) % 100:02d}"
            )
        cleaned["objectives_per_summary"] = (
            cleaned.get("objectives_per_summary") or OBJECTIVES_PER_SUMMARY
        )
        return cleaned


@dataclass
class ServiceEntry:
    """A service in Part 1: its key objectives if this committee reviews it, else who does."""

    service: Service
    review: CommitteeReview | None  # this committee's review of the service
    other_reviews: list[CommitteeReview]
    plan: ServicePlan | None  # the published plan of the year
    objectives: list[Objective] = field(default_factory=list)

    @property
    def is_reviewed(self) -> bool:
        return self.review is not None

    @property
    def reviewed_elsewhere(self) -> str:
        """ "Reviewed by Environment Select Committee & Social Affairs Select Committee"."""
        return "Reviewed by " + " & ".join(_review_name(r) for r in self.other_reviews)

    @property
    def also_reviewed(self) -> str:
        """ "Also reviewed by Environment Select Committee (Street Cleaning)"."""
        return "Also reviewed by " + " and ".join(_review_name(r) for r in self.other_reviews)


def _review_name(review: CommitteeReview) -> str:
    scope = f" ({review.scope_note})" if review.scope_note else ""
    return f"{review.committee.name}{scope}"


@dataclass
class PortfolioSummary:
    """One head of service's summary, or one part of it when it is continued."""

    head_of_service: HeadOfService
    part: int
    parts: int
    services: list[ServiceEntry]
    staffing: budgets.FigureTable
    budget: budgets.FigureTable
    savings: budgets.FigureTable
    performance: performance.HeadOfServiceSummary  # the whole portfolio: Part 3a
    service_performance: list[performance.ServiceSummary]  # this part's services: Part 3b
    risks: budgets.BudgetRisks | None  # None: the sentence below
    no_risks_sentence: str
    chart: charts.Chart

    @property
    def anchor(self) -> str:
        return f"portfolio-{self.head_of_service.pk}-{self.part}"

    @property
    def is_continued(self) -> bool:
        return self.part > 1


@register
class CommitteeSummaryReport(Report):
    slug = "committee-summary"
    word = True
    title = "Summary of service plans for a committee"
    description = (
        "The council's summary pack: guidance page, then per head of service the key objectives, "
        "staff, "
        "budget, savings plan, performance and budget risks."
    )
    form_class = CommitteeSummaryForm
    template_name = "reports/committee_summary.html"

    def document_title(self) -> str:
        return f"Summary of {self.options['year']} Service Plans – {self.options['committee']}"

    def unpublished_content(self) -> list[str]:
        # Part 3 counts green, amber and red for every service of each head of service in the
        # pack; members read a service's figures once its plan for the year is published
        # (plans.access.services_readable_by). Part 1 shows published plans only.
        committee, year = self.options["committee"], self.options["year"]
        heads = Service.objects.filter(reviews__committee=committee).values("head_of_service_id")
        published = ServicePlan.objects.published().filter(year=year)
        unpublished = (
            Service.objects.filter(head_of_service__in=heads)
            .filter(pk__in=performance.indicators_reported_in(year).values("service_id"))
            .exclude(pk__in=published.values("service_id"))
        )
        return [
            f"The performance of {service} is included, but its {year} plan is not published."
            for service in unpublished.order_by("name")
        ]

    def plans_covered(self) -> list[ServicePlan]:
        """The published plans whose key objectives the pack shows: those of the services the
        committee reviews."""
        reviewed = Service.objects.filter(reviews__committee=self.options["committee"])
        return list(
            ServicePlan.objects.published().filter(year=self.options["year"], service__in=reviewed)
        )

    def data(self, progress: Progress = no_progress) -> dict:
        committee: Committee = self.options["committee"]
        year: FinancialYear = self.options["year"]
        as_at: Period = self.options["as_at"]
        structure = _structure()
        heads = [
            head
            for head, services in structure
            if any(committee.pk in {r.committee_id for r in s.reviews.all()} for s in services)
        ]
        plans = _published_plans(year, [s for head, services in structure for s in services])
        progress(4, "Counting green, amber and red")
        performance_by_head = {
            summary.head_of_service.pk: summary
            for summary in performance.head_of_service_summaries(
                year=year,
                as_at=as_at,
                heads_of_service=HeadOfService.objects.filter(pk__in=[head.pk for head in heads]),
            )
        }
        savings_options = {
            "grouped_years": (
                self.options["savings_grouped_from"],
                self.options["savings_grouped_to"],
            ),
            "grouped_label": self.options["savings_grouped_label"],
        }
        summaries = []
        services_of = dict(structure)
        for number, head in enumerate(heads, start=1):
            progress(4 + 10 * number // max(len(heads), 1), f"Reading the figures of {head}")
            entries = [
                _entry(service, committee, plans.get(service.pk)) for service in services_of[head]
            ]
            summaries += _portfolio_summaries(
                head,
                entries,
                year=year,
                performance_summary=performance_by_head.get(head.pk)
                or performance.HeadOfServiceSummary(head, []),
                savings_options=savings_options,
                objectives_per_summary=self.options["objectives_per_summary"],
                as_at=as_at,
            )
        select_committees = list(
            Committee.objects.filter(kind=Committee.Kind.SELECT).order_by("position", "name")
        )
        if committee not in select_committees:
            select_committees.append(committee)
        return {
            "committee": committee,
            "year": year,
            "as_at": as_at,
            "matrix": _matrix(structure, select_committees),
            "matrix_committees": select_committees,
            "summaries": summaries,
            "savings_columns": summaries[0].savings.columns if summaries else (),
            "contents": [(summary.anchor, _heading(summary, year), 1) for summary in summaries],
        }


def _structure() -> list[tuple[HeadOfService, list[Service]]]:
    """Every head of service with its services and their committee reviews: three queries."""
    services = Service.objects.select_related("head_of_service").prefetch_related(
        Prefetch("reviews", queryset=CommitteeReview.objects.select_related("committee"))
    )
    grouped: dict[int, tuple[HeadOfService, list[Service]]] = {}
    for service in services.order_by("head_of_service__name", "name"):
        head = service.head_of_service
        grouped.setdefault(head.pk, (head, []))[1].append(service)
    return list(grouped.values())


def _published_plans(year: FinancialYear, services: list[Service]) -> dict[int, ServicePlan]:
    """The published plan of each service for the year, with its key objectives: two queries.
    Drafts never appear in a committee's papers."""
    plans = (
        ServicePlan.objects.published()
        .filter(year=year, service__in=[s.pk for s in services])
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.filter(is_key=True),
                to_attr="key_objectives",
            )
        )
    )
    return {plan.service_id: plan for plan in plans}


def _entry(service: Service, committee: Committee, plan: ServicePlan | None) -> ServiceEntry:
    reviews = list(service.reviews.all())
    own = next((r for r in reviews if r.committee_id == committee.pk), None)
    return ServiceEntry(
        service=service,
        review=own,
        other_reviews=[r for r in reviews if r.committee_id != committee.pk],
        plan=plan,
        objectives=list(plan.key_objectives) if plan and own else [],
    )


def split_services(entries: list[ServiceEntry], limit: int) -> list[list[ServiceEntry]]:
    """Divide a portfolio's services into as few summaries as hold at most `limit` key
    objectives each, as evenly as possible by number of services, the first parts taking the
    odd one: 20 objectives over five services with a limit of 16 gives three and two."""
    total = sum(len(entry.objectives) for entry in entries)
    parts = max(1, math.ceil(total / limit))
    while parts < len(entries):
        chunks = _even_chunks(entries, parts)
        if all(sum(len(e.objectives) for e in chunk) <= limit for chunk in chunks):
            return chunks
        parts += 1
    return _even_chunks(entries, min(parts, len(entries))) if entries else [[]]


def _even_chunks(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _portfolio_summaries(
    head: HeadOfService,
    entries: list[ServiceEntry],
    *,
    year: FinancialYear,
    performance_summary: performance.HeadOfServiceSummary,
    savings_options: dict,
    objectives_per_summary: int,
    as_at: Period,
) -> list[PortfolioSummary]:
    staffing = budgets.staffing_table(head_of_service=head, year=year)
    budget = budgets.budget_table(head_of_service=head, year=year)
    savings = budgets.savings_plan_table(head_of_service=head, year=year, **savings_options)
    risks = budgets.budget_risks(head_of_service=head, year=year)
    chunks = split_services(entries, objectives_per_summary)
    by_service = {summary.service.pk: summary for summary in performance_summary.services}
    result = []
    for part, chunk in enumerate(chunks, start=1):
        services = {entry.service.pk for entry in chunk}
        first = part == 1
        names = [entry.service.name for entry in chunk]
        result.append(
            PortfolioSummary(
                head_of_service=head,
                part=part,
                parts=len(chunks),
                services=chunk,
                staffing=staffing.part_for(services, part=part, parts=len(chunks)),
                budget=budget.part_for(services, part=part, parts=len(chunks)),
                savings=savings.part_for(services, part=part, parts=len(chunks)),
                performance=performance_summary,
                service_performance=[
                    by_service[entry.service.pk]
                    for entry in chunk
                    if entry.service.pk in by_service
                ],
                # The portfolio's risks go on its first summary; a continuation speaks for its
                # own services.
                risks=risks if first and risks.risks else None,
                no_risks_sentence=budgets.no_budget_risks_sentence(
                    [head.name] if len(chunks) == 1 or (first and not risks.risks) else names
                ),
                # Part 3a is the whole portfolio's, repeated on a continuation; each copy has
                # ids of its own (a PDF's structure needs them unique).
                chart=charts.rag_bar_chart(
                    performance_summary.counts,
                    element_id=f"performance-{head.pk}-{part}",
                    title=f"Performance of {head} (at {as_at.month_label})",
                ),
            )
        )
    return result


def _heading(summary: PortfolioSummary, year: FinancialYear) -> str:
    continued = " (continued)" if summary.is_continued else ""
    return f"{summary.head_of_service} Service Plan Summary {year}{continued}"


@dataclass
class MatrixRow:
    head_of_service: HeadOfService
    service: Service
    cells: list[CommitteeReview | None]
    is_first: bool  # the head of service's first row


def _matrix(structure, committees: list[Committee]) -> list[MatrixRow]:
    """Head of service × service × committee: which committee reviews which service, with the
    scope note where it reviews only part of it."""
    rows = []
    for head, services in structure:
        for index, service in enumerate(services):
            reviews = {r.committee_id: r for r in service.reviews.all()}
            rows.append(
                MatrixRow(
                    head_of_service=head,
                    service=service,
                    cells=[reviews.get(committee.pk) for committee in committees],
                    is_first=index == 0,
                )
            )
    return rows
