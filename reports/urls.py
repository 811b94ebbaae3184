"""Report pages, included from serviceplans/urls.py under reports/ (namespace reports)."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.reports_home, name="reports"),
    path("new/<slug:slug>/", views.report_new, name="report-new"),
    path("preview/<slug:slug>/", views.report_preview, name="report-preview"),
    path("docx/<slug:slug>/", views.report_docx, name="report-docx"),
    path("files/<int:pk>/", views.report_status, name="report-status"),
    path("files/<int:pk>/progress/", views.report_progress, name="report-progress"),
    path("files/<int:pk>/download/", views.report_download, name="report-download"),
    path("files/<int:pk>/docx/", views.report_file_docx, name="report-file-docx"),
    path("files/<int:pk>/publish/", views.report_publish, name="report-publish"),
    path("files/<int:pk>/release/", views.report_release, name="report-release"),
    path("files/<int:pk>/withdraw/", views.report_withdraw, name="report-withdraw"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/docx/", views.plan_docx, name="plan-docx"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan-print"),
    path("round/<int:year>/plan-pdfs/", views.round_plan_pdfs, name="round-plan-pdfs"),
    path(
        "round/<int:year>/plan-pdfs/render/",
        views.round_plan_pdfs_render,
        name="round-plan-pdfs-render",
    ),
    path("covering/new/", views.covering_report_edit, name="covering-report-new"),
    path("covering/<int:pk>/", views.covering_report_edit, name="covering-report-edit"),
]
