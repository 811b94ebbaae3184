"""Admin for the covering reports' narrative and the generated reports. Generating goes through
the same report classes and queue as the reports page."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from reports import tasks
from reports.base import ReportParametersInvalid
from reports.covering_report import CoveringReportReport
from reports.models import CoveringReport, GeneratedReport


@admin.register(CoveringReport)
class CoveringReportAdmin(admin.ModelAdmin):
    list_display = ("title", "committee", "meeting_date", "agenda_item", "updated_at")
    list_filter = ("committee", "year")
    list_select_related = ("committee", "year")
    actions = ["generate_pdf"]
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Generate the PDF (in the background)")
    def generate_pdf(self, request, queryset):
        for narrative in queryset:
            try:
                row = tasks.request_report(
                    report_class=CoveringReportReport,
                    form_data={"covering_report": str(narrative.pk)},
                    by=request.user,
                )
            except (ReportParametersInvalid, tasks.ReportRefused) as problem:
                self.message_user(request, f"{narrative}: {problem}", messages.ERROR)
                continue
            url = reverse("reports:report-status", args=[row.pk])
            self.message_user(
                request, format_html('{}: queued. <a href="{}">Progress</a>', narrative, url)
            )


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "report",
        "status",
        "progress",
        "page_count",
        "requested_at",
        "published_at",
        "released_to_residents_at",
    )
    list_filter = ("report", "status")
    list_select_related = ("plan", "requested_by")
    # Nothing is changed here: not `published_at` (members get a report only through
    # tasks.publish_report, on the report's page, which refuses unpublished content), nor
    # `released_to_residents_at` (residents get one only through tasks.release_to_residents,
    # on the report's page, beside its warning of what a members' PDF holds), nor which plan
    # versions it covers (recorded by the render).
    readonly_fields = [field.name for field in GeneratedReport._meta.fields] + ["covers"]
    search_fields = ("title",)

    def has_add_permission(self, request):
        return False  # made by the reports page, the admin action or publishing a plan
