"""Test-wide set-up, in one place.

Static files: the manifest storage needs `collectstatic`; tests use the plain storage.
Cache: cleared around every test, so a rendered page from one test never answers another.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The shipped seed article, exactly as `make run` loads it."""
    call_command("loaddata", "article", verbosity=0)
    from advice.models import Article

    return Article.objects.get(is_home=True)


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "a long editor password"
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def questionnaire(seeded):
    """The shipped questionnaire on top of the shipped article."""
    call_command("loaddata", "questionnaire", verbosity=0)
    from quiz.models import Questionnaire

    return Questionnaire.objects.get()
