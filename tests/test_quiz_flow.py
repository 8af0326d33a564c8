"""A reader takes the questionnaire: start, questions, review, result, delete."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from advice.models import Item, Section
from advice.releases import publish
from quiz.models import Answer, QuizSession

from .html import soup, text_of
from .quiz_helpers import (
    LEFT_WITH_WARNING_SIGNS,
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    question,
    start,
    take,
)

pytestmark = pytest.mark.django_db


def test_start_page_says_what_it_is_how_long_that_it_is_anonymous_and_its_limits(
    client, questionnaire
):
    page = soup(client.get(START))
    text = text_of(page.main)
    assert text_of(page.h1) == questionnaire.title
    assert "About 5 minutes" in text
    assert "Anonymous" in text and "We don’t store your IP address" in text
    assert "What a questionnaire cannot know" in text
    assert "can’t know him" in text
    assert page.find("button", string="Start the questionnaire")


def test_the_article_invites_readers_to_the_questionnaire(client, questionnaire):
    assert client.get(START).status_code == 200
    assertContains(client.get("/"), f'href="{START}"')


def test_the_invitation_says_how_long_the_questionnaire_it_offers_takes(client, questionnaire):
    def invitation() -> str:
        return text_of(soup(client.get("/")).select_one(".invitation"))

    assert "It takes about five minutes, and it is anonymous." in invitation()
    questionnaire.minutes = 12
    questionnaire.save()
    publish(note="A longer questionnaire")
    assert "It takes about 12 minutes, and it is anonymous." in invitation()


def test_starting_creates_an_anonymous_session_with_a_long_random_token(client, questionnaire):
    response = start(client)
    session = QuizSession.objects.get()
    first = question("Where do things stand")
    assertRedirects(response, f"{START}question/{first.pk}/")
    assert len(session.token) == 43  # 32 random bytes, URL-safe base64
    assert session.started_at and session.last_activity_at and session.completed_at is None
    assert client.session["quiz_runs"] == {str(session.questionnaire_id): session.token}
    stored = {field.name for field in QuizSession._meta.get_fields()}
    assert not stored & {"ip", "ip_address", "user_agent", "name", "email", "user"}


def test_each_question_is_a_fieldset_with_its_legend_and_progress(client, questionnaire):
    start(client)
    page = soup(client.get(f"{START}question/{question('Where do things stand').pk}/"))
    fieldset = page.main.find("fieldset")
    assert text_of(fieldset.legend) == "Where do things stand between you two right now?"
    assert [i["type"] for i in fieldset.find_all("input")] == ["radio"] * 3
    for radio in fieldset.find_all("input"):
        assert page.find("label", attrs={"for": radio["id"]})
    assert text_of(page.select_one(".progress")) == "Question 1 of 12"
    bar = page.find("progress")
    assert (bar["value"], bar["max"]) == ("1", "12")
    assert page.select_one("a.exit-button")["href"].startswith("https://")


def test_multiple_choice_questions_use_checkboxes(client, questionnaire):
    start(client)
    answer(client, question("Where do things stand"), choice("Where do things stand", "We’re"))
    answer(client, question("How long"), choice("How long", "A few weeks"))
    page = soup(client.get(f"{START}question/{question('What has changed').pk}/"))
    assert {i["type"] for i in page.main.fieldset.find_all("input")} == {"checkbox"}
    assertContains(client.get(f"{START}question/{question('What has changed').pk}/"),
                   "Pick all that fit.")  # fmt: skip


def test_the_whole_questionnaire_to_a_result(client, questionnaire):
    result_url = take(client, STRESSED_BUT_TOGETHER)
    session = QuizSession.objects.get()
    assert result_url == f"/results/{session.token}/"
    assert session.completed_at is not None
    assert session.answers.count() == len(STRESSED_BUT_TOGETHER)
    page = soup(client.get(result_url))
    assert text_of(page.h1) == "Give him space, and keep talking"
    reasons = [text_of(h) for h in page.select("#reasons-title ~ .result-item h3")]
    assert reasons[0] == "2) He’s stressed and none of this is about you"
    ways = [text_of(h) for h in page.select("#ways-title ~ .result-item h3")]
    assert ways[0] == "1) Don’t make it all about you"
    assert "4) Listen and learn" in ways
    assert "None of the article’s eight warning signs showed up" in text_of(page.main)
    assert not page.select(".panel--safety")


def test_what_a_result_says_of_the_article_is_counted_from_the_article(
    editor_client, questionnaire
):
    """With nothing to show of a kind, the result names how many the article gives, and
    links to them, from the article in the reader's version: never a number typed in."""

    def empty_result():  # no answers: no reasons, ways or signs to show
        address = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/published/"
        return soup(editor_client.get(address)).main

    page = empty_result()
    assert "The five reasons are still worth reading." in text_of(page)
    assert "You can read all 14" in text_of(page)
    assert "None of the article’s eight warning signs showed up" in text_of(page)
    links = {text_of(a): a["href"] for a in page.select(".result__group a")}
    assert links == {"five reasons": "/#reasons", "all 14": "/#how-to-handle-it"}

    Item.objects.filter(slug="reason-moving-too-fast").update(is_published=False)
    Item.objects.filter(slug__in=["sign-story-changes", "sign-no-make-up-sex"]).update(
        is_published=False
    )
    Section.objects.filter(kind="ways").update(slug="what-you-can-do")
    publish(note="One reason and two signs fewer; the ways have a new anchor")

    page = empty_result()
    assert "The four reasons are still worth reading." in text_of(page)
    assert "None of the article’s six warning signs showed up" in text_of(page)
    links = {text_of(a): a["href"] for a in page.select(".result__group a")}
    assert links == {"four reasons": "/#reasons", "all 14": "/#what-you-can-do"}


def test_two_different_answer_sets_give_different_results(client, questionnaire):
    from django.test import Client

    together = soup(client.get(take(client, STRESSED_BUT_TOGETHER)))
    other = Client()
    left = soup(other.get(take(other, LEFT_WITH_WARNING_SIGNS)))

    assert text_of(together.h1) == "Give him space, and keep talking"
    assert text_of(left.h1) == "It may be time to walk away"
    left_signs = [text_of(h) for h in left.select("#signs-title ~ .result-item h3")]
    assert left_signs == [
        "1) He keeps saying that he doesn’t deserve you",
        "2) Something suddenly comes up about an old flame",
        "3) He keeps ditching you",
        "8) He’s gaslighting you",
    ]
    left_ways = [text_of(h) for h in left.select("#ways-title ~ .result-item h3")]
    # He has left: only the article's ways 8-14 fit her.
    assert left_ways and all(int(w.split(")")[0]) >= 8 for w in left_ways)
    assert "12) Tell him you’re busy whenever he asks you for anything or wants to talk to you" in (
        left_ways
    )
    assert left.select_one(".panel--safety")
    assert "Emergency services" in text_of(left.select_one(".panel--safety"))
    assert "Where are you?" in text_of(left.select_one(".panel--safety"))
    assert not together.select(".panel--safety")


def test_each_result_item_says_why_and_links_to_the_article(client, questionnaire):
    page = soup(client.get(take(client, STRESSED_BUT_TOGETHER)))
    item = page.select_one("#result-reason-stressed")
    because = text_of(item.select_one(".because"))
    assert "you answered “He’s working long hours or seems worn out”" in because
    assert "you answered “Yes: work, money, health or family”" in because
    assert item.select_one(".result-item__link a")["href"] == "/#reason-stressed"
    assert "Maybe his boss is asking him to work late" in text_of(item)
    listen = page.select_one("#result-way-listen-and-learn")
    assert "“He’s stressed and none of this is about you” seems likely" in text_of(listen)
    assert page.select_one("#result-reason-stressed progress")["value"] == "100"


def test_the_conditional_question_is_asked_only_when_it_applies(client, questionnaire):
    start(client)
    stand = question("Where do things stand")
    since = question("Since he ended it")
    answer(client, stand, choice("Where do things stand", "We’re together"))
    assert client.get(f"{START}question/{since.pk}/").status_code == 409

    answer(client, stand, choice("Where do things stand", "He has ended it"))
    page = soup(client.get(f"{START}question/{question('How long').pk}/"))
    assert text_of(page.select_one(".progress")) == "Question 2 of 13"


def test_the_family_question_follows_moving_too_fast(client, questionnaire):
    path = [*STRESSED_BUT_TOGETHER]
    path[4] = ("When the future", "He says things are moving too fast")
    path.insert(5, ("Have you asked him to meet", "Yes"))
    page = soup(client.get(take(client, path)))
    ways = [text_of(h) for h in page.select("#ways-title ~ .result-item h3")]
    assert "6) Don’t introduce him to your family or friends yet" in ways


def test_back_shows_the_answer_already_given(client, questionnaire):
    start(client)
    stand = question("Where do things stand")
    picked = choice("Where do things stand", "He’s asked for a break")
    answer(client, stand, picked)
    page = soup(client.get(f"{START}question/{question('How long').pk}/"))
    back = page.find("a", string="Back")
    assert back["href"] == f"{START}question/{stand.pk}/"
    page = soup(client.get(back["href"]))
    assert page.find("input", attrs={"value": str(picked.pk)}).has_attr("checked")


def test_changing_an_answer_replaces_it(client, questionnaire):
    start(client)
    stand = question("Where do things stand")
    answer(client, stand, choice("Where do things stand", "We’re together"))
    answer(client, stand, choice("Where do things stand", "He has ended it"))
    (stored,) = Answer.objects.all()
    assert [c.text for c in stored.choices.all()] == ["He has ended it"]


def test_review_lists_every_answer_with_change_links_that_come_back(client, questionnaire):
    start(client)
    for question_start, choice_start in STRESSED_BUT_TOGETHER:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)
    page = soup(client.get(REVIEW))
    rows = page.select(".review-list__row")
    assert len(rows) == len(STRESSED_BUT_TOGETHER)
    assert text_of(rows[0].dd) == "We’re together, but he feels far away"
    change = rows[1].select_one(".review-list__change a")["href"]
    assert change == f"{START}question/{question('How long').pk}/?from=review"

    response = answer(
        client, question("How long"), choice("How long", "Several years"), follow_review=True
    )
    assertRedirects(response, REVIEW)
    rows = soup(client.get(REVIEW)).select(".review-list__row")
    assert text_of(rows[1].dd) == "Several years"


def test_she_can_leave_and_resume_where_she_left_off(client, questionnaire):
    start(client)
    for question_start, choice_start in STRESSED_BUT_TOGETHER[:3]:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)
    page = soup(client.get(START))
    resume = page.find("a", string="Continue where you left off")
    assert resume["href"] == f"{START}question/{question('Is anything weighing').pk}/"


def test_result_page_headers_keep_it_private(client, questionnaire):
    response = client.get(take(client, STRESSED_BUT_TOGETHER))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"].startswith("noindex")


def test_questionnaire_pages_are_never_cached(client, questionnaire):
    start(client)
    response = client.get(f"{START}question/{question('Where do things stand').pk}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_another_browser_sees_the_result_read_only(client, questionnaire):
    from django.test import Client

    url = take(client, STRESSED_BUT_TOGETHER)
    owner = soup(client.get(url))
    assert owner.find("a", string="Delete my answers")
    stranger = Client()
    page = soup(stranger.get(url))
    assert text_of(page.h1) == "Give him space, and keep talking"
    assert not page.find("a", string="Delete my answers")
    assert "read-only" in text_of(page.main)
    token = QuizSession.objects.get().token
    response = stranger.post(f"/results/{token}/delete/")
    assert response.status_code == 403
    assert QuizSession.objects.filter(token=token).exists()


def test_delete_my_answers_asks_first_then_removes_everything(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    confirm = soup(client.get(url + "delete/"))
    assert text_of(confirm.h1) == "Delete your answers?"
    assert QuizSession.objects.count() == 1
    response = client.post(url + "delete/")
    assertRedirects(response, "/questionnaire/deleted/")
    assert QuizSession.objects.count() == 0
    assert Answer.objects.count() == 0
    gone = client.get(url)
    assert gone.status_code == 404
    assertContains(gone, "they may have been deleted", status_code=404)
    assertNotContains(client.get(START), "Continue where you left off")


def test_retake_starts_a_fresh_session_and_keeps_the_old_result_link(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    response = client.post(START)
    assert response.status_code == 302
    assert QuizSession.objects.count() == 2
    assert client.get(url).status_code == 200


def test_an_unfinished_session_has_no_result_page(client, questionnaire):
    start(client)
    token = QuizSession.objects.get().token
    assert client.get(f"/results/{token}/").status_code == 404
