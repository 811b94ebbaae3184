"""`manage.py check --deploy` reports nothing with the production variables of .env.example,
and bad values of the security variables stop start-up with a message naming them."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

ENV_EXAMPLE = settings.BASE_DIR / ".env.example"


def production_env() -> dict[str, str]:
    """The variables .env.example documents, with a real secret key where it leaves one blank."""
    env = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            value = value.strip()
            # NAME='quoted value', as a shell reads it (tests/test_settings.py checks the form)
            env[name.strip()] = value[1:-1] if value[:1] == value[-1:] == "'" else value
    env["SECRET_KEY"] = env.get("SECRET_KEY") or secrets.token_urlsafe(50)
    return env


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_env_example_documents_the_production_switches():
    env = production_env()
    for name in ("HTTPS", "BEHIND_PROXY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEBUG"):
        assert name in env, f"{name} is not in .env.example"
    assert env["HTTPS"] == "true" and env["DEBUG"] == "false"


def test_check_deploy_reports_nothing_with_the_documented_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_check_deploy_warns_without_https():
    """The check is not toothless: leave out HTTPS=true and it says so."""
    env = {**production_env(), "HTTPS": "false"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HSTS_SECONDS": "a year"}, "HSTS_SECONDS='a year' is not a whole number"),
        ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES='0' must be at least 1"),
        ({"ADMIN_URL": "/admin"}, "ADMIN_URL='/admin' must look like"),
        ({"CSRF_TRUSTED_ORIGINS": "plans.example"}, "CSRF_TRUSTED_ORIGINS entry 'plans.example'"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml' must be one of: json, text"),
        ({"LOGIN_FAILURE_LIMIT": "-1"}, "LOGIN_FAILURE_LIMIT='-1' must be at least 1"),
        ({"BEHIND_PROXY": "perhaps"}, "BEHIND_PROXY='perhaps' is not a yes/no value"),
    ],
)
def test_bad_security_values_stop_start_up(env, message):
    result = manage("check", SECRET_KEY="k", **env)
    assert result.returncode != 0
    assert message in result.stderr
