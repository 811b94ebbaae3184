"""The covering report that takes a year's service plans to Cabinet or Council (as councils write
them).

The narrative is the administrator's (reports.models.CoveringReport, edited on the reports page
or in the admin); the report numbers its sections, prints the recommendations as a numbered
list, and appends the abridged plans: for each published plan of the year, its key objectives
and the actions that deliver them ("key elements of the action plans", as councils' plans put it).
"""

from django import forms
from django.db.models import Prefetch

from plans.models import Action, Objective, ServicePlan
from reports.base import Progress, Report, no_progress, register
from reports.models import CoveringReport

# (field, heading) in the order of the council's covering report template.
NARRATIVE = (
    ("purpose", "Purpose of report"),
    ("recommendations", "Recommendations"),
    ("reasons", "Reasons for the recommendations"),
    ("background", "Background"),
    ("financial_and_legal", "Financial and legal implications"),
    ("risk_assessment", "Risk assessment"),
    ("consultation_and_customer_impact", "Consultation and customer impact"),
    ("policy_implications", "Policy implications"),
    ("other_considerations", "Other considerations"),
)


class CoveringReportParametersForm(forms.Form):
    covering_report = forms.ModelChoiceField(
        queryset=CoveringReport.objects.select_related("committee", "year"),
        help_text="The narrative to print, written on the reports page.",
    )


@register
class CoveringReportReport(Report):
    slug = "covering-report"
    title = "Covering report for Cabinet or Council"
    description = (
        "The report that takes the year's service plans to Cabinet or Council: purpose, "
        "recommendations, implications, contact officer, with the abridged plans appended."
    )
    form_class = CoveringReportParametersForm
    template_name = "reports/covering_report.html"

    @property
    def narrative(self) -> CoveringReport:
        return self.options["covering_report"]

    def document_title(self) -> str:
        return f"{self.narrative.title} – {self.narrative.committee}"

    def plans_covered(self) -> list[ServicePlan]:
        """The abridged plans appended: published plans only, so nothing unpublished."""
        if not self.narrative.include_abridged_plans:
            return []
        return list(ServicePlan.objects.published().filter(year=self.narrative.year))

    def data(self, progress: Progress = no_progress) -> dict:
        narrative = CoveringReport.objects.select_related("committee", "year").get(
            pk=self.narrative.pk
        )
        sections = []
        for name, heading in NARRATIVE:
            if name == "financial_and_legal":
                if narrative.financial_implications or narrative.legal_implications:
                    sections.append((name, heading, None))
            elif name == "recommendations":
                sections.append((name, heading, None))
            elif getattr(narrative, name):
                sections.append((name, heading, getattr(narrative, name)))
        progress(8, "Reading the published plans")
        plans = abridged_plans(narrative) if narrative.include_abridged_plans else []
        return {
            "narrative": narrative,
            "sections": sections,
            "recommendations": [
                line.strip() for line in narrative.recommendations.splitlines() if line.strip()
            ],
            "background_papers": [
                line.strip() for line in narrative.background_papers.splitlines() if line.strip()
            ],
            "plans": plans,
            "contents": [(f"abridged-{plan.pk}", str(plan.service), 2) for plan in plans],
        }


def abridged_plans(narrative: CoveringReport) -> list[ServicePlan]:
    """Each published plan of the year with its key objectives and their actions: three
    queries. Plans that mark no key objective show all their objectives."""
    actions = Action.objects.prefetch_related("milestones").order_by("position", "id")
    objectives = Objective.objects.prefetch_related(
        Prefetch("actions", queryset=actions, to_attr="listed_actions")
    ).order_by("position", "id")
    return list(
        ServicePlan.objects.published()
        .filter(year=narrative.year)
        .select_related("service__head_of_service", "endorsed_by")
        .prefetch_related(Prefetch("objectives", queryset=objectives, to_attr="listed_objectives"))
        .order_by("service__head_of_service__name", "service__name")
    )
