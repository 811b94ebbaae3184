"""The shared cache comes from CACHE_URL: Redis in production, each process's memory without
it; anything else stops start-up naming the variable; `check --deploy` warns while production
keeps a cache per process. None of these tests needs Redis."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from serviceplans.settings import env_cache, env_key_prefix

REDIS = "serviceplans.cache.SharedRedisCache"


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (None, "django.core.cache.backends.locmem.LocMemCache", ""),
        ("", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("redis://127.0.0.1:6379/0", REDIS, "redis://127.0.0.1:6379/0"),
        ("redis://cache.council.local", REDIS, "redis://cache.council.local"),
        (
            "rediss://:secret@cache.council.local:6380/2",
            REDIS,
            "rediss://:secret@cache.council.local:6380/2",
        ),
        (
            "db://serviceplans_cache",
            "django.core.cache.backends.db.DatabaseCache",
            "serviceplans_cache",
        ),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
    ],
)
def test_cache_url_chooses_the_backend(monkeypatch, url, backend, location):
    if url is None:
        monkeypatch.delenv("CACHE_URL", raising=False)
    else:
        monkeypatch.setenv("CACHE_URL", url)
    config = env_cache("CACHE_URL", "locmem://", key_prefix="live")
    assert config["BACKEND"] == backend
    assert config["KEY_PREFIX"] == "live"
    assert config.get("LOCATION") == location


@pytest.mark.parametrize(
    "url",
    [
        "memcached://127.0.0.1:11211",
        "redis://",
        "redis://127.0.0.1:port/0",
        "redis://127.0.0.1:6379/zero",
        "db://Robert'); DROP TABLE",
        "127.0.0.1:6379",
    ],
)
def test_an_unknown_cache_stops_start_up_naming_the_variable(monkeypatch, url):
    monkeypatch.setenv("CACHE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="^CACHE_URL"):
        env_cache("CACHE_URL", "locmem://", key_prefix="live")


@pytest.mark.parametrize("prefix", ["", "two words", "a:b", "x" * 51])
def test_a_bad_key_prefix_stops_start_up(monkeypatch, prefix):
    monkeypatch.setenv("CACHE_KEY_PREFIX", prefix)
    with pytest.raises(ImproperlyConfigured, match="^CACHE_KEY_PREFIX"):
        env_key_prefix("CACHE_KEY_PREFIX", "serviceplans")


def cache_warnings() -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=True, tags=["caches"])
        if message.id.startswith("serviceplans.")
    }


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_check_deploy_warns_while_each_process_keeps_its_own_cache(settings, backend):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": backend}}
    assert cache_warnings() == {"serviceplans.W003"}


def test_check_deploy_is_quiet_with_redis(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379/0"},
    }
    assert cache_warnings() == set()
