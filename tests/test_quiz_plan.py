"""Her plan to print: the ways she chose to try, under a heading that says little, and
nothing else of her result (no verdict, reasons, warning signs, answers or helplines), so
a printout left on a table says little."""

from dataclasses import replace

import pytest
from django.conf import settings

from quiz import revisit
from quiz.results import result_page_for

from .html import soup, text_of
from .quiz_helpers import (
    LEFT_WITH_WARNING_SIGNS,
    STRESSED_BUT_TOGETHER,
    queries_cold_then_warm,
    take,
)
from .test_quiz_queries import add_more_items_and_rules

pytestmark = pytest.mark.django_db


def the_ways_on(client, result: str) -> list[str]:
    """The titles her result lists under "What you can do"."""
    group = soup(client.get(result)).select_one("[aria-labelledby=ways-title]")
    return [text_of(h3).split(") ", 1)[1] for h3 in group.select(".result-item h3")]


def printed(response) -> str:
    """What paper gets: the plan without the parts site.css leaves off (.no-print)."""
    plan = soup(response).select_one(".plan")
    for part in plan.select(".no-print"):
        part.decompose()
    return text_of(plan)


def test_print_my_plan_leads_to_the_plan(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    link = soup(client.get(result)).find("a", string="Print my plan")
    assert link["href"] == result + "plan/"


@pytest.mark.parametrize("path", [STRESSED_BUT_TOGETHER, LEFT_WITH_WARNING_SIGNS])
def test_the_plan_is_the_ways_of_her_result_under_a_neutral_heading(client, questionnaire, path):
    result = take(client, path)
    ways = the_ways_on(client, result)
    response = client.get(result + "plan/")
    page = soup(response)
    assert response.status_code == 200
    assert text_of(page.h1) == "Things to try"
    assert text_of(page.title) == "Things to try"  # printed in margins, names a PDF
    assert [text_of(h2) for h2 in page.select(".plan__way h2")] == ways and ways
    for way in page.select(".plan__way"):
        assert text_of(way.select_one(".prose"))  # the article's words for each


def test_the_plan_says_nothing_of_signs_reasons_verdict_answers_or_helplines(client, questionnaire):
    """The heaviest result: left, warning signs, the safety panel. None of it on paper."""
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    result_page = soup(client.get(result))
    paper = printed(client.get(result + "plan/"))
    shown_elsewhere = [
        text_of(result_page.h1),  # the verdict: "It may be time to walk away"
        *(
            text_of(h.select_one("h3")).split(") ", 1)[1]
            for h in result_page.select(".result-item--reasons, .result-item--signs")
        ),
        *(text_of(li) for li in result_page.select(".because li")),
        *(text_of(r.strong) for r in result_page.select(".resources li")),
        "Warning sign",
        "Why he may be pulling away",
        "Your safety comes first",
        "helpline",
        "abuse",
        "Emergency",
        "walk away",
        "you answered",
        "Because",
    ]
    assert len(shown_elsewhere) > 15
    for words in shown_elsewhere:
        assert words.lower() not in paper.lower(), words


def test_she_chooses_the_ways_she_wants_to_try(client, questionnaire):
    """A plain form (GET, checkboxes): only the ticked ways are on the plan; every box of
    her result's ways is offered, ticked as the plan stands."""
    result = take(client, STRESSED_BUT_TOGETHER)
    page = soup(client.get(result + "plan/"))
    boxes = page.select(".plan__choose input[name=way]")
    assert [box["value"] for box in boxes] == ["way-dont-make-it-about-you", "way-listen-and-learn"]
    assert all(box.has_attr("checked") for box in boxes)
    response = client.get(result + "plan/", {"way": "way-listen-and-learn", "choose": "1"})
    page = soup(response)
    assert response.status_code == 200
    assert [text_of(h2) for h2 in page.select(".plan__way h2")] == ["Listen and learn"]
    ticked = [box["value"] for box in page.select("input[name=way][checked]")]
    assert ticked == ["way-listen-and-learn"]
    assert text_of(page.select_one(".plan__choose summary")) == "Change which ones are on it"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"choose": "1"}, "Tick at least one, or print them all."),
        (
            {"way": "sign-gaslighting", "choose": "1"},
            "That is not one of the ways on your results: tick from the list.",
        ),
        ({"way": "<script>", "choose": "1"}, "That is not one of the ways on your results"),
    ],
)
def test_a_choice_it_cannot_use_is_a_400_saying_why(client, questionnaire, query, message):
    """A warning sign is no way to try: asked for by name, it is refused, not printed."""
    result = take(client, STRESSED_BUT_TOGETHER)
    response = client.get(result + "plan/", query)
    assert response.status_code == 400
    page = soup(response)
    assert text_of(page.select_one(".question__error")).startswith(message)
    assert page.select_one("details.plan__choose").has_attr("open")
    assert "gaslight" not in printed(response).lower()


def test_a_query_that_is_not_her_choice_shows_every_way(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    response = client.get(result + "plan/", {"utm_source": "somewhere"})
    assert response.status_code == 200
    assert len(soup(response).select(".plan__way")) == len(the_ways_on(client, result)) == 2


def test_the_plan_is_private_like_the_result(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    response = client.get(result + "plan/")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_on_paper_the_plan_leaves_no_room_for_the_browsers_address_line(client, questionnaire):
    """Browsers print the page's address and title in the page margins; the plan's print
    stylesheet takes the margins away, so they have nowhere to go."""
    result = take(client, STRESSED_BUT_TOGETHER)
    page = soup(client.get(result + "plan/"))
    sheet = page.find("link", href="/static/css/plan-print.css")
    assert sheet["media"] == "print"
    css = (settings.BASE_DIR / "static" / "css" / "plan-print.css").read_text()
    assert "@page {\n  margin: 0;\n}" in css


def test_a_result_without_ways_says_so(client, questionnaire, monkeypatch):
    result = take(client, STRESSED_BUT_TOGETHER)
    monkeypatch.setattr(
        revisit, "result_page_for", lambda session: replace(result_page_for(session), ways=())
    )
    page = soup(client.get(result + "plan/"))
    assert page.select(".plan__way") == []
    assert "Your results don’t single out a way to try." in text_of(page.select_one(".plan"))
    assert page.select_one(".plan__choose") is None  # nothing to choose from


# The quiz session by its token with its version's number (1); her result from the cache.
PLAN_GET = 1
PLAN_GET_COLD = 2  # with nothing cached or parsed: the version's content too


def plan_queries(client) -> tuple[int, ...]:
    return queries_cold_then_warm(client, take(client, STRESSED_BUT_TOGETHER) + "plan/")


def test_the_plan_takes_a_query_or_two(client, questionnaire):
    assert plan_queries(client) == (PLAN_GET_COLD, PLAN_GET)


def test_the_plans_queries_do_not_grow_with_items(client, questionnaire):
    add_more_items_and_rules()
    assert plan_queries(client) == (PLAN_GET_COLD, PLAN_GET)
