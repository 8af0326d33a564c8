"""Checking in again: a returning reader answers again and sees what moved since.

Her check-ins form a timeline reached from any of their private links; each earlier result
stays as it was; she deletes one check-in or all of them.
"""

from datetime import timedelta

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from quiz.models import DailyCount, QuizSession

from .quiz_helpers import (
    REVIEW,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    step_url,
    take,
)

pytestmark = pytest.mark.django_db

# Two answers changed two weeks later: he says things that hurt, and she is told she
# imagines things (a safety-critical answer).
WORSE = dict(STRESSED_BUT_TOGETHER)
WORSE["Has he said things like"] = "Yes, more than once"
WORSE["Do any of these sound familiar"] = "He tells me I’m imagining things"
WORSE_PATH = list(WORSE.items())


def check_in(client, result_url, path):
    """"Check in again" from a result, answer `path` in order, confirm: the new result."""
    page = client.get(result_url + "check-in/")
    assert page.status_code == 200
    response = client.post(result_url + "check-in/")
    assert response.status_code == 302
    for question_start, choice_start in path:
        chosen = choice(question_start, choice_start)
        assert response["Location"] == step_url(chosen.question)
        response = answer(client, chosen.question, chosen)
    assert response["Location"] == REVIEW
    response = client.post(REVIEW)
    assert response.status_code == 302
    return response["Location"]


def test_her_first_result_offers_to_check_in_again(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    page = client.get(url)
    assertContains(page, f'href="{url}check-in/"')
    assertNotContains(page, "Your check-ins")
    assertNotContains(page, "What moved since")


def test_each_question_of_a_check_in_shows_her_answer_last_time_already_picked(
    clock, client, questionnaire
):
    url = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    client.post(url + "check-in/")
    together = choice("Where do things stand", "We’re together")
    page = client.get(step_url(together.question))
    assertContains(page, "On 18 June 2031 you answered: We’re together, but he feels far away.")
    assertContains(page, f'value="{together.pk}"')
    assert page.context["form"].initial["choice"] == str(together.pk)


def test_a_returning_reader_sees_what_moved_since_her_last_check_in(
    clock, client, questionnaire
):
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    assert second != first
    page = client.get(second)
    assertContains(page, "What moved since 18 June 2031")
    assertContains(page, "Some things look more worrying than last time.")
    assertContains(page, "Warning signs that appeared:")
    assertContains(page, "Your answers of 2 July 2031, compared with")
    # Her timeline, and her earlier result as it was.
    assertContains(page, "Your check-ins")
    assertContains(page, f'<a href="{first}">18 June 2031: Give him space, and keep talking</a>')
    earlier = client.get(first)
    assertContains(earlier, "Give him space, and keep talking")
    assertNotContains(earlier, "What moved since")
    assertContains(earlier, "(this result)")
