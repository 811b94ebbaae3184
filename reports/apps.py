from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Report generation, on top of plans, performance and budgets: the report classes, the
    covering reports and generated reports they store, the worker, the report pages and admin."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from reports import receivers  # noqa: F401  (connects them)
