"""A Redis cache that the site can lose: a failure degrades to "not cached", never to a 500.

The cache is an optimisation. When Redis stops answering, every call through this backend
behaves as if the cache were empty (``get`` returns the default, ``set`` and ``delete`` do
nothing, ``add`` says the key was added, ``incr`` raises ``ValueError`` as for a missing key),
so pages render from the database instead. A circuit breaker keeps a dead Redis from costing
each page a connection attempt per cache call: after a failure the backend does not try again
for ``RETRY_AFTER`` seconds (OPTIONS, default 5). The failure is logged once per burst, and
the recovery once. ``ping()`` bypasses all of this for the health check, which must see the
truth.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _Breaker:
    """Per-process state of one cache: closed (use Redis) or open until a moment."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._failing = False

    def allows(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.retry_after
            first = not self._failing
            self._failing = True
        if first:
            logger.warning(
                "Cache unavailable (%s on %s: %s); pages are served without it and it is "
                "retried every %.0f s",
                type(exc).__name__,
                operation,
                exc,
                self.retry_after,
            )

    def succeeded(self) -> None:
        if self._failing:
            with self._lock:
                recovered, self._failing = self._failing, False
            if recovered:
                logger.warning("Cache answers again")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache with every Redis error turned into a cache miss (see module)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("RETRY_AFTER", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _Breaker(retry_after)

    def _guarded(self, operation: str, fallback, call, *args, **kwargs):
        if not self._breaker.allows():
            return fallback()
        try:
            result = call(*args, **kwargs)
        except RedisError as exc:
            self._breaker.failed(operation, exc)
            return fallback()
        self._breaker.succeeded()
        return result

    @staticmethod
    def _missing_key():
        raise ValueError("cache unavailable: treated as a missing key")

    def ping(self) -> bool:
        """Ask Redis directly, past the breaker; raises when it does not answer."""
        result = self._cache.get_client(write=True).ping()
        self._breaker.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", lambda: True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded("get", lambda: default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", lambda: None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", lambda: False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", lambda: False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", lambda: False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", self._missing_key, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "set_many", lambda: list(data), super().set_many, data, timeout, version
        )

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", lambda: None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded("clear", lambda: False, super().clear)
