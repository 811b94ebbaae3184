from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance indicators"

    def ready(self) -> None:
        from performance import receivers  # noqa: F401  (connects them)
