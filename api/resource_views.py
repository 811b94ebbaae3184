"""Resources and reports: a head of service's staffing, budget and savings tables with their
totals, and the published reports with links to their files.

The tables come from the budgets app's own selectors (budgets.selectors), which add up every
total from the rows; the reports through reports.access.reports_visible_to.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.params import (
    COMMITTEE,
    HEAD_OF_SERVICE,
    SERVICE,
    YEAR,
    YEAR_IN_PATH,
    financial_year,
    whole_number,
    year_in_path,
)
from budgets.selectors import (
    BudgetRisks,
    FigureTable,
    budget_risks,
    budget_table,
    savings_plan_table,
    staffing_table,
)
from organisation.access import is_administrator
from organisation.models import Committee, FinancialYear, HeadOfService
from plans.browse import reading_years
from reports.access import reports_visible_to
from reports.base import all_reports
from reports.models import GeneratedReport


@dataclass(frozen=True)
class Resources:
    head_of_service: HeadOfService
    year: FinancialYear
    staffing: FigureTable
    budget: FigureTable
    savings: FigureTable
    risks: BudgetRisks


def _resources_year(user, year: int) -> FinancialYear:
    """A year whose resources the person reads: as on the head of service's page, a year
    with a published plan (the budget is agreed with the plans); administrators, any year."""
    years = FinancialYear.objects.all() if is_administrator(user) else reading_years()
    found = years.filter(start_year=year).first()
    if found is None:
        financial_year(year)  # a year that does not exist says so
        raise NotFound(f"No published plans for {FinancialYear(start_year=year).label} yet.")
    return found


class ResourcesDetail(APIView):
    """A head of service's resources for a year (the committee summary's Part 2): staff
    (FTE), the net budget over three years and the savings plan (£000), each with its rows by
    service or reporting line and its TOTAL row, and the budget risks. Figures are decimal
    strings; null is no figure, which is not "0"."""

    @extend_schema(parameters=[YEAR_IN_PATH], responses=serializers.ResourcesSerializer)
    def get(self, request: Request, year: str, head_of_service: int) -> Response:
        the_year = _resources_year(request.user, year_in_path(year))
        head = HeadOfService.objects.filter(pk=head_of_service).first()
        if head is None:
            raise NotFound(f"No head of service {head_of_service}.")
        resources = Resources(
            head_of_service=head,
            year=the_year,
            staffing=staffing_table(head_of_service=head, year=the_year),
            budget=budget_table(head_of_service=head, year=the_year),
            savings=savings_plan_table(head_of_service=head, year=the_year),
            risks=budget_risks(head_of_service=head, year=the_year),
        )
        return Response(serializers.ResourcesSerializer(resources).data)


@extend_schema(parameters=[YEAR, SERVICE, HEAD_OF_SERVICE, COMMITTEE])
class ReportList(generics.ListAPIView):
    """Published reports the person may read, newest first: committee packs and the stored
    PDFs of published plans, with links to their files (the same session or token reads
    them). ?year= and ?committee= filter by the report's own parameters; ?service= and
    ?head_of_service= by the plan a plan's PDF shows."""

    serializer_class = serializers.ReportSerializer

    def get_queryset(self):
        reports = reports_visible_to(self.request.user).filter(
            published_at__isnull=False, status=GeneratedReport.Status.DONE
        )
        if (year := whole_number(self.request, "year")) is not None:
            reports = reports.filter(Q(parameters__year=str(year)) | Q(plan__year__start_year=year))
        if (committee := whole_number(self.request, "committee")) is not None:
            reports = reports.filter(parameters__committee=str(committee))
        if code := self.request.query_params.get("service"):
            reports = reports.filter(plan__service__code=code)
        if (head := whole_number(self.request, "head_of_service")) is not None:
            reports = reports.filter(plan__service__head_of_service=head)
        return reports.select_related("plan__year", "plan__service").order_by(
            "-published_at", "-pk"
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        _describe(request, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _describe(request: Request, reports: list[GeneratedReport]) -> None:
    """Each report's committee, year and links, for the page at once: one query for the
    committees' names, whatever the number of reports."""
    committee_ids = {_number(row.parameters.get("committee")) for row in reports} - {None}
    names = dict(Committee.objects.filter(pk__in=committee_ids).values_list("pk", "name"))
    word = {report.slug for report in all_reports() if report.word}
    for row in reports:
        row.committee = names.get(_number(row.parameters.get("committee")))
        row.year = row.plan.year.start_year if row.plan else _number(row.parameters.get("year"))
        row.pdf = request.build_absolute_uri(reverse("reports:report-download", args=[row.pk]))
        # A superseded report's Word version would show the plans as they are now.
        has_word = row.report in word and not row.covers_superseded
        row.docx = (
            request.build_absolute_uri(reverse("reports:report-file-docx", args=[row.pk]))
            if has_word
            else None
        )


def _number(value) -> int | None:
    text = str(value) if value is not None else ""
    return int(text) if text.isdecimal() else None
