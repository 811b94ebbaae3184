"""The Redis cache backend of settings.CACHES (CACHE_URL=redis://…)."""

from django.core.cache.backends.redis import RedisCache


class SharedRedisCache(RedisCache):
    """Django's Redis cache, except that clear() deletes this installation's keys only (those
    under its KEY_PREFIX) instead of emptying the whole Redis database, which other
    installations sharing the server (a training copy, another council) use too."""

    def clear(self) -> bool:
        client = self._cache.get_client(None, write=True)
        # KEY_PREFIX is letters, digits, dots, dashes and underscores (settings): no pattern.
        keys = client.scan_iter(match=f"{self.key_prefix}:*", count=1000)
        batch = []
        for key in keys:
            batch.append(key)
            if len(batch) == 1000:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)
        return True
