"""Settings for the service plans product, read from the environment.

Every setting a deployment may change comes from an environment variable (see .env.example).
A bad value stops the process at start-up with a message naming the variable, rather than
running with a surprising default.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    # The task queue: django-tasks (Django 6's django.tasks, backported) with its database
    # backend, so background jobs need no broker beyond the database the site already has.
    "django_tasks",
    "django_tasks_db",
    "plans",
    "plans.reports",
    "performance",
    "budgets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "plans.context_processors.council",
            ],
        },
    },
]

WSGI_APPLICATION = "serviceplans.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
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

# The council this installation serves, shown in page headers and on reports.
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Sevenoaks District Council")

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

# How the council's reports look: a logo (a PNG, JPEG or SVG file on this machine) and the
# colour of headings and table headers (a #rrggbb hex colour, dark enough for white text).
REPORT_LOGO = os.environ.get("REPORT_LOGO", "")
if REPORT_LOGO and not Path(REPORT_LOGO).is_file():
    raise ImproperlyConfigured(f"REPORT_LOGO={REPORT_LOGO!r} is not a file.")
REPORT_COLOUR = os.environ.get("REPORT_COLOUR", "#1d4e89")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", REPORT_COLOUR):
    raise ImproperlyConfigured(f"REPORT_COLOUR={REPORT_COLOUR!r} is not a #rrggbb colour.")
