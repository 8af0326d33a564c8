"""A run remembers the language she took it in: her result link opens in it, and the
result links to itself in the other language. Switching language mid-run keeps the run."""

import pytest
from pytest_django.asserts import assertContains

from quiz.models import QuizSession

from .html import soup
from .quiz_helpers import (
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    revision_on,
    step_url,
    take,
)

pytestmark = pytest.mark.django_db


def answer_at(client, url: str, *choices):
    page = client.get(url)
    assert page.status_code == 200, (page.status_code, url)
    return client.post(url, {"revision": revision_on(page), "choice": [c.pk for c in choices]})


def take_in_spanish(client) -> str:
    """Start at /es/, answer every step by the addresses she is sent to, confirm: the
    address of her result."""
    response = client.post(f"/es{START}")
    for question_start, choice_start in STRESSED_BUT_TOGETHER:
        location = response["Location"]
        assert location == f"/es{step_url(choice(question_start, choice_start).question)}"
        response = answer_at(client, location, choice(question_start, choice_start))
    assert response["Location"] == f"/es{REVIEW}"
    return client.post(f"/es{REVIEW}")["Location"]


def test_a_run_taken_in_spanish_gives_a_spanish_result_link(client, questionnaire):
    result = take_in_spanish(client)
    session = QuizSession.objects.get()
    assert session.language == "es"
    assert result == f"/es/results/{session.token}/"
    assert soup(client.get(result)).html["lang"] == "es"


def test_a_run_taken_in_english_keeps_todays_result_link(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    session = QuizSession.objects.get()
    assert (session.language, result) == ("en", f"/results/{session.token}/")


def test_a_result_from_before_languages_opens_in_english(client, questionnaire):
    take(client, STRESSED_BUT_TOGETHER)
    QuizSession.objects.update(language="")  # as the migration leaves older runs
    session = QuizSession.objects.get()
    assert session.result_link() == f"/results/{session.token}/"
    assert soup(client.get(session.result_link())).html["lang"] == "en"


def test_the_result_links_to_the_same_result_in_the_other_language(client, questionnaire):
    result = take_in_spanish(client)
    token = QuizSession.objects.get().token
    link = soup(client.get(result)).find("a", hreflang="en")
    assert (link["href"], link["lang"], link.get_text()) == (f"/results/{token}/", "en", "English")
    english = client.get(link["href"])
    assert english.status_code == 200 and soup(english).html["lang"] == "en"
    assert soup(english).find("a", hreflang="es")["href"] == result
    assertContains(english, "Delete my answers")  # still hers, in either language


def test_switching_language_mid_run_keeps_the_run_and_its_answers(client, questionnaire):
    """Started in English, two answers; the rest in Spanish; one run, every answer, and
    the result link in the language she finished in."""
    client.post(START)
    for question_start, choice_start in STRESSED_BUT_TOGETHER[:2]:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)
    switched = client.get(f"/es{step_url(choice(*STRESSED_BUT_TOGETHER[2]).question)}")
    assert switched.status_code == 200
    for question_start, choice_start in STRESSED_BUT_TOGETHER[2:]:
        picked = choice(question_start, choice_start)
        answer_at(client, f"/es{step_url(picked.question)}", picked)
    review = client.get(f"/es{REVIEW}")
    for question_start, choice_start in STRESSED_BUT_TOGETHER[:2]:
        assertContains(review, choice(question_start, choice_start).text)
    result = client.post(f"/es{REVIEW}")["Location"]
    session = QuizSession.objects.get()
    assert result == f"/es/results/{session.token}/"
    assert session.answer_map().keys() == {
        choice(q, c).question_id for q, c in STRESSED_BUT_TOGETHER
    }


def test_private_pages_name_no_alternates(client, questionnaire):
    result = take_in_spanish(client)
    step = step_url(choice(*STRESSED_BUT_TOGETHER[0]).question)
    client.post(f"/es{START}")
    for page in (client.get(result), client.get(f"/es{step}")):
        head = soup(page).head
        assert head.find("link", rel="alternate") is None
        assert head.find("link", rel="canonical") is None
        assert page["X-Robots-Tag"] == "noindex, nofollow"
