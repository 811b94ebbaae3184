"""Settings for the service plans product, read from the environment.

Every setting a deployment may change comes from an environment variable (see .env.example).
A bad value stops the process at start-up with a message naming the variable, rather than
running with a surprising default.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from organisation.colours import colour_problem

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value; use one of: true, false, 1, 0, yes, no."
    )


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty entry; separate values by commas.")
    return items


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {allowed}.")
    return value


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {error}") from error
    if config["ENGINE"] not in SUPPORTED_DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"{name} must point at PostgreSQL (postgres://…) or SQLite (sqlite:///…)."
        )
    return config


LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"
REDIS_CACHE = "serviceplans.cache.SharedRedisCache"
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
CACHE_KEY_PREFIX_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,50}")
CACHE_TABLE_PATTERN = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def env_cache(name: str, default: str, *, key_prefix: str) -> dict:
    """The shared cache from a URL:
    - redis://host:6379/0 (rediss:// with TLS; redis://:password@host…): Redis, one cache for
      every web worker, the report worker and the commands;
    - db://table_name: a table of the database (`manage.py createcachetable` makes it),
      shared by every process without another server, at a query a look-up;
    - locmem://: each process's own memory; dummy://: nothing is kept (every page is made).
    Keys start with `key_prefix`, so several installations may share one Redis."""
    raw = os.environ.get(name, "").strip() or default
    scheme, _, rest = raw.partition("://")
    config: dict = {"KEY_PREFIX": key_prefix}
    if scheme in ("redis", "rediss"):
        try:
            parts = urlsplit(raw)
            parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} is not a usable Redis URL: {error}") from None
        database = parts.path.strip("/")
        if not parts.hostname or (database and not database.isdecimal()):
            raise ImproperlyConfigured(
                f"{name} must look like redis://host:6379/0 (a host, perhaps a port, and a "
                "database number)."
            )
        # Seconds to wait for Redis: a dead one fails a request quickly rather than holding it.
        options = {"socket_connect_timeout": 2, "socket_timeout": 2}
        return {**config, "BACKEND": REDIS_CACHE, "LOCATION": raw, "OPTIONS": options}
    if scheme == "db" and CACHE_TABLE_PATTERN.fullmatch(rest):
        return {**config, "BACKEND": DATABASE_CACHE, "LOCATION": rest}
    if scheme == "locmem":
        # Room for every plan's page body of a county council (Django's default keeps 300).
        options = {"MAX_ENTRIES": 5000}
        return {**config, "BACKEND": LOCAL_MEMORY_CACHE, "LOCATION": rest, "OPTIONS": options}
    if scheme == "dummy" and not rest:
        return {**config, "BACKEND": DUMMY_CACHE}
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a cache this product knows: use redis://host:6379/0 (Redis, "
        "for production), db://table_name (a table of the database), locmem:// (this "
        "process's memory) or dummy:// (no cache)."
    )


def env_key_prefix(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if not CACHE_KEY_PREFIX_PATTERN.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} must be 1 to 50 letters, digits, dots, dashes or underscores."
        )
    return value


SITE_URL_PATTERN = re.compile(
    r"https?://"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"|\[[0-9A-Fa-f:.]+\])"  # a host name or address, or an IPv6 address in brackets
    r"(?::[0-9]{1,5})?"  # a port
    r"(?:/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*"  # a path prefix, without a trailing slash
)


def env_site_url(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if not SITE_URL_PATTERN.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} must look like https://plans.example.gov.uk or "
            "https://intranet.example.gov.uk/plans: http or https, a host, perhaps a port and a "
            "path prefix, no trailing slash, no query."
        )
    return value


FILE_MAIL_BACKEND = "security.mail.EmailBackend"
SMTP_MAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def env_mail(base_dir: Path) -> dict[str, object]:
    """Django's EMAIL_* settings from the environment. Without EMAIL_HOST, mail is written to
    files in EMAIL_FILE_PATH (one file a message), so a development machine needs no mail
    server; with it, mail goes by SMTP. EMAIL_BACKEND overrides either."""
    host = os.environ.get("EMAIL_HOST", "").strip()
    use_tls = env_bool("EMAIL_USE_TLS", default=False)
    use_ssl = env_bool("EMAIL_USE_SSL", default=False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL are both on; use one: EMAIL_USE_TLS for STARTTLS "
            "(usually port 587), EMAIL_USE_SSL for TLS from the start (usually port 465)."
        )
    from_email = os.environ.get("DEFAULT_FROM_EMAIL", "serviceplans@localhost").strip()
    return {
        "EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND", "").strip()
        or (SMTP_MAIL_BACKEND if host else FILE_MAIL_BACKEND),
        "EMAIL_FILE_PATH": Path(os.environ.get("EMAIL_FILE_PATH") or base_dir / "mail"),
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": env_int("EMAIL_PORT", 25, minimum=1),
        "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": env_int("EMAIL_TIMEOUT", 10, minimum=1),
        "DEFAULT_FROM_EMAIL": from_email,
        "SERVER_EMAIL": os.environ.get("SERVER_EMAIL", "").strip() or from_email,
    }


SUPPORTED_DATABASE_ENGINES = {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that a check-then-write (the
    # editor's conflict check) cannot interleave with another writer.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    # Content-Security-Policy header with per-request nonces (security section below).
    "csp",
    # Locks an account out after repeated failed sign-ins (security section below).
    "axes",
    # The task queue: django-tasks (Django 6's django.tasks, backported) with its database
    # backend, so background jobs need no broker beyond the database the site already has.
    "django_tasks",
    "django_tasks_db",
    "organisation",
    "plans",
    "performance",
    "budgets",
    "reports",
    "portal",
    # Open data downloads (/open-data/): published plans, performance and budgets.
    "opendata",
    "notifications",
    # Pages for residents, without signing in (off until an administrator turns them on).
    "residents",
    "security",
    # The read API (/api/v1/) and its OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's and ReDoc's scripts for the API's documentation pages, served from here.
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "security.sessions.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.audit.SecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sends administrators to the settings page until the council has a name.
    "organisation.middleware.CouncilNameMiddleware",
    # A write in the Django admin makes the page parts kept for readers again.
    "organisation.middleware.AdminWritesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Starts the hourly reminder job in the web process when REMINDERS_IN_PROCESS is on.
    "notifications.schedule.HourlyRemindersMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "serviceplans.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.council",
                "notifications.context_processors.unread",
                "notifications.context_processors.chasing",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "serviceplans.wsgi.application"

AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in to a locked-out account before the password is checked.
    "security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The council's settings (name, logo, report colour, contact, reporting defaults) live in the
# database, edited by administrators on the settings page (organisation.council). The
# variables below are only their first values, used until the page is first saved.

# The council this installation serves, shown in page headers and on reports. No default: a
# new install names no council until its first administrator gives the name.
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "").strip()

# How often progress is reported to members in year: the monitoring points a new year gets
# (organisation.reporting_calendar). "half-yearly" (September and March, as the demo council)
# or "quarterly" (June, September, December and March).
MONITORING_CADENCE = env_choice("MONITORING_CADENCE", "half-yearly", {"half-yearly", "quarterly"})

# Which bank holidays are not working days (organisation.reporting_calendar): the council's part
# of the UK, "england-and-wales", "scotland" or "northern-ireland". Due dates counted in working
# days skip weekends and these.
BANK_HOLIDAYS = env_choice(
    "BANK_HOLIDAYS", "england-and-wales", {"england-and-wales", "scotland", "northern-ireland"}
)

# An indicator's figure for a period is due this many working days after the period's last day
# (organisation.reporting_calendar.figure_due_date); 0 means on the last day itself.
FIGURES_DUE_WORKING_DAYS = env_int("FIGURES_DUE_WORKING_DAYS", 10, minimum=0)

# Mail (password resets, notifications): see env_mail above and docs/deployment.md. Each
# setting is named as Django's own, so assign them one by one for tools that read this file.
_mail = env_mail(BASE_DIR)
EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _mail["EMAIL_FILE_PATH"]
EMAIL_HOST = _mail["EMAIL_HOST"]
EMAIL_PORT = _mail["EMAIL_PORT"]
EMAIL_HOST_USER = _mail["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _mail["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _mail["EMAIL_USE_SSL"]
# Seconds to wait for the mail server: a dead one never holds a request or a job for long.
EMAIL_TIMEOUT = _mail["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = _mail["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL = _mail["SERVER_EMAIL"]

# The address people reach the product at (behind the council's proxy, perhaps under a path
# prefix): links in emails are built from it (security.site_links), never from a request's
# Host header, which a visitor chooses, and a job sending mail has no request at all.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")

# Password reset by email (Django's views, security/password_reset.py): at most this many
# requests an hour from one network address, and for one email address. Counted in a cache
# table in the database (created by a migration of the security app), so that every web
# worker shares the count without another server to run.
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", 5, minimum=1)

# An administrator's invitation to a new user (organisation/users.py): its link works once,
# for this many days; "Resend invitation" sends a fresh one.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)
RATE_LIMIT_CACHE_TABLE = "security_rate_limit_cache"
# The shared cache (docs/deployment.md, "The cache"): the council's settings, the published
# plans' page bodies, the public pages and the content versions that say when those are out of
# date (organisation.content_versions). Production sets CACHE_URL to Redis, one cache for every
# gunicorn worker and command, so a change shows at once in every worker and a page is made
# once for all of them. Without it (`make run`, one process), each process keeps its own cache
# in memory: nothing more to run, and the one process sees every change it makes; a change made
# by a command in another process shows once the kept copy expires (PLAN_PAGE_CACHE_SECONDS,
# organisation.council.CACHE_SECONDS). `check --deploy` warns of that in production.
CACHES = {
    "default": env_cache(
        "CACHE_URL", "locmem://", key_prefix=env_key_prefix("CACHE_KEY_PREFIX", "serviceplans")
    ),
    "rate_limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": RATE_LIMIT_CACHE_TABLE,
    },
}
# django-ratelimit is used through its functions only, not as an installed app: its system
# check wants memcached or Redis, which a council's small installation does not run.
RATELIMIT_USE_CACHE = "rate_limits"

# Evidence attached to progress updates: largest file accepted, in bytes.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

# Largest import file accepted, in bytes: a council's whole structure or a year of actuals
# fits comfortably; anything bigger is a mistake or an attack.
IMPORT_MAX_BYTES = 10 * 1024 * 1024

# Background jobs (committee packs, the stored PDF of a published plan) go through the
# database queue. Who runs them: REPORTS_WORKER=thread runs them in a thread of the web
# process (the embedded default: nothing else to start); REPORTS_WORKER=process leaves them to
# `python manage.py db_worker` (production). The default follows the database: SQLite means
# the embedded default, PostgreSQL production.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
_default_worker = (
    "thread" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "process"
)
REPORTS_WORKER = os.environ.get("REPORTS_WORKER", _default_worker).strip().lower()
if REPORTS_WORKER not in {"thread", "process"}:
    raise ImproperlyConfigured(f"REPORTS_WORKER={REPORTS_WORKER!r} must be thread or process.")

# The reminder job (manage.py send_reminders: reminders, digests, retrying failed mail) runs
# every hour in a thread of the web process when this is on — the embedded default, where jobs
# run in the web process. In production a systemd timer runs the command instead.
REMINDERS_IN_PROCESS = env_bool("REMINDERS_IN_PROCESS", default=REPORTS_WORKER == "thread")

# How the council's reports look, first values (the settings page changes them): a logo (a PNG
# or JPEG file on this machine; not SVG, which can carry script) and the colour of headings and
# table headers (a #rrggbb hex colour, dark enough for white text).
REPORT_LOGO = os.environ.get("REPORT_LOGO", "")
if REPORT_LOGO and not Path(REPORT_LOGO).is_file():
    raise ImproperlyConfigured(f"REPORT_LOGO={REPORT_LOGO!r} is not a file.")
if REPORT_LOGO and Path(REPORT_LOGO).suffix.lower() not in {".png", ".jpg", ".jpeg"}:
    raise ImproperlyConfigured(f"REPORT_LOGO={REPORT_LOGO!r} must be a PNG or JPEG file.")
REPORT_COLOUR = os.environ.get("REPORT_COLOUR", "#1d4e89")
if _colour_problem := colour_problem(REPORT_COLOUR):
    raise ImproperlyConfigured(f"REPORT_COLOUR: {_colour_problem}")

# Security, sessions and logging -----------------------------------------------------------
# Production sets HTTPS=true and, behind the reverse proxy, BEHIND_PROXY=true; with the
# variables in .env.example `manage.py check --deploy` reports nothing (tests/security).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

# HTTPS: the site is served over HTTPS (production). Cookies then travel over HTTPS only,
# plain-HTTP requests are redirected, and browsers are told to use HTTPS for a year (HSTS).
# Off by default so that `make run` and the tests work on plain http://127.0.0.1.
HTTPS = env_bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
_hsts_seconds = env_int("HSTS_SECONDS", 31_536_000)
SECURE_HSTS_SECONDS = _hsts_seconds if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is a promise about the council's whole domain, made by whoever runs the domain
# (hstspreload.org accepts only a domain's apex), not by one service on a sub-domain: off
# unless asked for, and the check --deploy reminder about it is silenced for that reason.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# The reverse proxy's health check may call over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# BEHIND_PROXY: requests come only through the reverse proxy (docs/deployment.md), which sets
# X-Forwarded-Proto (HTTPS or not) and appends the visitor's address to X-Forwarded-For. Never
# turn it on when visitors can reach gunicorn directly: they could then claim to be on HTTPS
# or at any address.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# Origins (scheme://host) from which forms may be posted, when they differ from the host the
# request names, e.g. a proxy on another port.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not re.fullmatch(r"https?://[^/\s]+", _origin):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {_origin!r} must look like https://plans.example.gov.uk"
        )

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it

# Sessions end after SESSION_IDLE_MINUTES without a request and when the browser closes: a
# councillor's or officer's unattended computer does not stay signed in. Requests move the
# expiry on, writing the session at most once a minute (security/sessions.py) rather than on
# every request as SESSION_SAVE_EVERY_REQUEST would.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60, minimum=1) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The Django admin's address; moving it away from /admin/ keeps it out of every scanner's
# first guesses (it is still behind sign-in and the lock-out).
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*/", ADMIN_URL):
    raise ImproperlyConfigured(f"ADMIN_URL={ADMIN_URL!r} must look like 'admin/' or 'staff-7f3k/'.")

# Content-Security-Policy (django-csp 4): only this site's own scripts, stylesheets, images and
# fonts; no inline script or style unless it carries the page's nonce ({{ CSP_NONCE }});
# never framed. Bootstrap draws some form controls with data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
        **(
            {"report-uri": [os.environ["CSP_REPORT_URI"]]}
            if os.environ.get("CSP_REPORT_URI")
            else {}
        ),
    }
}

# Sign-in lock-out (django-axes), each lock for LOGIN_LOCKOUT_MINUTES:
# - LOGIN_FAILURE_LIMIT failed sign-ins for one username from one address lock that username
#   at that address. By username and address together, so that nobody can lock someone else
#   (an administrator, say) out by typing wrong passwords for them: the owner still signs in
#   from their own address.
# - LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, lock the
#   whole address, so guessing across many usernames is stopped too. Higher, because behind a
#   proxy or Citrix a whole office shares one address.
# The address is security.audit.client_ip's: behind the reverse proxy (BEHIND_PROXY=true) the
# last X-Forwarded-For entry, which the proxy must set (docs/deployment.md, section 6).
# axes has a single failure limit (AXES_FAILURE_LIMIT, compared with the largest count of any
# of its lock-out parameters), not one for each parameter, so the address rule is made by
# security.lockout.lockout_parameters: the address alone becomes a parameter only once its own count
# has reached LOGIN_ADDRESS_FAILURE_LIMIT (never below LOGIN_FAILURE_LIMIT, so it then locks).
# Listing ["username", "ip_address"] and "ip_address" always would lock an office at the
# account limit, and a successful sign-in would clear every failure from its address (axes
# resets by the same parameters), letting anyone with an account reset the count for admin.
# An administrator unlocks sooner with `manage.py axes_reset_username USERNAME` or
# `manage.py axes_reset_ip ADDRESS` (README).
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
if LOGIN_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        f"LOGIN_ADDRESS_FAILURE_LIMIT={LOGIN_ADDRESS_FAILURE_LIMIT} must be at least "
        f"LOGIN_FAILURE_LIMIT ({AXES_FAILURE_LIMIT})."
    )


AXES_LOCKOUT_PARAMETERS = "security.lockout.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "security.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "security.audit.client_ip"
AXES_USERNAME_CALLABLE = "security.backends.lockout_username"
AXES_VERBOSE = False  # security.audit writes one line per event instead

# Uploads (the imports) stay in memory and are never written to disk, whatever their name
# (security/uploads.py); IMPORT_MAX_BYTES is the largest file kept. Other form data is capped
# well above the largest plan section, and the number of fields above its largest formset.
FILE_UPLOAD_HANDLERS = ["security.uploads.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# Logging: everything to standard output (gunicorn and systemd or the container collect it),
# as text or as JSON lines (LOG_FORMAT=json). The `serviceplans.security` logger records
# sign-ins, failed sign-ins, lock-outs and refused requests (security/audit.py); errors come
# with their traceback here, never on the page.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOG_FORMAT = env_choice("LOG_FORMAT", "text", {"text", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "security.logformat.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        },
        "stdout_warnings": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "level": "WARNING",
        },
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "serviceplans": {"level": LOG_LEVEL},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step and page of a render at INFO (about 60 lines a PDF): the
        # reports' progress reads them (reports.pdf), nobody's log needs them. Its warnings
        # still show; `export_report -v 2` prints the steps.
        # (The progress watcher lowers the logger's level while it listens; this handler's
        # own level keeps those lines out of the log.)
        "weasyprint.progress": {
            "handlers": ["stdout_warnings"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}

# How long a published plan's page body is kept at most, in seconds. Every change through the
# product's services makes it again at once (organisation.content_versions); this bounds only
# how long a change made behind their back (the database edited by hand; a command, while each
# process keeps its own cache) goes unseen.
PLAN_PAGE_CACHE_SECONDS = env_int("PLAN_PAGE_CACHE_SECONDS", 600)

# The public pages for residents (residents/pages.py) are the same for every reader, so each is
# made once and kept in the cache (this process's memory) this many seconds: long enough that
# a burst of readers costs one page build, short enough that a figure signed off or a plan
# published shows within a minute without any invalidation to get wrong.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 60)
# At most this many public pages a minute are made for one network address; beyond that, a
# "too many requests" page (429). Pages served from the cache cost nothing and are not counted:
# the limit guards the database from a scraper walking every page or busting the cache with
# made-up query strings. Counted in the rate-limit cache table as password resets are.
PUBLIC_PAGES_PER_MINUTE = env_int("PUBLIC_PAGES_PER_MINUTE", 60, minimum=1)

# Single sign-on with OpenID Connect (Microsoft Entra ID, or any standard provider), through
# mozilla-django-oidc with our backend organisation.oidc.SignOnBackend: see docs/deployment.md,
# section 11, and .env.example. Off unless OIDC_ENABLED.
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
# The label of the sign-in button: "Sign in with Microsoft".
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "Microsoft").strip() or "Microsoft"
# The provider's issuer, exactly as its ID tokens name it; Entra ID:
# https://login.microsoftonline.com/<tenant id>/v2.0. The endpoints come from its discovery
# document (<issuer>/.well-known/openid-configuration) unless set one by one.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = " ".join(os.environ.get("OIDC_SCOPES", "openid email profile").split())
# ID tokens must be signed with the provider's RSA key (from its JWKS); the library refuses
# any other algorithm, "none" included.
OIDC_RP_SIGN_ALGO = "RS256"
# The claim listing the person's groups (Entra ID: "groups", security group object ids).
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups").strip() or "groups"
# Whether someone the provider vouches for but who has no account here gets one at their
# first sign-in (with the roles their groups give). Off: an administrator creates accounts.
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", default=False)
# Seconds to wait for the provider (discovery, keys, token): a dead provider never holds a
# request for long.
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 0  # sessions follow SESSION_IDLE_MINUTES, not the token
LOGIN_REDIRECT_URL_FAILURE = "login"


def env_role_groups(name: str, roles: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """'Administrators=<id>;Officers=<id>,<id>' → {role: {group ids}}: which of the provider's
    groups give which role. Only the roles named here are managed by single sign-on."""
    raw = os.environ.get(name, "").strip()
    mapping: dict[str, frozenset[str]] = {}
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        role, equals, ids = entry.partition("=")
        role = role.strip()
        group_ids = frozenset(filter(None, (item.strip() for item in ids.split(","))))
        if not equals or role not in roles or not group_ids or role in mapping:
            raise ImproperlyConfigured(
                f"{name} entry {entry!r} must be 'Role=group id' (several ids separated by "
                f"commas, each role once) with a role among: {', '.join(roles)}."
            )
        mapping[role] = group_ids
    return mapping


# Roles are the groups named in organisation.access; settings may read its constants.
from organisation.access import ROLE_GROUPS  # noqa: E402

OIDC_ROLE_GROUPS = env_role_groups("OIDC_ROLE_GROUPS", ROLE_GROUPS)

# PASSWORD_SIGN_IN=false hides the password form and refuses every password sign-in, the
# Django admin's included: people sign in through the provider only (its multi-factor and
# conditional access rules then apply to everyone). The emergency path is on the server:
# docs/deployment.md, section 11.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", default=True)

if OIDC_ENABLED:
    _missing = [
        variable
        for variable, value in [
            ("OIDC_ISSUER", OIDC_ISSUER),
            ("OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID),
            ("OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        ]
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED is on but {', '.join(_missing)} is not set.")
    for _variable, _url in [
        ("OIDC_ISSUER", OIDC_ISSUER),
        ("OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
        ("OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
        ("OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
    ]:
        if _url and not re.fullmatch(r"https?://[^\s]+", _url):
            raise ImproperlyConfigured(f"{_variable}={_url!r} is not an http(s) address.")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured(f"OIDC_SCOPES={OIDC_RP_SCOPES!r} must include openid.")
    AUTHENTICATION_BACKENDS.insert(1, "organisation.oidc.SignOnBackend")
if not PASSWORD_SIGN_IN:
    if not OIDC_ENABLED:
        raise ImproperlyConfigured(
            "PASSWORD_SIGN_IN=false needs OIDC_ENABLED=true: otherwise nobody could sign in."
        )
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

API_RATE = os.environ.get("API_RATE", "1200/hour")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_RATE):
    raise ImproperlyConfigured(f"API_RATE={API_RATE!r} must look like '1200/hour' or '60/minute'.")

# The read API (api/): a personal token (Authorization: Bearer …) or the session of the
# browsable API; read only; pages of 50; requests counted per token in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnlySignedIn"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Service plans API",
    "DESCRIPTION": "Read only: structure, service plans, indicators, resources and published "
    "reports, as the pages show them "
    "to the person whose token (Authorization: Bearer …) or session reads them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.ReadOnlySignedIn"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # The documentation pages (api/docs.py) load their scripts from this site, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
