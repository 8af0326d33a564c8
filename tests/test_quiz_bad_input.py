"""Bad input gets a clear message and a 4xx, and the answers already given stay intact."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from quiz import problems
from quiz.models import QuizSession

from .quiz_helpers import (
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    question,
    revision_on,
    start,
)

pytestmark = pytest.mark.django_db


def stored_answers():
    return sorted(
        (a.question_id, tuple(sorted(a.choices.values_list("pk", flat=True))))
        for s in QuizSession.objects.all()
        for a in s.answers.all()
    )


@pytest.fixture
def halfway(client, questionnaire):
    """A reader who answered the first three questions; the fourth is next."""
    start(client)
    for question_start, choice_start in STRESSED_BUT_TOGETHER[:3]:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)
    before = stored_answers()
    assert len(before) == 3
    return before


def post_to(client, question_obj, data, **extra):
    url = f"{START}question/{question_obj.pk}/"
    page = client.get(url)
    data = {"revision": revision_on(page), **data}
    return client.post(url, data, **extra)


def test_no_choice_picked(client, halfway):
    response = post_to(client, question("Is anything weighing"), {})
    assert response.status_code == 400
    assertContains(response, "Please pick an answer to go on.", status_code=400)
    assertContains(response, "There is a problem", status_code=400)
    assert stored_answers() == halfway


def test_no_choice_picked_on_a_multiple_choice_question(client, halfway):
    response = post_to(client, question("What has changed"), {"choice": []})
    assertContains(response, "If none fits, pick “None of these”", status_code=400)
    assert stored_answers() == halfway


def test_an_unknown_choice_id(client, halfway):
    response = post_to(client, question("Is anything weighing"), {"choice": "999999"})
    assertContains(response, "not one of this question’s answers", status_code=400)
    assert stored_answers() == halfway


def test_a_choice_that_is_not_a_number(client, halfway):
    response = post_to(client, question("Is anything weighing"), {"choice": "'; DROP TABLE"})
    assertContains(response, "not one of this question’s answers", status_code=400)
    assert stored_answers() == halfway


def test_a_choice_from_another_question(client, halfway):
    other = choice("Where do things stand", "He has ended it")
    response = post_to(client, question("Is anything weighing"), {"choice": str(other.pk)})
    assertContains(response, "not one of this question’s answers", status_code=400)
    assert stored_answers() == halfway


def test_several_choices_on_a_single_choice_question(client, halfway):
    first = choice("Is anything weighing", "Yes")
    second = choice("Is anything weighing", "Not that I know")
    response = post_to(
        client, question("Is anything weighing"), {"choice": [str(first.pk), str(second.pk)]}
    )
    assertContains(response, "Please pick only one answer", status_code=400)
    assert stored_answers() == halfway


def test_a_step_hidden_by_its_condition(client, halfway):
    hidden = question("Since he ended it")  # she said they are together
    assertContains(
        client.get(f"{START}question/{hidden.pk}/"),
        "This question doesn’t apply to your answers",
        status_code=409,
    )
    response = client.post(
        f"{START}question/{hidden.pk}/",
        {"revision": "3", "choice": str(choice("Since he ended it", "Thinking").pk)},
    )
    assert response.status_code == 409
    assert stored_answers() == halfway


def test_an_out_of_order_post_skipping_ahead(client, halfway):
    later = question("If things stayed")
    response = client.post(
        f"{START}question/{later.pk}/",
        {"revision": "3", "choice": str(choice("If things stayed", "Probably").pk)},
    )
    assertContains(response, "Please answer the questions in order", status_code=409)
    assert stored_answers() == halfway


def test_a_replayed_post_from_an_older_page(client, halfway):
    stand = question("Where do things stand")
    stale = revision_on(client.get(f"{START}question/{stand.pk}/"))
    # She answers the next question, then the old page's form is sent again.
    picked = choice("Is anything weighing", "Yes")
    answer(client, picked.question, picked)
    now = stored_answers()
    response = client.post(
        f"{START}question/{stand.pk}/",
        {"revision": stale, "choice": str(choice("Where do things stand", "He has ended").pk)},
    )
    assertContains(response, "This page was out of date", status_code=409)
    assert stored_answers() == now


def test_a_post_without_the_revision_field(client, halfway):
    response = client.post(
        f"{START}question/{question('Is anything weighing').pk}/",
        {"choice": str(choice("Is anything weighing", "Yes").pk)},
    )
    assertContains(response, "This page was incomplete", status_code=400)
    assert stored_answers() == halfway


def test_a_newcomer_starts_from_the_page_every_newcomer_gets(questionnaire):
    """The start page of a browser without a session carries no form token (it is one
    page for all, kept by caches): starting needs none, and loses nothing of anyone's."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(START)
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies
    assert browser.post(START).status_code == 302
    assert QuizSession.objects.count() == 1


def test_start_again_without_its_token_keeps_her_run(questionnaire):
    """With a run to lose, Django's CSRF check guards "Start again": a page from another
    site cannot make her browser drop her answers."""
    browser = Client(enforce_csrf_checks=True)
    browser.post(START)
    her_run = QuizSession.objects.get()
    page = browser.get(START)
    assertContains(page, "Start again")
    response = browser.post(START)  # as a forged form would, without her token
    assert response.status_code == 302 and response["Location"] == START
    assert list(QuizSession.objects.all()) == [her_run]
    assertContains(browser.get(START), "Continue where you left off")
    browser.post(START, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert QuizSession.objects.count() == 2


def test_a_missing_csrf_token_on_an_answer(questionnaire):
    browser = Client(enforce_csrf_checks=True)
    browser.post(START)
    stand = question("Where do things stand")
    response = browser.post(
        f"{START}question/{stand.pk}/",
        {"revision": "0", "choice": str(choice("Where do things stand", "We’re").pk)},
    )
    assertContains(response, "Please try that again", status_code=403)
    assert stored_answers() == []


@pytest.mark.parametrize("key", ["quiz_runs", "quiz_token"])
def test_an_unknown_session_token_in_the_cookie_session(client, questionnaire, halfway, key):
    """In her runs, or under the single key browsers held before each questionnaire had
    its own address (`quiz_token`): both are forgotten, nothing else changes."""
    session = client.session
    session.pop("quiz_runs")
    session[key] = {str(questionnaire.pk): "x" * 43} if key == "quiz_runs" else "x" * 43
    session.save()
    response = client.post(
        f"{START}question/{question('Is anything weighing').pk}/",
        {"revision": "3", "choice": str(choice("Is anything weighing", "Yes").pk)},
    )
    assertContains(response, "We couldn’t find your answers", status_code=403)
    assert stored_answers() == halfway


def test_a_tampered_session_cookie(client, halfway):
    client.cookies["sessionid"] = "tampered-value"
    response = client.post(
        f"{START}question/{question('Is anything weighing').pk}/",
        {"revision": "3", "choice": str(choice("Is anything weighing", "Yes").pk)},
    )
    assert response.status_code == 403
    assert stored_answers() == halfway
    # A GET without a session is sent to the start page, with a word on why.
    response = client.get(f"{START}question/{question('How long').pk}/")
    assert response.status_code == 302 and response["Location"] == START


@pytest.mark.parametrize(
    "token",
    [
        "A" * 43,  # well-formed, unknown
        "short",
        "A" * 44,
        "bad$chars" + "A" * 34,
        "../../etc/passwd",
    ],
)
def test_guessed_and_malformed_result_tokens_are_not_found(client, questionnaire, token):
    response = client.get(f"/results/{token}/")
    assert response.status_code == 404
    assertContains(response, "We couldn’t find that page", status_code=404)


def test_an_oversized_body(client, halfway, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        f"{START}question/{question('Is anything weighing').pk}/",
        {"revision": "3", "choice": big},
    )
    assert response.status_code == 400
    assertContains(response, "That request didn’t look right", status_code=400)
    assert stored_answers() == halfway


def test_too_many_fields(client, halfway, settings):
    fields = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(f"{START}question/{question('Is anything weighing').pk}/", fields)
    assert response.status_code == 400
    assert stored_answers() == halfway


def test_an_unknown_question_id(client, halfway):
    assertContains(
        client.get(f"{START}question/999999/"),
        "This question isn’t part of the questionnaire",
        status_code=404,
    )


def test_answers_are_final_once_the_result_was_shown(client, questionnaire):
    from .quiz_helpers import take

    take(client, STRESSED_BUT_TOGETHER)
    before = stored_answers()
    stand = question("Where do things stand")
    response = client.post(
        f"{START}question/{stand.pk}/",
        {"revision": "12", "choice": str(choice("Where do things stand", "He has").pk)},
    )
    assertContains(response, "Your answers are already final", status_code=409)
    assert stored_answers() == before
    assert client.post(REVIEW).status_code == 409


def test_review_cannot_be_confirmed_with_questions_missing(client, halfway):
    response = client.post(REVIEW)
    assertContains(response, "A few questions are still unanswered", status_code=409)
    assert QuizSession.objects.get().completed_at is None


def test_unused_methods_are_refused(client, halfway):
    url = f"{START}question/{question('Is anything weighing').pk}/"
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert client.generic("TRACE", url).status_code == 405
    assert stored_answers() == halfway


def test_a_repeated_revision_is_refused_whatever_its_order(client, halfway):
    weighing = question("Is anything weighing")
    page = client.get(f"{START}question/{weighing.pk}/")
    current = int(revision_on(page))
    for revisions in ([current - 1, current], [current, current - 1]):
        response = client.post(
            f"{START}question/{weighing.pk}/",
            {"revision": [str(r) for r in revisions], "choice": str(weighing.choices.first().pk)},
        )
        assertContains(response, "This page was incomplete", status_code=400)
    assert stored_answers() == halfway


def test_every_problem_says_what_happened_and_where_to_go_on():
    """The problem pages' words live in one catalogue (quiz/problems.py): each problem is a
    4xx with a title, a message and the words of its link, and no two share a title."""
    catalogue = [item for item in vars(problems).values() if isinstance(item, problems.Problem)]
    assert len(catalogue) == 14
    for problem in catalogue:
        assert 400 <= problem.status < 500
        assert problem.title and problem.message and problem.link_text
    assert len({str(problem.title) for problem in catalogue}) == len(catalogue)
