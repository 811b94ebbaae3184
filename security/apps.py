from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        # Sign-ins, sign-outs, failed sign-ins and lock-outs are written to the log.
        from security import audit, sessions  # noqa: F401
