"""System checks of settings the framework's own checks do not know about, run by
`manage.py check --deploy` (docs/deployment.md)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Backends that keep mail on the machine or throw it away: nobody receives it.
UNDELIVERED_MAIL_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend": "writes mail to files",
    "security.mail.EmailBackend": "writes mail to files",
    "django.core.mail.backends.console.EmailBackend": "writes mail to standard output",
    "django.core.mail.backends.locmem.EmailBackend": "keeps mail in memory",
    "django.core.mail.backends.dummy.EmailBackend": "throws mail away",
}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@checks.register(checks.Tags.security, deploy=True)
def check_mail_is_delivered(app_configs, **kwargs) -> list[checks.CheckMessage]:
    what = UNDELIVERED_MAIL_BACKENDS.get(settings.EMAIL_BACKEND)
    if what is None:
        return []
    return [
        checks.Warning(
            f"EMAIL_BACKEND {what} ({settings.EMAIL_BACKEND}): password reset emails and "
            "notifications reach nobody.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_USE_TLS, …) to the council's mail "
            "server; see docs/deployment.md.",
            id="serviceplans.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_site_url_is_public(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if urlsplit(settings.SITE_URL).hostname not in LOCAL_HOSTS:
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails would point at the "
            "recipient's own computer.",
            hint="Set SITE_URL to the address people reach the product at, e.g. "
            "https://serviceplans.example-council.gov.uk",
            id="serviceplans.W002",
        )
    ]
