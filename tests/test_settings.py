"""Settings come from the environment, with defaults that are safe."""

import sqlite3

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

from config.settings import env_flag, env_list, local_secret_key


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("0", False), ("no", False), ("yes please", False),
     ("1", True), ("true", True), ("YES", True)],
)  # fmt: skip
def test_flags_are_off_unless_clearly_on(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("SOME_FLAG", raising=False)
    else:
        monkeypatch.setenv("SOME_FLAG", value)
    assert env_flag("SOME_FLAG") is expected


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "example.org, www.example.org,,")
    assert env_list("SOME_HOSTS", "") == ["example.org", "www.example.org"]


def test_the_local_secret_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / ".secret_key"
    first = local_secret_key(path)
    assert len(first) >= 50
    assert local_secret_key(path) == first
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_secret_key_file_is_ignored_by_git():
    ignored = (settings.BASE_DIR / ".gitignore").read_text().splitlines()
    assert ".secret_key" in ignored


def test_debug_is_off_by_default():
    assert settings.DEBUG is False


def test_whitenoise_comes_right_after_the_security_middleware():
    security = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    assert settings.MIDDLEWARE[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the SQLite settings apply only when SQLite is the database",
)
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    """A real file database opened with the site's settings (tests use an in-memory one)."""
    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "site.sqlite3")}
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()
    assert sqlite3.connect(config["NAME"]).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
