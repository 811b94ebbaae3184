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


# Caches each process keeps to itself: with several web workers, a change made in one of them
# (a figure saved) leaves the others showing their kept copy until it expires.
PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps the cache in each process's memory",
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing (every page is made anew)",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_cache_is_shared(app_configs, **kwargs) -> list[checks.CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    what = PROCESS_CACHES.get(backend)
    if what is None:
        return []
    return [
        checks.Warning(
            f"The cache {what} ({backend}): each gunicorn worker makes the pages again and may "
            "show a plan's figures up to PLAN_PAGE_CACHE_SECONDS out of date after another "
            "worker saved new ones.",
            hint="Set CACHE_URL to the council's Redis (redis://127.0.0.1:6379/0), shared by "
            "every worker; see docs/deployment.md.",
            id="serviceplans.W003",
        )
    ]
