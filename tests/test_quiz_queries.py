"""SQL queries per questionnaire page: constants, whatever the number of items and rules."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from advice.models import Section
from advice.releases import forget_parsed_releases, publish
from quiz.models import ChoiceRule

from .factories import make_item
from .quiz_helpers import (
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    choice,
    question,
    revision_on,
    start,
    take,
)

pytestmark = pytest.mark.django_db

# The reader's quiz session with its published version's number (1), her answers (1). The
# Django session comes from the cache, the version's rules from the worker's memory.
STEP_GET = 2
# The same two, then recording the answer in one transaction: find the answer (1), insert
# it (1), read and add its choices (2), add it to the statistics' daily counts (1 upsert;
# a changed answer also reads its old choices first), move the session's revision (1).
# The other six are three savepoints and their releases: inside the test's own
# transaction, atomic blocks (ours and update_or_create's) become savepoints. Without Redis
# the rate limit counts in the database too: an insert that finds this window's count
# already started (1), and the increment (1).
RATE_LIMIT = 0 if settings.REDIS_URL else 2
STEP_POST = 14 + RATE_LIMIT
REVIEW_GET = 2
# The session by its token, with its version's number (1), and her "Was this helpful?"
# votes (1); the page itself comes from the cache, since neither her final answers nor her
# published version ever change. Her votes are read apart from it, so voting never
# rebuilds the page.
RESULT_GET = 2
# Someone else reading her result is asked nothing, so no votes are read.
RESULT_GET_BY_VISITOR = 1
# With nothing cached or parsed: the Django session (1), the quiz session (1), the content
# of her published version (1), her votes (1). Her answers were copied onto the session
# when she finished; article and rules are in that version.
RESULT_GET_COLD = 4


def queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


def add_more_items_and_rules():
    """Twenty more reasons, each tied to an answer: more content, same number of queries."""
    reasons = Section.objects.get(kind="reasons")
    tired = choice("What has changed", "He’s working long hours")
    for n in range(20):
        item = make_item(section=reasons, slug=f"reason-extra-{n}", position=100 + n)
        ChoiceRule.objects.create(choice=tired, item=item, weight=2)
    publish()


def measure(client):
    start(client)
    stand = question("Where do things stand")
    url = f"{START}question/{stand.pk}/"
    client.get(url)  # warm the rules cache
    counts = {"step_get": queries(client, "get", url)}
    data = {"revision": revision_on(client.get(url)), "choice": str(stand.choices.first().pk)}
    counts["step_post"] = queries(client, "post", url, data)
    counts["review_get"] = queries(client, "get", REVIEW)
    return counts


def test_queries_per_step(client, questionnaire):
    assert measure(client) == {
        "step_get": STEP_GET,
        "step_post": STEP_POST,
        "review_get": REVIEW_GET,
    }


def test_queries_per_step_do_not_grow_with_items(client, questionnaire):
    add_more_items_and_rules()
    assert measure(client) == {
        "step_get": STEP_GET,
        "step_post": STEP_POST,
        "review_get": REVIEW_GET,
    }


def result_queries(client) -> tuple[int, int]:
    url = take(client, STRESSED_BUT_TOGETHER)
    cache.clear()
    forget_parsed_releases()
    cold = queries(client, "get", url)
    return cold, queries(client, "get", url)


def test_result_page_queries(client, questionnaire):
    assert result_queries(client) == (RESULT_GET_COLD, RESULT_GET)


def test_result_page_queries_do_not_grow_with_items(client, questionnaire):
    add_more_items_and_rules()
    assert result_queries(client) == (RESULT_GET_COLD, RESULT_GET)


def test_a_visitor_reading_her_result_costs_one_query(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    visitor = Client()
    visitor.get(url)  # the page into the cache
    assert queries(visitor, "get", url) == RESULT_GET_BY_VISITOR


def test_voting_does_not_rebuild_the_cached_result_page(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    client.get(url)  # the page into the cache
    response = client.post(url + "feedback/", {"item": "reason-stressed", "helpful": "yes"})
    assert response.status_code == 303
    assert queries(client, "get", url) == RESULT_GET


def test_building_the_rules_takes_the_same_queries_however_many_items(client, questionnaire):
    from quiz.snapshot import build_rules

    def count():
        questionnaire.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            build_rules(questionnaire)
        return len(captured)

    before = count()
    add_more_items_and_rules()
    cache.clear()
    assert count() == before == 6
