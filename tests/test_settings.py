"""Settings come from the environment, with defaults that are safe."""

import os
import re
import runpy
import sqlite3
import subprocess
import sys
import tomllib

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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


# The variables the site reads: its settings and its gunicorn configuration.
CONFIG_FILES = ("config/settings.py", "config/gunicorn.conf.py")
READ = re.compile(r"""(?:environ\.get|environ\[|env_flag|env_list)\(?\s*["']([A-Z_]+)["']""")
# What `make test` exports to choose the servers of its second pass.
KEPT_FOR_THE_SUITE = {"DATABASE_URL", "REDIS_URL"}


def site_variables() -> set[str]:
    return {
        name
        for path in CONFIG_FILES
        for name in READ.findall((settings.BASE_DIR / path).read_text(encoding="utf-8"))
    }


def settings_with(monkeypatch, **environ) -> dict:
    """config/settings.py run afresh with only `environ` among the site's variables."""
    for name in site_variables() - KEPT_FOR_THE_SUITE:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))


def test_the_variables_are_found():
    assert {"DJANGO_DEBUG", "SITE_URL", "QUIZ_EXIT_URL", "WEB_CONCURRENCY"} <= site_variables()


def test_the_suite_clears_every_site_variable_before_django_reads_them():
    """An exported SITE_URL or DJANGO_SECURE=1 must not change what the tests see."""
    pyproject = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
    cleared = {
        name
        for name, value in pyproject["tool"]["pytest_env"].items()
        if isinstance(value, dict) and value.get("unset")
    }
    assert cleared == site_variables() - KEPT_FOR_THE_SUITE
    assert not cleared & set(os.environ)


def test_every_variable_is_listed_in_env_example():
    listed = {
        line.split("=", 1)[0]
        for line in (settings.BASE_DIR / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert listed == site_variables()


def test_languages_come_from_one_list_the_default_first(monkeypatch):
    default = settings_with(monkeypatch)
    assert default["LANGUAGES"] == [("en", "English"), ("es", "Español")]
    assert default["LANGUAGE_CODE"] == "en"
    three = settings_with(monkeypatch, SITE_LANGUAGES="en,es,fr")
    assert [code for code, _ in three["LANGUAGES"]] == ["en", "es", "fr"]
    assert three["LANGUAGE_CODE"] == "en"


def test_debug_is_off_by_default(monkeypatch):
    assert settings_with(monkeypatch)["DEBUG"] is False
    assert settings_with(monkeypatch, DJANGO_DEBUG="1")["DEBUG"] is True
    assert settings.DEBUG is False  # and the suite runs without it


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


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    """A key generated per machine would break sessions behind a load balancer."""
    with pytest.raises(ImproperlyConfigured, match="set DJANGO_SECRET_KEY"):
        settings_with(monkeypatch, DJANGO_SECURE="1")
    key = "k" * 50
    assert settings_with(monkeypatch, DJANGO_SECURE="1", DJANGO_SECRET_KEY=key)["SECRET_KEY"] == key


def test_the_refusal_says_what_to_set_when_the_site_starts():
    environ = {name: value for name, value in os.environ.items() if name not in site_variables()}
    started = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**environ, "DJANGO_SECURE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "set DJANGO_SECRET_KEY to 50 or more random characters" in started.stderr
