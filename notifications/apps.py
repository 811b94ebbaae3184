from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications, reminders and the chasing page, on top of every other app."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import receivers  # noqa: F401  (connects them)
