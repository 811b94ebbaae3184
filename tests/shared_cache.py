"""The real Redis for tests of the shared cache: the redis_cache fixture points the default
cache at it (redis://127.0.0.1:6379/0, or TEST_REDIS_URL), under a key prefix of this test
process's own, so parallel test workers and other checkouts sharing the server never see each
other's keys. Without a reachable Redis those tests are skipped, saying why; every other test
uses each process's own memory and needs no Redis."""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache(settings):
    """The default cache in the real Redis, emptied of this test's keys before and after;
    yields the Redis client, to look at the keys themselves."""
    import redis
    from django.core.cache import cache

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}): start redis-server")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    prefix = f"serviceplans-test-{worker}-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "serviceplans.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    client.prefix = prefix
    yield client
    cache.clear()  # this prefix's keys only (serviceplans.cache.SharedRedisCache)
    client.close()
