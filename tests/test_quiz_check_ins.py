"""Checking in again: a returning reader answers again and sees what moved since.

Her check-ins form a timeline reached from any of their private links; each earlier result
stays as it was; she deletes one check-in or all of them.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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
from .test_backup import CONTENT

pytestmark = pytest.mark.django_db

# Two answers changed two weeks later: he says things that hurt, and she is told she
# imagines things (a safety-critical answer).
WORSE = dict(STRESSED_BUT_TOGETHER)
WORSE["Has he said things like"] = "Yes, more than once"
WORSE["Do any of these sound familiar"] = "He tells me I’m imagining things"
WORSE_PATH = list(WORSE.items())


def check_in(client, result_url, path):
    """ "Check in again" from a result, answer `path` in order, confirm: the new result."""
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


def test_a_returning_reader_sees_what_moved_since_her_last_check_in(clock, client, questionnaire):
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


def counts() -> dict[tuple[str, str], int]:
    """Every daily count by kind and key (all on the test's days), zeros left out."""
    totals: dict[tuple[str, str], int] = {}
    for kind, key, n in DailyCount.objects.values_list("kind", "key", "count"):
        totals[(kind, key)] = totals.get((kind, key), 0) + n
    return {k: n for k, n in totals.items() if n}


def test_she_deletes_one_check_in_and_keeps_the_others(clock, client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    clock.shift(timedelta(days=7))
    third = check_in(client, second, STRESSED_BUT_TOGETHER)
    page = client.get(second + "delete/")
    assertContains(page, "Delete this check-in")
    assertContains(page, "Delete all 3 check-ins")

    response = client.post(second + "delete/", {"which": "this"})
    assert response["Location"] == third
    page = client.get(third)
    assertContains(page, "That check-in is deleted. Your other check-ins are kept.")
    assert client.get(second).status_code == 404
    # What moved is now counted from her first result, the check-in before.
    assertContains(page, "What moved since 18 June 2031")
    assertContains(page, "Nothing moved: your answers give the same result as last time.")
    assert [e.url for e in page.context["timeline"]] == [first, third]


def test_deleting_her_first_result_keeps_her_later_check_ins_together(clock, client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    clock.shift(timedelta(days=7))
    third = check_in(client, second, STRESSED_BUT_TOGETHER)
    client.post(first + "delete/", {"which": "this"})
    page = client.get(third)
    assert [e.url for e in page.context["timeline"]] == [second, third]
    assertContains(page, "What moved since 2 July 2031")
    assert client.get(first).status_code == 404


def test_she_deletes_all_her_check_ins_and_what_they_counted(clock, client, questionnaire):
    before = counts()
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    clock.shift(timedelta(days=3))
    client.post(second + "check-in/")  # a third, begun and left
    assert QuizSession.objects.count() == 3
    response = client.post(first + "delete/", {"which": "all"})
    assert response["Location"] == "/questionnaire/deleted/"
    assert not QuizSession.objects.exists()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 404
    assert counts() == before


def test_deleting_takes_back_exactly_what_a_check_in_counted(clock, client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    after_first = counts()
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    assert counts()[("check_in", "14")] == 1
    assert counts()[("returned", "")] == 1
    assert counts()[("level_moved", "higher:")] == 1
    # Deleting her first result first leaves the check-in's own counts as they were...
    client.post(first + "delete/", {"which": "this"})
    assert counts()[("level_moved", "higher:")] == 1
    # ...and deleting it then takes them back.
    client.post(second + "delete/")
    assert counts() == {}
    assert after_first  # the first result had counted something


def test_an_unreadable_choice_of_what_to_delete_deletes_nothing(clock, client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    check_in(client, first, WORSE_PATH)
    response = client.post(first + "delete/", {"which": "everything"})
    assertContains(response, "We couldn’t tell what to delete", status_code=400)
    assert QuizSession.objects.count() == 2


def test_through_her_private_link_another_browser_can_check_in_but_not_delete(
    clock, client, questionnaire
):
    """She may have cleared her browser to stay safe: her private link is enough to check
    in again. The new check-in's browser then holds her timeline."""
    first = take(client, STRESSED_BUT_TOGETHER)
    elsewhere = Client()
    page = elsewhere.get(first)
    assertContains(page, "You are viewing someone’s results, read-only.")
    assertContains(page, f'<a href="{first}check-in/">check in again</a>')
    assert elsewhere.post(first + "delete/").status_code == 403
    clock.shift(timedelta(days=14))
    second = check_in(elsewhere, first, WORSE_PATH)
    assertContains(elsewhere.get(second), "What moved since 18 June 2031")
    assertContains(elsewhere.get(first + "delete/"), "Delete all 2 check-ins")


def test_check_in_again_twice_goes_on_with_the_same_check_in(clock, client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    client.post(first + "check-in/")
    again = client.get(first + "check-in/")
    assertContains(again, "Go on with my check-in")
    client.post(first + "check-in/")
    assert QuizSession.objects.count() == 2


def test_a_check_in_of_an_unknown_or_unfinished_run_is_not_found(client, questionnaire):
    assert client.get("/results/" + "x" * 43 + "/check-in/").status_code == 404
    assert client.post("/results/" + "x" * 43 + "/check-in/").status_code == 404


def queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


# The check-in page: her timeline from the token (1), and this browser's run of the
# questionnaire, to go on with a check-in begun (1).
CHECK_IN_GET = 2
# A question of a check-in: as any step (2), and her last check-in's answers (1).
CHECK_IN_STEP_GET = 3
# Her check-in's result: as any result, her timeline coming with the run itself in one
# query (1) and her votes (1); what moved is scored from the cached versions in memory.
CHECK_IN_RESULT_GET = 2
# Someone with the private link: the timeline only.
CHECK_IN_RESULT_BY_VISITOR = 1
# Deleting: her timeline (1); the page asks nothing more.
DELETE_GET = 1


def test_queries_of_the_check_in_pages(clock, client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    assert queries(client, "get", first + "check-in/") == CHECK_IN_GET
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    client.get(second)  # the pages into the cache
    assert queries(client, "get", second) == CHECK_IN_RESULT_GET
    assert queries(Client(), "get", second) == CHECK_IN_RESULT_BY_VISITOR
    assert queries(client, "get", second + "delete/") == DELETE_GET
    client.post(second + "check-in/")
    first_question = choice("Where do things stand", "We’re together").question
    client.get(step_url(first_question))
    assert queries(client, "get", step_url(first_question)) == CHECK_IN_STEP_GET


def test_her_linked_runs_appear_in_no_export(clock, client, editor_client, questionnaire):
    """The backup holds editors' content only; an editor reading a check-in in admin sees
    nothing that leads to her other runs."""
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    backup = StringIO()
    call_command("dumpdata", *CONTENT, natural_foreign=True, stdout=backup, verbosity=0)
    dumped = backup.getvalue()
    assert "quiz.quizsession" not in dumped and "timeline" not in dumped
    runs = {s.token: s for s in QuizSession.objects.all()}
    assert all(token not in dumped for token in runs)
    check_in_run = runs[second.split("/")[2]]
    page = editor_client.get(f"/admin/quiz/quizsession/{check_in_run.pk}/change/")
    assert page.status_code == 200
    assertNotContains(page, f"/admin/quiz/quizsession/{runs[first.split('/')[2]].pk}/")
    assertNotContains(page, "timeline")


def test_check_in_pages_are_private_like_her_result(clock, client, questionnaire):
    """Never cached, never indexed; the result with her timeline sends no Referer at all."""
    first = take(client, STRESSED_BUT_TOGETHER)
    clock.shift(timedelta(days=14))
    second = check_in(client, first, WORSE_PATH)
    for url, referrer_policy in (
        (second, "no-referrer"),
        (first, "no-referrer"),
        (second + "check-in/", "same-origin"),
        (second + "delete/", "same-origin"),
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert response["X-Robots-Tag"].startswith("noindex"), url
        assert response["Referrer-Policy"] == referrer_policy, url


def test_deleting_her_only_result_deletes_the_check_in_she_began_from_it(client, questionnaire):
    first = take(client, STRESSED_BUT_TOGETHER)
    client.post(first + "check-in/")
    assert QuizSession.objects.count() == 2
    response = client.post(first + "delete/")
    assert response["Location"] == "/questionnaire/deleted/"
    assert not QuizSession.objects.exists()
