"""“Was this helpful?” under each item of a reader’s result: asking, voting, changing, refusing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from quiz.models import ItemFeedback, QuizSession

from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, STRESSED_BUT_TOGETHER, start, take

pytestmark = pytest.mark.django_db

STRESSED = "reason-stressed"  # the likely reason on the STRESSED_BUT_TOGETHER result
STRESSED_TITLE = "He’s stressed and none of this is about you"


def vote(client, result_url, item=STRESSED, helpful="yes", **extra):
    return client.post(result_url + "feedback/", {"item": item, "helpful": helpful}, **extra)


def feedback_of(client, result_url, item=STRESSED):
    return soup(client.get(result_url)).select_one(f"#result-{item} form.feedback")


# --- Asking -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [STRESSED_BUT_TOGETHER, LEFT_WITH_WARNING_SIGNS])
def test_every_item_on_her_result_asks_was_this_helpful(client, questionnaire, path):
    page = soup(client.get(take(client, path)))
    items = page.select(".result-item")
    assert len(items) >= 4
    for item in items:
        slug = item["id"].removeprefix("result-")
        form = item.select_one("form.feedback")
        assert form is not None, slug
        assert form["method"] == "post"
        assert form["action"] == f"/results/{QuizSession.objects.last().token}/feedback/"
        assert form.select_one("input[name=item]")["value"] == slug
        assert text_of(form.legend).startswith("Was this helpful?")
        buttons = [(b["name"], b["value"]) for b in form.select("button")]
        assert buttons == [("helpful", "yes"), ("helpful", "no")]
    kinds = {kind for item in items for kind in item["class"] if kind.startswith("result-item--")}
    expected = {"result-item--reasons", "result-item--ways"}
    if path is LEFT_WITH_WARNING_SIGNS:
        expected.add("result-item--signs")
    assert kinds == expected


def test_the_buttons_name_the_item_for_screen_readers(client, questionnaire):
    form = feedback_of(client, take(client, STRESSED_BUT_TOGETHER))
    buttons = form.select("button")
    assert [b.get_text() for b in buttons] == ["Yes", "No"]
    names = [b["aria-label"] for b in buttons]
    assert names == [f"Yes, “{STRESSED_TITLE}” helped", f"No, “{STRESSED_TITLE}” didn’t help"]
    assert form.legend.get_text() == f"Was this helpful? “{STRESSED_TITLE}”"
    assert text_of(form.legend.select_one(".visually-hidden")) == f"“{STRESSED_TITLE}”"


def test_the_form_needs_no_javascript_and_does_not_print(client, questionnaire):
    form = feedback_of(client, take(client, STRESSED_BUT_TOGETHER))
    assert not form.select("script")
    assert not any(attribute.startswith("on") for tag in form.find_all() for attribute in tag.attrs)
    assert "no-print" in form["class"]


def test_someone_else_reading_her_result_is_not_asked(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    page = soup(Client().get(url))
    assert page.select(".result-item")
    assert not page.select("form.feedback")
    assertContains(client.get(url), "Was this helpful?")


# --- Voting -------------------------------------------------------------------------------


def test_a_vote_is_recorded_and_she_is_sent_back_to_the_item(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    response = vote(client, url, helpful="yes")
    assert response.status_code == 303
    assert response["Location"] == f"{url}#feedback-{STRESSED}"
    saved = ItemFeedback.objects.get()
    session = QuizSession.objects.get()
    assert (saved.session, saved.questionnaire, saved.item_slug, saved.helpful) == (
        session,
        questionnaire,
        STRESSED,
        True,
    )
    form = feedback_of(client, url)
    assert form["id"] == f"feedback-{STRESSED}"
    assert text_of(form.select_one(".feedback__thanks")) == "Thanks — you said this helped."
    [change] = form.select("button")
    assert (change["name"], change["value"]) == ("helpful", "no")
    assert change.get_text() == "Change to “didn’t help”"
    assert change["aria-label"] == f"Change to “didn’t help”: “{STRESSED_TITLE}”"


def test_the_vote_is_shown_on_its_own_item_only(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    vote(client, url, helpful="no")
    page = soup(client.get(url))
    thanked = [
        form["id"] for form in page.select("form.feedback") if form.select(".feedback__thanks")
    ]
    assert thanked == [f"feedback-{STRESSED}"]
    assert "Thanks — you said this didn’t help." in text_of(
        page.select_one(f"#feedback-{STRESSED}")
    )


def test_voting_again_replaces_the_first_vote(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    vote(client, url, helpful="yes")
    response = vote(client, url, helpful="no")
    assert response.status_code == 303
    assert ItemFeedback.objects.get().helpful is False
    form = feedback_of(client, url)
    assert text_of(form.select_one(".feedback__thanks")) == "Thanks — you said this didn’t help."
    assert [b["value"] for b in form.select("button")] == ["yes"]


def test_one_vote_per_session_and_item_is_kept_by_the_database(client, questionnaire):
    from django.db import IntegrityError, transaction

    take(client, STRESSED_BUT_TOGETHER)
    session = QuizSession.objects.get()
    ItemFeedback.record(session, STRESSED, True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFeedback.objects.create(
            session=session, questionnaire=questionnaire, item_slug=STRESSED, helpful=False
        )


def test_votes_on_several_items_are_kept_apart(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    slugs = [
        form.select_one("input[name=item]")["value"]
        for form in soup(client.get(url)).select("form.feedback")
    ]
    for n, slug in enumerate(slugs):
        assert vote(client, url, item=slug, helpful="yes" if n % 2 else "no").status_code == 303
    assert ItemFeedback.votes_of(QuizSession.objects.get()) == {
        slug: bool(n % 2) for n, slug in enumerate(slugs)
    }


def test_the_vote_is_accepted_from_her_browser_with_origin_null(client, questionnaire):
    """The result page sends no Referer, so Chromium posts its forms with "Origin: null".

    Django's CSRF check would refuse that; the vote does not need it (see views.feedback).
    The same browser's POST to a CSRF-protected page is still refused, so this client does
    enforce CSRF.
    """
    url = take(client, STRESSED_BUT_TOGETHER)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies
    assert vote(browser, url, HTTP_ORIGIN="null").status_code == 303
    assert ItemFeedback.objects.get().helpful is True
    assert browser.post(url + "delete/", HTTP_ORIGIN="null").status_code == 403
    assert QuizSession.objects.exists()


# --- Refusing -----------------------------------------------------------------------------


def test_a_vote_without_her_browser_session_is_refused(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    stranger = Client(enforce_csrf_checks=True)
    response = vote(stranger, url, HTTP_ORIGIN="null")
    assert response.status_code == 403
    page = soup(response)
    assert text_of(page.h1) == "Only the browser that gave these answers can say what helped"
    assert "Nothing was recorded." in text_of(page.main)
    assert page.select_one(".message-page a.button")["href"] == url
    assert not ItemFeedback.objects.exists()


def test_a_vote_from_another_readers_browser_is_refused(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    other = Client()
    take(other, LEFT_WITH_WARNING_SIGNS)
    assert vote(other, url).status_code == 403
    assert not ItemFeedback.objects.exists()


@pytest.mark.parametrize(
    "item",
    [
        "sign-gaslighting",  # article items, but not on her result
        "way-tell-him-youre-busy",
        "introduction",  # a section, not an item
        "no-such-item",
    ],
)
def test_a_vote_for_an_item_not_on_her_result_is_refused(client, questionnaire, item):
    url = take(client, STRESSED_BUT_TOGETHER)
    assert not soup(client.get(url)).select(f"#result-{item}")
    response = vote(client, url, item=item)
    assert response.status_code == 404
    assert text_of(soup(response).h1) == "This item isn’t on your results"
    assert not ItemFeedback.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"item": STRESSED, "helpful": "maybe"},
        {"item": STRESSED, "helpful": "True"},
        {"item": STRESSED},
        {"helpful": "yes"},
        {},
        {"item": "../../admin", "helpful": "yes"},
        {"item": "x" * 101, "helpful": "yes"},
        {"item": STRESSED, "helpful": ["no", "yes"]},
        {"item": [STRESSED, "way-listen-and-learn"], "helpful": "yes"},
    ],
)
def test_bad_values_are_refused_with_a_clear_message(client, questionnaire, data):
    url = take(client, STRESSED_BUT_TOGETHER)
    response = client.post(url + "feedback/", data)
    assert response.status_code == 400
    page = soup(response)
    assert text_of(page.h1) == "We couldn’t record that"
    assert "Nothing was recorded." in text_of(page.main)
    assert not ItemFeedback.objects.exists()


def test_an_unfinished_session_cannot_vote(client, questionnaire):
    start(client)
    token = QuizSession.objects.get().token
    response = client.post(f"/results/{token}/feedback/", {"item": STRESSED, "helpful": "yes"})
    assert response.status_code == 404
    assert not ItemFeedback.objects.exists()


def test_an_unknown_result_cannot_be_voted_on(client, questionnaire):
    response = client.post(f"/results/{'A' * 43}/feedback/", {"item": STRESSED, "helpful": "yes"})
    assert response.status_code == 404


def test_the_vote_address_takes_posts_only(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    assert client.get(url + "feedback/").status_code == 405
    assert not ItemFeedback.objects.exists()


def test_the_vote_response_keeps_the_address_private(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    for response in (vote(client, url), vote(Client(), url)):
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]


def test_votes_share_the_questionnaires_post_budget(client, questionnaire, settings, clock):
    url = take(client, STRESSED_BUT_TOGETHER)
    clock.move_to(timezone.now(), tick=False)  # stopped: one rate-limit window
    caches["rate_limits"].clear()  # a fresh budget: taking the questionnaire spent some
    settings.QUIZ_POST_RATE = "2/m"
    statuses = [vote(client, url).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]


# --- Deleting -----------------------------------------------------------------------------


def test_deleting_her_answers_deletes_her_votes(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    vote(client, url)
    other = Client()
    other_url = take(other, LEFT_WITH_WARNING_SIGNS)
    vote(other, other_url, item="sign-old-flame", helpful="no")
    client.post(url + "delete/")
    assert list(ItemFeedback.objects.values_list("item_slug", flat=True)) == ["sign-old-flame"]


def test_old_sessions_are_deleted_with_their_votes(client, questionnaire):
    url = take(client, STRESSED_BUT_TOGETHER)
    vote(client, url)
    long_ago = timezone.now() - timedelta(days=120)
    QuizSession.objects.update(last_activity_at=long_ago)
    call_command("delete_old_sessions", stdout=StringIO())
    assert not ItemFeedback.objects.exists()
