from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        # Sign-ins, sign-outs, failed sign-ins and lock-outs are written to the log; checks
        # registers the deployment checks of mail and SITE_URL (check --deploy).
        from security import audit, checks, sessions  # noqa: F401
