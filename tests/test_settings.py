"""Settings fail loudly on bad values instead of running with a surprise."""

import os
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
    ],
)
def test_bad_values_stop_start_up_with_a_message(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_runs_without_a_secret_key():
    result = load_settings(SECRET_KEY="", DEBUG="true")
    assert result.returncode == 0, result.stderr
