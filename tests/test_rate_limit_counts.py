"""Rate limits count in the database when there is no Redis: every worker sees one count,
and no count is lost when two workers add to it at once (one statement each)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches

from config.cache import CounterCache
from quiz.models import RateCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts():
    """The counter cache on this run's database (SQLite, or PostgreSQL in the scale pass)."""
    return CounterCache("", {})


def test_rate_limits_count_in_redis_when_there_is_one_and_in_the_database_otherwise():
    expected = "RedisCache" if settings.REDIS_URL else "CounterCache"
    assert type(caches["rate_limits"]).__name__ == expected


def test_a_window_starts_once_and_then_counts_up(counts, clock):
    assert counts.add("client", 1, 65) is True
    assert counts.add("client", 1, 65) is False
    assert [counts.incr("client") for _ in range(3)] == [2, 3, 4]
    assert counts.get("client") == 4


def test_a_passed_window_starts_afresh_and_is_forgotten(counts, clock):
    counts.add("client", 1, 65)
    counts.incr("client")
    clock.shift(timedelta(seconds=66))
    assert counts.get("client") is None
    with pytest.raises(ValueError):
        counts.incr("client")
    assert counts.add("another-client", 1, 65) is True  # a new window clears passed ones
    assert list(RateCount.objects.values_list("count", flat=True)) == [1]
    assert counts.add("client", 1, 65) is True


def test_set_delete_and_clear(counts):
    counts.set("a", 5, 60)
    counts.set("b", 7, 60)
    assert counts.delete("a") is True
    assert (counts.get("a"), counts.get("b")) == (None, 7)
    counts.clear()
    assert counts.get("b") is None
