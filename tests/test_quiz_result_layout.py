"""The result page as a short list to scan on a phone: what shows, what is folded, in which
order. (How it measures in a real browser: tests/browser/test_result_on_a_phone.py.)"""

import pytest

from quiz.models import SupportResource
from quiz.results import in_short
from quiz.scoring import Cause
from quiz.snapshot import rules_for

from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, START, STRESSED_BUT_TOGETHER, choice, take

pytestmark = pytest.mark.django_db


def test_the_safety_panel_comes_right_under_the_verdict(client, questionnaire):
    page = soup(client.get(take(client, LEFT_WITH_WARNING_SIGNS)))
    result = page.select_one(".result")
    parts = result.find_all(recursive=False)
    assert parts[0].name == "header" and text_of(parts[0].h1) == "It may be time to walk away"
    assert "panel--safety" in parts[1]["class"]
    first_resource = parts[1].select_one(".resources li")
    assert text_of(first_resource.strong) == "Emergency services:"


def test_each_item_shows_its_title_and_why_and_folds_the_rest(client, questionnaire):
    """Visible: the title (and for a reason, how strongly it fits) and one line of the
    answers behind it, which is the line she taps to open the rest ("… Read more").
    Folded: those answers with their questions, the article's words, the link into the
    article and "Was this helpful?"."""
    page = soup(client.get(take(client, STRESSED_BUT_TOGETHER)))
    items = page.select(".result-item")
    assert len(items) >= 4
    for item in items:
        assert item.find(recursive=False).name == "h3"
        folded = item.select_one("details.result-item__body")
        assert folded is not None and not folded.has_attr("open")
        why = folded.summary.select_one(".result-item__why")
        assert text_of(why).startswith("Because ")
        assert text_of(folded.summary) == f"{text_of(why)} Read more"
        for part in (".because li", ".prose", ".result-item__link a", "form.feedback"):
            assert folded.select_one(part) is not None, part
    stressed = page.select_one("#result-reason-stressed")
    assert text_of(stressed.select_one(".result-item__why")) == (
        "Because you answered “He’s working long hours or seems worn out” "
        "and “Yes: work, money, health or family”."
    )
    assert [text_of(li) for li in stressed.select("details .because li")] == [
        "you answered “He’s working long hours or seems worn out” to “What has changed lately?”",
        "you answered “Yes: work, money, health or family” to "
        "“Is anything weighing on him that you know of?”",
    ]


def test_an_item_she_voted_on_stays_open_to_show_the_thanks(client, questionnaire):
    """The vote sends her back to #feedback-<item>: that item's fold is open, the others not."""
    result = take(client, STRESSED_BUT_TOGETHER)
    client.post(result + "feedback/", {"item": "reason-stressed", "helpful": "yes"})
    page = soup(client.get(result))
    opened = [details.find_parent("article")["id"] for details in page.select("details[open]")]
    assert opened == ["result-reason-stressed"]
    assert page.select_one("#feedback-reason-stressed .feedback__thanks")


def test_what_a_questionnaire_cannot_know_is_folded_on_the_result(client, questionnaire):
    """She read it in full on the start page; on the result it is one line to open."""
    start_page = soup(client.get(START))
    limits = text_of(start_page.select_one(".panel--limits .prose"))
    page = soup(client.get(take(client, STRESSED_BUT_TOGETHER)))
    folded = page.select_one("details.result__limits")
    assert text_of(folded.summary) == "What a questionnaire cannot know"
    assert text_of(folded.select_one(".prose")) == limits


def test_the_safety_panels_first_line_stays_open_and_the_others_are_one_tap_away(
    client, questionnaire
):
    """The emergency number where she is (here the UK) is open under the panel's words,
    with where she is under it; her country's other places to turn, and those for anyone,
    follow in one fold that says how many there are (site.css opens it on wider screens
    and on paper)."""
    page = soup(client.get(take(client, LEFT_WITH_WARNING_SIGNS), {"country": "GB"}))
    panel = page.select_one(".panel--safety")
    names = [text_of(li.strong) for li in panel.select(".resources li")]
    in_the_uk = SupportResource.objects.filter(is_published=True, country__in=["GB", ""])
    assert len(names) == 1 + in_the_uk.count()
    first = panel.select_one(".resources")
    assert first.find_parent("details") is None
    assert [text_of(li.strong) for li in first.select("li")] == [
        "Emergency services, United Kingdom:"
    ]
    assert "999" in text_of(first) and "112" in text_of(first)
    assert first.find_next_sibling().name == "form"
    folded = panel.select_one("details.resources__more")
    assert not folded.has_attr("open")
    assert text_of(folded.summary) == f"{len(names) - 1} more helplines and places to turn"
    assert [text_of(li.strong) for li in folded.select(".resources li")] == names[1:]


def test_the_safety_panel_folds_why_it_shows_under_its_helplines(client, questionnaire):
    """Her first screen is for the helplines; why the panel shows is one tap away."""
    page = soup(client.get(take(client, LEFT_WITH_WARNING_SIGNS)))
    panel = page.select_one(".panel--safety")
    folded = panel.find_all(recursive=False)[-1]
    assert folded.name == "details" and not folded.has_attr("open")
    assert text_of(folded.summary) == "Why you see this"
    assert text_of(folded.p).startswith("Shown because you answered “")


def test_printing_is_explained_for_a_keyboard_and_for_a_phone(client, questionnaire):
    """The result's "Print my plan" leads to the plan (tests/test_quiz_plan.py). There both
    ways to print are in the page, folded under its "Print" link (which opens the fold
    without JavaScript); the stylesheet shows the one that fits the device."""
    result = take(client, STRESSED_BUT_TOGETHER)
    link = soup(client.get(result)).find("a", string="Print my plan")
    assert link["href"] == result + "plan/"
    page = soup(client.get(link["href"]))
    assert page.select_one("a[data-print]")["href"] == "#print"
    how = page.select_one("#print")
    folded = how.find_parent("details")
    assert text_of(folded.summary) == "How to print it or save it as a PDF"
    assert not folded.has_attr("open")
    assert "Ctrl+P" in text_of(how.select_one(".print-how--keyboard"))
    phone = text_of(how.select_one(".print-how--touch"))
    assert "Share" in phone and "PDF" in phone and "Ctrl" not in phone


def test_why_in_short_names_her_answers_and_the_likely_reasons(questionnaire):
    rules = rules_for(questionnaire)
    years = choice("How long", "Several years")
    vague = choice("When the future", "He gets vague")
    answered = [Cause(question_id=c.question_id, choice_id=c.pk) for c in (years, vague)]
    stressed = Cause(reason_slug="reason-stressed")
    falling = Cause(reason_slug="reason-falling-for-you")
    assert in_short(tuple(answered[:1]), rules) == "Because you answered “Several years”."
    assert in_short(tuple(answered), rules) == (
        "Because you answered “Several years” and “He gets vague or changes the subject”."
    )
    assert in_short((stressed, *answered[:1]), rules) == (
        "Because “He’s stressed and none of this is about you” seems likely "
        "and you answered “Several years”."
    )
    assert in_short((stressed, falling), rules).endswith("“He’s falling for you” seem likely.")
    assert in_short((), rules) == ""
