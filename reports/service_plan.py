"""The service plan report: one plan, every section, as the council publishes it.

Cover, contents with page numbers, then the sections in the order of the plan template
(plans.sections), with the service's resources from budgets and its indicators from
performance: target, actual, RAG as colour, symbol and word, direction of travel, forecast,
and a trend chart with its figures for each indicator.
"""

import dataclasses
import datetime

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify

from budgets import selectors as budgets
from performance import charts
from performance import selectors as performance
from performance.periods import Period
from performance.rules import Rag
from plans import sections as plan_sections
from plans.models import Action, ServicePlan
from reports.base import Progress, Report, no_progress, plan_not_published, register
from reports.forms import MonthField

PLAN_RELATED = ("service__head_of_service", "year", "endorsed_by")
PLAN_PARTS = (
    "objectives__priorities",
    Prefetch(
        "actions",
        queryset=Action.objects.select_related("objective").prefetch_related(
            "milestones", "priorities"
        ),
    ),
    "projects__priority",
    "risks",
    "consultations",
    "work_streams",
)

# (anchor, title) of each section, in the order of the plan template: the plan's own sections,
# with its resources and indicators (from budgets and performance) after its risks.
FROM_OTHER_APPS = (("resources", "Resources"), ("indicators", "Performance indicators"))
SECTIONS = tuple(
    item
    for section in plan_sections.SECTIONS
    for item in (
        ((section.slug, section.title), *FROM_OTHER_APPS)
        if section.slug == "risks"
        else ((section.slug, section.title),)
    )
)


class ServicePlanForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ServicePlan.objects.none(), help_text="The plan and version to print."
    )
    as_at = MonthField(
        required=False,
        label="Performance as at",
        help_text="Month like 2012-08. Blank: the latest month with figures.",
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = (
            plans if plans is not None else ServicePlan.objects.all()
        ).select_related("service", "year")


@register
class ServicePlanReport(Report):
    slug = "service-plan"
    title = "Service plan"
    description = "One service's plan for a year, every section, with resources and indicators."
    form_class = ServicePlanForm
    template_name = "reports/service_plan.html"
    word = True

    @property
    def plan(self) -> ServicePlan:
        return self.options["plan"]

    def document_title(self) -> str:
        plan = self.plan
        return f"{plan.service} service plan {plan.year}"

    def file_stem(self) -> str:
        plan = self.plan
        return slugify(f"{plan.service} service plan {plan.year.label.replace('/', '-')}") + (
            f"-{slugify(plan.revision_label)}" if plan.revision_label else ""
        )

    def unpublished_content(self) -> list[str]:
        # Every section of the plan, and the service's figures for the year, which members
        # read only once this version is published.
        plan = self.plan
        return [] if plan.status == ServicePlan.Status.PUBLISHED else [plan_not_published(plan)]

    def plans_covered(self) -> list[ServicePlan]:
        return [self.plan]

    def data(self, progress: Progress = no_progress) -> dict:
        plan = (
            ServicePlan.objects.select_related(*PLAN_RELATED)
            .prefetch_related(*PLAN_PARTS)
            .get(pk=self.plan.pk)
        )
        progress(5, "Reading the service's budget and staff")
        resources = service_resources(plan)
        progress(10, "Reading the service's indicators")
        indicators = plan_indicators(plan, as_at=self.options.get("as_at"))
        return {
            "plan": plan,
            "resources": resources,
            "performance": indicators,
            "contents": [(anchor, title, 1) for anchor, title in SECTIONS],
            "cover_title": f"{plan.service} service plan {plan.year}",
            "cover_subtitle": plan.service.head_of_service.name,
            "cover_facts": cover_facts(plan),
            "printed_on": timezone.localdate(),
        }


def cover_facts(plan: ServicePlan) -> list[tuple[str, str]]:
    facts = [("Head of service", plan.service.head_of_service.name)]
    if plan.service.head_of_service.officer_name:
        facts.append(("Led by", plan.service.head_of_service.officer_name))
    if plan.service.is_shared:
        facts.append(("Shared service", plan.service.shared_with or "Yes"))
    facts.append(("Financial year", plan.year.label))
    if plan.revision_label:
        facts.append(("Version", capfirst(plan.revision_label)))
    if plan.status == ServicePlan.Status.PUBLISHED:
        facts.append(
            ("Status", f"Published: endorsed by {plan.endorsed_by} on {plan.endorsed_on:%-d %B %Y}")
        )
    else:
        facts.append(("Status", f"{plan.get_status_display()}, not published"))
    return facts


def service_resources(plan: ServicePlan) -> dict:
    """The service's own rows of its head of service's tables: budget over five years (three
    back, two forecast), staff over three, and the year's savings with their total."""
    head, year = plan.service.head_of_service, plan.year
    budget = budgets.budget_table(head_of_service=head, year=year, years_back=2, years_ahead=2)
    staffing = budgets.staffing_table(head_of_service=head, year=year)
    return {
        "summary": budgets.service_resources(service=plan.service, year=year),
        "budget": budget,
        "budget_rows": _rows_of(budget, plan.service),
        "staffing": staffing,
        "staffing_rows": _rows_of(staffing, plan.service),
    }


def _rows_of(table: budgets.FigureTable, service) -> list[budgets.Row]:
    # A reporting line's row covers the service too ("Private & Social Housing").
    return [row for row in table.rows if any(s.pk == service.pk for s in row.services)]


def plan_indicators(plan: ServicePlan, *, as_at: Period | None) -> dict:
    """The service's indicators for the plan's year, each with its status as at a month and its
    trend. Without a month: the latest month with a figure, up to last month."""
    year = plan.year
    indicators = list(
        performance.indicators_reported_in(year).filter(service=plan.service).order_by("code")
    )
    first, last = Period(year.start_year, 4), Period(year.start_year + 1, 3)
    today = Period.of(timezone.localdate())
    ceiling = min(max(first, _month_before(today)), last)
    by_id = performance.indicator_trends(indicators=indicators, year=year, as_at=as_at or ceiling)
    trends = [by_id[indicator.pk] for indicator in indicators]
    if as_at is None:
        reported = [
            point.period for trend in trends for point in trend.points if point.actual is not None
        ]
        as_at = max(reported) if reported else None
        # The trends were read up to last month; periods after the month the figures stop at
        # are not due in this report, rather than awaited.
        trends = [_not_due_after(trend, as_at) for trend in trends]
    statuses = (
        performance.indicator_statuses(year=year, as_at=as_at, services=[plan.service])
        if as_at is not None and indicators
        else []
    )
    by_indicator = {status.indicator.pk: status for status in statuses}
    return {
        "as_at": as_at,
        "rows": [
            {
                "indicator": trend.indicator,
                "status": by_indicator.get(trend.indicator.pk),
                "chart": report_chart(trend),
            }
            for trend in trends
        ],
    }


def _not_due_after(trend, as_at: Period | None):
    points = [
        dataclasses.replace(point, rag=Rag.NOT_DUE)
        if (as_at is None or point.period > as_at) and point.actual is None
        else point
        for point in trend.points
    ]
    return dataclasses.replace(trend, points=points)


def report_chart(trend) -> charts.TrendChart:
    """The trend chart, its lettering in the report's own fonts rather than the machine's
    Arial."""
    chart = charts.trend_chart(trend)
    svg = chart.svg.replace(CHART_FONTS, REPORT_FONTS, 1)
    return dataclasses.replace(chart, svg=mark_safe(svg))  # the chart's own escaped markup


CHART_FONTS = 'font-family="Arial, Helvetica, sans-serif"'
REPORT_FONTS = 'font-family="Report Sans, Report Symbols"'


def _month_before(period: Period) -> Period:
    first_of_month = datetime.date(period.year, period.month, 1)
    return Period.of(first_of_month - datetime.timedelta(days=1))
