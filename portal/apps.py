from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Pages across plans, performance and budgets"

    def ready(self) -> None:
        from portal import receivers  # noqa: F401  (connects them)
