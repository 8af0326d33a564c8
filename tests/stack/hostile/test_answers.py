"""A reader's answer, tampered with: one thing changed in what her browser would send."""

import secrets

import pytest

from ...quiz_helpers import REVIEW
from ..conftest import Response, StackClient
from .readers import Reader, finish_questionnaire, question_url, start_questionnaire
from .wire import (
    EVIL,
    assert_not_a_server_error,
    browser_headers,
    form_body,
    host_of,
    page_headers,
    send,
)


@pytest.fixture(scope="module")
def finished(stack, catalogue) -> str:
    """A reader who answered everything, picking safety-critical answers: her result page."""
    return finish_questionnaire(stack, catalogue)


@pytest.fixture(scope="module")
def orphan(stack, shell) -> StackClient:
    """A browser whose session names a run that no longer exists."""
    client = stack.client()
    start_questionnaire(client)
    deleted = shell.query(
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from quiz.models import QuizSession\n"
        f"runs = SessionStore(session_key={client.cookies['sessionid']!r}).get('quiz_runs')\n"
        "token = next(iter(runs.values()))\n"
        "result = QuizSession.objects.filter(token=token).delete()[0]"
    )
    assert deleted == 1
    return client


def answer_post(form=None, headers=None, path=None, method="POST"):
    """Her valid answer to the next question, with one thing changed by a function of her."""

    def run(reader: Reader) -> Response:
        data = reader.form(**(form(reader) if form else {}))
        target = path(reader) if path else reader.next_url
        sent_headers = reader.headers(**(headers(reader) if headers else {}))
        return send(reader.stack, method, target, sent_headers, form_body(data))

    return run


def another_browsers_csrf_token(reader: Reader) -> str:
    return reader.stack.client().csrf_token()


# name: (what is sent, the statuses that are right)
TAMPERING = {
    "no-choice": (answer_post(form=lambda r: {"choice": None}), {400}),
    "unknown-choice-id": (answer_post(form=lambda r: {"choice": "999999"}), {400}),
    "choice-of-another-question": (
        answer_post(form=lambda r: {"choice": str(r.foreign_choice)}),
        {400},
    ),
    "two-choices-on-a-single-choice-question": (
        answer_post(form=lambda r: {"choice": [str(pk) for pk in r.next_choices[:2]]}),
        {400},
    ),
    "non-numeric-choice": (answer_post(form=lambda r: {"choice": "1; DROP TABLE x"}), {400}),
    "choice-as-a-float": (answer_post(form=lambda r: {"choice": f"{r.next_choices[0]}.0"}), {400}),
    "choice-with-sql-quotes": (answer_post(form=lambda r: {"choice": "' OR '1'='1"}), {400}),
    "hidden-conditional-question": (
        answer_post(
            form=lambda r: {"choice": str(r.catalogue.choice_ids("Since he ended it")[0])},
            path=lambda r: question_url(r.catalogue.question_id("Since he ended it")),
        ),
        {409},
    ),
    "skip-ahead-to-a-later-question": (
        answer_post(
            form=lambda r: {"choice": str(r.catalogue.choice_ids("If things stayed")[0])},
            path=lambda r: question_url(r.catalogue.question_id("If things stayed")),
        ),
        {409},
    ),
    "stale-revision": (answer_post(form=lambda r: {"revision": str(r.revision - 1)}), {409}),
    "replayed-form-of-an-answered-question": (
        answer_post(
            form=lambda r: {"revision": "0", "choice": str(r.foreign_choice)},
            path=lambda r: question_url(r.catalogue.question_id("Where do things stand")),
        ),
        {409},
    ),
    "future-revision": (answer_post(form=lambda r: {"revision": str(r.revision + 1)}), {409}),
    "missing-revision": (answer_post(form=lambda r: {"revision": None}), {400}),
    "negative-revision": (answer_post(form=lambda r: {"revision": "-1"}), {400}),
    "revision-of-400-digits": (answer_post(form=lambda r: {"revision": "9" * 400}), {409}),
    "unknown-question-id": (answer_post(path=lambda r: question_url(999999)), {404}),
    "question-id-beyond-64-bits": (answer_post(path=lambda r: question_url(10**25)), {404}),
    "missing-csrf-token": (answer_post(form=lambda r: {"csrfmiddlewaretoken": None}), {403}),
    "wrong-csrf-token": (
        answer_post(form=lambda r: {"csrfmiddlewaretoken": secrets.token_urlsafe(48)}),
        {403},
    ),
    "csrf-token-of-another-browser": (
        answer_post(form=lambda r: {"csrfmiddlewaretoken": another_browsers_csrf_token(r)}),
        {403},
    ),
    "csrf-cookie-missing": (
        answer_post(headers=lambda r: {"Cookie": f"sessionid={r.client.cookies['sessionid']}"}),
        {403},
    ),
    "forged-origin": (answer_post(headers=lambda r: {"Origin": f"https://{EVIL}"}), {403}),
    "origin-null": (answer_post(headers=lambda r: {"Origin": "null"}), {403}),
    "origin-over-plain-http": (
        answer_post(headers=lambda r: {"Origin": f"http://{host_of(r.stack)}"}),
        {403},
    ),
    "no-origin-and-no-referer": (answer_post(headers=lambda r: {"Origin": None}), {403}),
    "foreign-referer-and-no-origin": (
        answer_post(headers=lambda r: {"Origin": None, "Referer": f"https://{EVIL}/"}),
        {403},
    ),
    "tampered-session-cookie": (
        answer_post(
            headers=lambda r: {
                "Cookie": r.cookie(sessionid=r.client.cookies["sessionid"][:-1] + "_")
            }
        ),
        {403},
    ),
    "garbage-session-cookie": (
        answer_post(headers=lambda r: {"Cookie": r.cookie(sessionid='"<script>\\";--')}),
        {403},
    ),
    "unknown-session": (
        answer_post(headers=lambda r: {"Cookie": r.cookie(sessionid="a" * 32)}),
        {403},
    ),
    "put-instead-of-post": (answer_post(method="PUT"), {405}),
    "confirm-review-with-questions-unanswered": (
        answer_post(path=lambda r: REVIEW),
        {409},
    ),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_tampered_answers_are_refused(reader, case):
    run, expected = TAMPERING[case]
    assert_not_a_server_error(run(reader), expected)


def test_a_browser_whose_run_is_gone_changes_nothing(stack, reader, orphan):
    form = reader.form(csrfmiddlewaretoken=orphan.cookies["csrftoken"])
    response = send(stack, "POST", reader.next_url, browser_headers(stack, orphan), form_body(form))
    assert_not_a_server_error(response, {403})
    assert "find your answers" in response.text


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_readers_results_cannot_be_deleted(stack, reader, finished, method):
    body = form_body({"csrfmiddlewaretoken": reader.client.cookies["csrftoken"]})
    response = send(
        stack,
        method,
        finished + "delete/",
        reader.headers() if method == "POST" else page_headers(stack, reader.client),
        body if method == "POST" else b"",
    )
    assert_not_a_server_error(response, {403})
