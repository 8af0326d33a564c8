"""A Spanish reader's pages ask the database no more than an English reader's (issue 12):
each language's words are in the same published version, read in one go."""

import pytest
from django.core.cache import cache
from django.test import Client

from advice.releases import forget_parsed_releases

from .html import soup
from .quiz_helpers import STRESSED_BUT_TOGETHER, take
from .test_advice_page import count_queries
from .test_language_results import take_in_spanish
from .test_quiz_queries import RESULT_GET, RESULT_GET_BY_VISITOR, RESULT_GET_COLD, queries
from .translations import publish_spanish

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_spanish(questionnaire):
    """The seed's article and questionnaire with their Spanish published."""
    publish_spanish()
    page = soup(Client().get("/es/"))
    assert page.html["lang"] == "es" and not page.h1.get("lang")  # Spanish words, not English
    return questionnaire


def page_queries(path: str) -> tuple[int, int, int]:
    """Cold (nothing cached or parsed), warm (the version cached), kept (the page cache)."""
    client = Client()
    cache.clear()
    forget_parsed_releases()
    return (
        count_queries(client, path),
        count_queries(client, path),
        count_queries(client, path, kept=True),
    )


@pytest.mark.parametrize("english, spanish", [("/", "/es/"), ("/articles/", "/es/articles/")])
def test_a_spanish_public_page_takes_the_queries_of_the_english_one(in_spanish, english, spanish):
    counts = page_queries(english)
    assert counts[2] == 0  # a kept page asks nothing
    assert page_queries(spanish) == counts


def result_queries(client, result: str) -> tuple[int, int, int]:
    """Her own page cold and warm, and a visitor's with the link."""
    cache.clear()
    forget_parsed_releases()
    cold = queries(client, "get", result)
    warm = queries(client, "get", result)
    visitor = Client()
    visitor.get(result)  # the page into the cache
    return cold, warm, queries(visitor, "get", result)


def test_a_spanish_result_takes_the_queries_of_an_english_one(in_spanish):
    english, spanish = Client(), Client()
    english_result = take(english, STRESSED_BUT_TOGETHER)
    spanish_result = take_in_spanish(spanish)
    assert spanish_result.startswith("/es/results/")
    expected = (RESULT_GET_COLD, RESULT_GET, RESULT_GET_BY_VISITOR)
    assert result_queries(english, english_result) == expected
    assert result_queries(spanish, spanish_result) == expected
