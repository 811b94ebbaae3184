from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports live inside plans (their models are in plans.models); being an app of their
    own lets the admin find plans/reports/admin.py and keeps the report code in one package."""

    name = "plans.reports"
    label = "plan_reports"
    verbose_name = "Reports"
