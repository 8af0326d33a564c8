"""Test-wide set-up, in one place.

Time: tests never depend on the day they run. The seed is published at a fixed moment
(`SEED_PUBLISHED_AT`), and a test about days or windows asks for `clock`, which moves
time to a fixed noon (`CLOCK_START`) long after it; `make test` runs the suite again with
the real clock years ahead and a minute before midnight to prove nothing else looks.
Environment: pyproject.toml's [tool.pytest_env] clears the site's variables before Django
reads its settings.

Static files: the manifest storage needs `collectstatic`; tests use the plain storage.
Cache: cleared around every test (with the releases each worker keeps parsed, and the
kept public pages), so a rendered page from one test never answers another.
Workers: `make test` runs two at once (pytest-xdist); with REDIS_URL each gets a Redis
database of its own (`pytest_configure`), since clearing a cache empties its database.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.signals import setting_changed

from .chromium import CHROMIUM, CHROMIUM_ARGS, with_short_timeout
from .moments import CLOCK_START, QUESTIONNAIRE_PUBLISHED_AT, SEED_PUBLISHED_AT


def pytest_configure(config):
    """Under pytest-xdist, worker gwN uses the Redis database N below REDIS_URL's (15, 14,
    ...): one worker's `cache.clear()` (FLUSHDB) would otherwise empty the other's cache
    mid-test, and the servers its stack tests start (they inherit the environment).
    Without Redis, each test process has its own page generation file, beside its own
    database (config/page_cache.py)."""
    if settings.PAGE_GENERATION_FILE:
        settings.PAGE_GENERATION_FILE = settings.DATABASES["default"]["TEST"]["NAME"] + (
            ".page-generation"
        )
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("REDIS_URL")
    if not (worker and url):
        return
    parts = urlsplit(url)
    number = (int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))) % 16
    own = parts._replace(path=f"/{number}").geturl()
    os.environ["REDIS_URL"] = settings.REDIS_URL = own
    for alias in settings.CACHES.values():
        if alias.get("LOCATION") == url:
            alias["LOCATION"] = own
    # Caches opened before now (none, normally) are closed and opened again from these.
    setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    from advice import releases

    for each in (cache, caches["pages"]):
        each.clear()
    releases.forget_parsed_releases()
    yield
    for each in (cache, caches["pages"]):
        each.clear()
    releases.forget_parsed_releases()


@pytest.fixture
def seeded(db):
    """The shipped seed article, exactly as `make run` loads it."""
    call_command("loaddata", "article", verbosity=0)
    from advice.models import Article
    from advice.releases import publish

    publish(note="The seed article", go_live_at=SEED_PUBLISHED_AT)
    return Article.objects.get(is_home=True)


@pytest.fixture
def clock(time_machine):
    """Time stands at `CLOCK_START` and runs on from there (`clock.shift(...)`,
    `clock.move_to(..., tick=False)` to stop it), whatever day the suite runs on.

    Ask for it first: fixtures after it (a signed-in editor, a reader's session) are then
    made at the moved time too, and do not look years old."""
    time_machine.move_to(CLOCK_START, tick=True)
    return time_machine


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "a long editor password"
    )


@pytest.fixture
def second_editor(db, django_user_model):
    """Another editor with every right: who approves what `editor` changed."""
    return django_user_model.objects.create_superuser(
        "second", "second@example.org", "a long second editor password"
    )


@pytest.fixture
def writer(db, django_user_model):
    from .editing import member

    return member(django_user_model, "writer", "Writers")


@pytest.fixture
def reviewer(db, django_user_model):
    from .editing import member

    return member(django_user_model, "reviewer", "Reviewers")


@pytest.fixture
def publisher(db, django_user_model):
    from .editing import member

    return member(django_user_model, "publisher", "Publishers")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def questionnaire(seeded):
    """The shipped questionnaire on top of the shipped article."""
    call_command("loaddata", "questionnaire", "support_resources", "emergency_numbers", verbosity=0)
    from advice.releases import publish
    from quiz.models import Questionnaire

    publish(note="The seed questionnaire", go_live_at=QUESTIONNAIRE_PUBLISHED_AT)
    return Questionnaire.objects.get()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the session (see tests/chromium.py)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (make test does it).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make
    # between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            browser.new_context = with_short_timeout(browser.new_context)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
