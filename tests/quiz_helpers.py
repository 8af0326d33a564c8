"""Taking the shipped questionnaire through the test client, as a reader would."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.releases import forget_parsed_releases
from quiz.models import Choice, Question

REVISION = re.compile(r'name="revision" value="(\d+)"')

# The shipped questionnaire's addresses (fixtures/questionnaire.json).
SEED_SLUG = "why-is-he-pulling-away"
START = f"/questionnaire/{SEED_SLUG}/"
REVIEW = f"{START}review/"


def step_url(question_obj: Question, review=False) -> str:
    """A question's page, at its questionnaire's address."""
    url = f"/questionnaire/{question_obj.questionnaire.slug}/question/{question_obj.pk}/"
    return url + "?from=review" if review else url


def choice(question_text_start: str, choice_text_start: str) -> Choice:
    return Choice.objects.get(
        question__text__startswith=question_text_start, text__startswith=choice_text_start
    )


def question(text_start: str) -> Question:
    return Question.objects.get(text__startswith=text_start)


def revision_on(response) -> str:
    return REVISION.search(response.content.decode()).group(1)


def start(client, url=START):
    response = client.post(url)
    assert response.status_code == 302, response.status_code
    return response


def answer(client, question_obj: Question, *choices: Choice, follow_review=False):
    """Open the question's page and submit the given choices, like a browser does."""
    url = step_url(question_obj, review=follow_review)
    page = client.get(url)
    assert page.status_code == 200, (page.status_code, question_obj.text)
    return client.post(url, {"revision": revision_on(page), "choice": [str(c.pk) for c in choices]})


# Two readers with different stories, as (question start, answer start) pairs in order.
STRESSED_BUT_TOGETHER = [
    ("Where do things stand", "We’re together"),
    ("How long", "Around a year"),
    ("What has changed", "He’s working long hours"),
    ("Is anything weighing", "Yes: work, money"),
    ("When the future", "It hasn’t really come up"),
    ("How does he feel about commitment", "He seems ready"),
    ("When he pulls back", "Wonder what I did wrong"),
    ("Has he said things like", "No"),
    ("Have you noticed", "None of these"),
    ("Do any of these sound familiar", "None of these"),
    ("Apart from him", "Full"),
    ("If things stayed", "Yes, I want to make it work"),
]
LEFT_WITH_WARNING_SIGNS = [
    ("Where do things stand", "He has ended it"),
    ("How long", "Several years"),
    ("What has changed", "He cancels plans"),
    ("Is anything weighing", "Not that I know of"),
    ("When the future", "He gets vague"),
    ("How does he feel about commitment", "I don’t know"),
    ("When he pulls back", "Message or call more"),
    ("Has he said things like", "Yes, more than once"),
    ("Have you noticed", "An ex has come back"),
    ("Do any of these sound familiar", "He tells me I’m imagining things"),
    ("Since he ended it", "Mostly waiting"),
    ("Apart from him", "It has got smaller"),
    ("If things stayed", "Probably not"),
]


def take(client, path):
    """Start, answer every step of `path` in order, confirm on the review page.

    Returns the result page's address.
    """
    response = start(client)
    for question_start, choice_start in path:
        chosen = choice(question_start, choice_start)
        assert response["Location"] == step_url(chosen.question), (
            response["Location"],
            question_start,
        )
        response = answer(client, chosen.question, chosen)
    assert response["Location"] == REVIEW
    response = client.post(REVIEW)
    assert response.status_code == 302
    return response["Location"]


def queries_cold_then_warm(client, url) -> tuple[int, int]:
    """The queries one page takes with every cache empty, then again with them warm."""
    cache.clear()
    forget_parsed_releases()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return tuple(counts)
