"""A cache for counters that every worker shares, without Redis.

Rate limits count requests per client in a cache (django-ratelimit: `add` starts a
window's count, `incr` adds to it). In each process's own memory, three workers would each
allow the full budget. Django's database cache is shared, but its `incr` reads and then
writes (two workers counting at once lose a count) and every write counts the whole table
first. So this backend keeps counters only, in `quiz.RateCount`, and each operation is one
atomic statement on SQLite and PostgreSQL alike. With REDIS_URL set, Redis counts instead
(config/settings.py).
"""

from datetime import timedelta

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router
from django.utils import timezone

from quiz.models import RateCount


class CounterCache(BaseCache):
    """Integers only: what django-ratelimit stores."""

    def __init__(self, location, params):
        super().__init__(params)

    def _run(self, sql: str, params: list) -> tuple[int, tuple | None]:
        """Run one statement; the number of rows it touched, and the first row it returned."""
        alias = router.db_for_write(RateCount)
        connection = connections[alias]
        quote = connection.ops.quote_name
        sql = sql.format(
            table=quote(RateCount._meta.db_table),
            key=quote("key"),
            count=quote("count"),
            expires=quote("expires_at"),
        )
        params = [
            connection.ops.adapt_datetimefield_value(p) if hasattr(p, "tzinfo") else p
            for p in params
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return (
                cursor.rowcount,
                cursor.fetchone() if "RETURNING" in sql or "SELECT" in sql else None,
            )

    def _expiry(self, timeout):
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return timezone.now() + timedelta(seconds=10**8 if timeout is None else timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """Start a count unless a live one exists (an expired one is started afresh)."""
        now = timezone.now()
        touched, _ = self._run(
            "INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, %s, %s) "
            "ON CONFLICT ({key}) DO UPDATE SET {count} = excluded.{count}, "
            "{expires} = excluded.{expires} WHERE {table}.{expires} <= %s",
            [self.make_and_validate_key(key, version), int(value), self._expiry(timeout), now],
        )
        added = touched == 1
        if added:  # once per client and window: forget the windows that have passed
            self._run("DELETE FROM {table} WHERE {expires} <= %s", [now])
        return added

    def incr(self, key, delta=1, version=None) -> int:
        _, row = self._run(
            "UPDATE {table} SET {count} = {count} + %s WHERE {key} = %s AND {expires} > %s "
            "RETURNING {count}",
            [delta, self.make_and_validate_key(key, version), timezone.now()],
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return row[0]

    def get(self, key, default=None, version=None):
        _, row = self._run(
            "SELECT {count} FROM {table} WHERE {key} = %s AND {expires} > %s",
            [self.make_and_validate_key(key, version), timezone.now()],
        )
        return default if row is None else row[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._run(
            "INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, %s, %s) "
            "ON CONFLICT ({key}) DO UPDATE SET {count} = excluded.{count}, "
            "{expires} = excluded.{expires}",
            [self.make_and_validate_key(key, version), int(value), self._expiry(timeout)],
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        touched, _ = self._run(
            "UPDATE {table} SET {expires} = %s WHERE {key} = %s",
            [self._expiry(timeout), self.make_and_validate_key(key, version)],
        )
        return touched == 1

    def delete(self, key, version=None) -> bool:
        touched, _ = self._run(
            "DELETE FROM {table} WHERE {key} = %s", [self.make_and_validate_key(key, version)]
        )
        return touched == 1

    def clear(self) -> None:
        self._run("DELETE FROM {table}", [])
