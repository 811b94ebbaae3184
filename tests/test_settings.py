"""Settings fail loudly on bad values instead of running with a surprise."""

import os
import re
import shlex
import subprocess
import sys

import pytest
from django.conf import settings

BASE_ENV = {"PATH": os.environ["PATH"], "SECRET_KEY": "k"}


def load_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import serviceplans.settings as s; print(s.DATABASES['default']"
            "['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS)",
        ],
        cwd=settings.BASE_DIR,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_to_embedded_sqlite_with_debug_off():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.sqlite3", "False"]


def test_reads_postgres_url_and_hosts():
    result = load_settings(
        DATABASE_URL="postgres://u:p@db.example:5432/plans", ALLOWED_HOSTS="a.example,b.example"
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
    assert "['a.example', 'b.example']" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a yes/no value"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point at PostgreSQL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL is not a usable database URL"),
        ({"ALLOWED_HOSTS": "a.example,,b"}, "ALLOWED_HOSTS='a.example,,b' has an empty entry"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"BANK_HOLIDAYS": "wales"}, "BANK_HOLIDAYS='wales' must be one of: england-and-wales,"),
        ({"FIGURES_DUE_WORKING_DAYS": "-1"}, "FIGURES_DUE_WORKING_DAYS='-1' must be at least 0"),
        ({"REPORT_COLOUR": "#ffcc00"}, "REPORT_COLOUR: #ffcc00 is too light for the white text"),
        ({"REPORT_COLOUR": "navy"}, "REPORT_COLOUR: 'navy' is not a colour"),
        ({"REPORT_LOGO": "README.md"}, "REPORT_LOGO='README.md' must be a PNG or JPEG file"),
    ],
)
def test_bad_values_stop_start_up_with_a_message(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_new_install_names_no_council():
    """No COUNCIL_NAME: no council's name (the demo's least of all) until an administrator
    gives one on the settings page."""
    result = subprocess.run(
        [sys.executable, "-c", "import serviceplans.settings as s; print(repr(s.COUNCIL_NAME))"],
        cwd=settings.BASE_DIR,
        env=BASE_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "''", result.stderr


def test_debug_runs_without_a_secret_key():
    result = load_settings(SECRET_KEY="", DEBUG="true")
    assert result.returncode == 0, result.stderr


# .env.example is also read by a shell (docs/deployment.md: `set -a; . /etc/serviceplans/env`)
ENV_EXAMPLE = settings.BASE_DIR / ".env.example"
ASSIGNMENT = re.compile(r"(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>'[^']*'|[^\s$`\"'\\;&|<>()*?#~]*)")


def env_example_values() -> dict[str, str]:
    """Every variable .env.example sets and the value it means, each line checked to be a
    plain NAME=value or NAME='quoted value' assignment."""
    values = {}
    for number, line in enumerate(ENV_EXAMPLE.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = ASSIGNMENT.fullmatch(line)
        assert match, f".env.example line {number} is not NAME=value or NAME='value': {line!r}"
        value = match["value"]
        values[match["name"]] = value[1:-1] if value.startswith("'") else value
    return values


def source_env_example(then: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", f"set -a; . ./.env.example; set +a; {then}"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_env_example_can_be_sourced_by_a_shell():
    result = source_env_example("env -0")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no "District: command not found"
    environment = dict(item.split("=", 1) for item in result.stdout.split("\0") if item)
    expected = env_example_values()
    assert expected["COUNCIL_NAME"] == "Example Borough Council"
    assert {name: environment.get(name) for name in expected} == expected


def test_settings_accept_the_values_of_env_example():
    result = source_env_example(
        f"SECRET_KEY=k exec {shlex.quote(sys.executable)} -c 'import serviceplans.settings as s; "
        "print(s.COUNCIL_NAME); print(s.AXES_FAILURE_LIMIT, s.LOGIN_ADDRESS_FAILURE_LIMIT)'"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Example Borough Council", "10 50"]


def test_an_address_limit_below_the_account_limit_stops_start_up():
    result = load_settings(LOGIN_FAILURE_LIMIT="10", LOGIN_ADDRESS_FAILURE_LIMIT="5")
    assert result.returncode != 0
    assert "LOGIN_ADDRESS_FAILURE_LIMIT=5 must be at least LOGIN_FAILURE_LIMIT (10)" in (
        result.stderr
    )


READ_FROM_ENVIRONMENT = re.compile(
    r'(?:env_[a-z_]+|os\.environ\.get|os\.environ)\(?\[?"([A-Z][A-Z0-9_]*)"'
)


def test_env_example_documents_every_variable_the_settings_read():
    source = (settings.BASE_DIR / "serviceplans" / "settings.py").read_text()
    read = set(READ_FROM_ENVIRONMENT.findall(source))
    documented = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    assert {"OIDC_ENABLED", "OIDC_ROLE_GROUPS", "PASSWORD_SIGN_IN"} <= read
    assert read - documented == set()


OIDC = {
    "OIDC_ENABLED": "true",
    "OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0",
    "OIDC_CLIENT_ID": "client",
    "OIDC_CLIENT_SECRET": "secret",
}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ENABLED": "true"}, "OIDC_ENABLED is on but OIDC_ISSUER, OIDC_CLIENT_ID,"),
        ({**OIDC, "OIDC_ISSUER": "login.example"}, "OIDC_ISSUER='login.example' is not an"),
        ({**OIDC, "OIDC_SCOPES": "email profile"}, "must include openid"),
        ({"OIDC_ROLE_GROUPS": "Admins=g1"}, "OIDC_ROLE_GROUPS entry 'Admins=g1' must be"),
        ({"OIDC_ROLE_GROUPS": "Officers="}, "OIDC_ROLE_GROUPS entry 'Officers=' must be"),
        ({"OIDC_ROLE_GROUPS": "Officers=a;Officers=b"}, "entry 'Officers=b' must be"),
        ({"PASSWORD_SIGN_IN": "false"}, "PASSWORD_SIGN_IN=false needs OIDC_ENABLED=true"),
    ],
)
def test_bad_single_sign_on_settings_stop_start_up(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_single_sign_on_settings_are_read():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import serviceplans.settings as s; print(s.AUTHENTICATION_BACKENDS); "
            "print(sorted((role, sorted(ids)) for role, ids in s.OIDC_ROLE_GROUPS.items()))",
        ],
        cwd=settings.BASE_DIR,
        env={
            **BASE_ENV,
            **OIDC,
            "PASSWORD_SIGN_IN": "false",
            "OIDC_ROLE_GROUPS": "Heads of service=g1, g2; Members=g3",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['security.backends.LockoutBackend', 'organisation.oidc.SignOnBackend']",
        "[('Heads of service', ['g1', 'g2']), ('Members', ['g3'])]",
    ]
