"""Mail and SITE_URL come from the environment: files in mail/ with no mail server, SMTP once
EMAIL_HOST is set; bad values stop start-up with a message naming the variable; and
`check --deploy` warns while production mail reaches nobody or links point at localhost."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from security.site_links import site_link
from serviceplans.settings import env_mail, env_site_url

BASE = Path("/srv/serviceplans")
FILES = "security.mail.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
MAIL_VARIABLES = (
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
)


@pytest.fixture
def environment(monkeypatch):
    for name in (*MAIL_VARIABLES, "SITE_URL"):
        monkeypatch.delenv(name, raising=False)

    def set_variables(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return set_variables


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param(
            {},
            {
                "EMAIL_BACKEND": FILES,
                "EMAIL_FILE_PATH": BASE / "mail",
                "EMAIL_PORT": 25,
                "EMAIL_TIMEOUT": 10,
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
                "DEFAULT_FROM_EMAIL": "serviceplans@localhost",
                "SERVER_EMAIL": "serviceplans@localhost",
            },
            id="no mail server: files in mail/",
        ),
        pytest.param(
            {"EMAIL_FILE_PATH": "/tmp/outbox"},
            {"EMAIL_BACKEND": FILES, "EMAIL_FILE_PATH": Path("/tmp/outbox")},
            id="files elsewhere",
        ),
        pytest.param(
            {"EMAIL_HOST": "smtp.council.example"},
            {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "smtp.council.example", "EMAIL_PORT": 25},
            id="a mail server: SMTP",
        ),
        pytest.param(
            {
                "EMAIL_HOST": "smtp.council.example",
                "EMAIL_PORT": "587",
                "EMAIL_USE_TLS": "true",
                "EMAIL_HOST_USER": "serviceplans",
                "EMAIL_HOST_PASSWORD": "s3cret pass",
                "EMAIL_TIMEOUT": "5",
                "DEFAULT_FROM_EMAIL": "Service plans <plans@council.example>",
                "SERVER_EMAIL": "errors@council.example",
            },
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_PORT": 587,
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
                "EMAIL_HOST_USER": "serviceplans",
                "EMAIL_HOST_PASSWORD": "s3cret pass",
                "EMAIL_TIMEOUT": 5,
                "DEFAULT_FROM_EMAIL": "Service plans <plans@council.example>",
                "SERVER_EMAIL": "errors@council.example",
            },
            id="STARTTLS with a login",
        ),
        pytest.param(
            {"EMAIL_HOST": "smtp.council.example", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "yes"},
            {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False},
            id="TLS from the start",
        ),
        pytest.param(
            {"DEFAULT_FROM_EMAIL": "plans@council.example"},
            {"SERVER_EMAIL": "plans@council.example"},
            id="server email follows the from address",
        ),
        pytest.param(
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            id="backend chosen over files",
        ),
        pytest.param(
            {"EMAIL_HOST": "smtp.council.example", "EMAIL_BACKEND": "anymail.backends.X"},
            {"EMAIL_BACKEND": "anymail.backends.X"},
            id="backend chosen over SMTP",
        ),
    ],
)
def test_mail_settings_from_the_environment(environment, env, expected):
    environment(**env)
    mail = env_mail(BASE)
    assert {name: mail[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number"),
        ({"EMAIL_PORT": "0"}, "EMAIL_PORT='0' must be at least 1"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT='0' must be at least 1"),
        ({"EMAIL_USE_TLS": "starttls"}, "EMAIL_USE_TLS='starttls' is not a yes/no value"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS and EMAIL_USE_SSL are both"),
    ],
)
def test_bad_mail_values_are_refused_with_the_variable_named(environment, env, message):
    environment(**env)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_mail(BASE)


@pytest.mark.parametrize(
    ("value", "good"),
    [
        ("http://127.0.0.1:8000", True),
        ("https://plans.example-council.gov.uk", True),
        ("https://plans.example-council.gov.uk:8443", True),
        ("https://intranet.example.gov.uk/serviceplans", True),
        ("https://intranet.example.gov.uk/apps/service-plans", True),
        ("http://[::1]:8000", True),
        ("https://plans.example-council.gov.uk/", False),  # trailing slash
        ("https://intranet.example.gov.uk/serviceplans/", False),
        ("plans.example-council.gov.uk", False),  # no scheme
        ("ftp://plans.example-council.gov.uk", False),
        ("https://plans.example-council.gov.uk?x=1", False),
        ("https://plans.example-council.gov.uk#top", False),
        ("https://", False),
        ("https://user@plans.example-council.gov.uk", False),
        ("https://plans example.gov.uk", False),
        ("https://-plans.example.gov.uk", False),
    ],
)
def test_site_url_is_an_address_with_at_most_a_path_prefix(environment, value, good):
    environment(SITE_URL=value)
    if good:
        assert env_site_url("SITE_URL", "http://127.0.0.1:8000") == value
    else:
        with pytest.raises(ImproperlyConfigured, match="SITE_URL=.* must look like"):
            env_site_url("SITE_URL", "http://127.0.0.1:8000")


def test_site_url_defaults_to_the_development_server(environment):
    assert env_site_url("SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://plans.example.gov.uk", "https://plans.example.gov.uk/accounts/login/"),
        (
            "https://intranet.example.gov.uk/plans",
            "https://intranet.example.gov.uk/plans/accounts/login/",
        ),
    ],
)
def test_site_links_are_built_from_site_url(settings, site_url, expected):
    settings.SITE_URL = site_url
    assert site_link("login") == expected


def load_mail_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import serviceplans.settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.EMAIL_HOST, s.EMAIL_TIMEOUT, s.SITE_URL)",
        ],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "k", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_module_reads_mail_and_site_url_from_the_environment():
    default = load_mail_settings()
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == [
        FILES,
        str(settings.BASE_DIR / "mail"),
        "localhost",
        "10",
        "http://127.0.0.1:8000",
    ]
    smtp = load_mail_settings(EMAIL_HOST="smtp.council.example", SITE_URL="https://p.example")
    assert smtp.stdout.split()[0] == SMTP and smtp.stdout.split()[-1] == "https://p.example"
    bad = load_mail_settings(SITE_URL="https://p.example/")
    assert bad.returncode != 0 and "SITE_URL='https://p.example/' must look like" in bad.stderr


def deployment_warnings() -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=True, tags=["security"])
        if message.id.startswith("serviceplans.")
    }


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
)
def test_check_deploy_warns_while_mail_reaches_nobody(settings, backend):
    settings.EMAIL_BACKEND = backend
    settings.SITE_URL = "https://plans.example.gov.uk"
    assert deployment_warnings() == {"serviceplans.W001"}


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:8000"]
)
def test_check_deploy_warns_while_links_point_at_this_computer(settings, site_url):
    settings.EMAIL_BACKEND = SMTP
    settings.SITE_URL = site_url
    assert deployment_warnings() == {"serviceplans.W002"}


def test_check_deploy_is_quiet_with_smtp_and_a_public_address(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.SITE_URL = "https://plans.example.gov.uk"
    assert deployment_warnings() == set()
