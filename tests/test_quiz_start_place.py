"""Issue 12: she can say where she is on the questionnaire's start page too (a plain GET
form, as on the safety panel). The choice is kept only in her session, and her result's
safety panel starts from it; a newcomer's start page stays one page for all."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from quiz.place_choice import SESSION_KEY

from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, START, take
from .test_quiz_safety_places import first_line, panel_of

pytestmark = pytest.mark.django_db


def place_section(response):
    assert response.status_code == 200
    return soup(response).select_one("#where")


def test_a_newcomer_is_asked_where_she_is_and_her_page_stays_one_for_all(client, questionnaire):
    section = place_section(client.get(START))
    assert text_of(section.h2) == "Help where you are"
    places = [text_of(o) for o in section.select("select[name=country] option")]
    assert places[0] == "Choose a country" and "Australia" in places and "Ireland" in places
    assert section.select("option[selected]") == []
    assert "sessionid" not in client.cookies
    assert client.get(START).templates == []  # the same page, kept whole for every newcomer


def test_her_choice_shows_its_emergency_number_and_stays_private(client, questionnaire):
    chosen = client.get(START, {"country": "AU"})
    assert (chosen.status_code, chosen["Location"]) == (302, START + "#where")
    assert client.session[SESSION_KEY] == "AU"
    page = client.get(START)
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    section = place_section(page)
    assert text_of(section.select_one(".resources li")) == (
        "Emergency services, Australia: call 000 (112 from mobiles)."
    )
    assert text_of(section.select_one("option[selected]")) == "Australia"


def test_her_result_starts_from_the_place_she_chose_before_she_began(client, questionnaire):
    client.get(START, {"country": "IE"})
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    # Her choice comes before what her browser's languages name, and is not said to be its.
    panel = panel_of(client.get(result, HTTP_ACCEPT_LANGUAGE="en-AU"))
    assert first_line(panel) == "Emergency services, Ireland: call 112 (999 also works)."
    assert "your browser" not in text_of(panel)


def test_she_can_take_her_choice_back(client, questionnaire):
    client.get(START, {"country": "AU"})
    assert client.get(START, {"country": ""}).status_code == 302
    assert SESSION_KEY not in client.session
    assert place_section(client.get(START)).select_one(".resources") is None


def test_a_place_we_do_not_know_is_said_kindly_and_keeps_nothing(client, questionnaire):
    client.get(START, {"country": "AU"})
    response = client.get(START, {"country": "<script>"})
    assertContains(response, "We have no helplines listed for the place in this address.")
    assertNotContains(response, "<script>")
    assert client.session[SESSION_KEY] == "AU"  # what she chose before stays


def test_in_spanish_too(client, questionnaire):
    from .translations import publish_spanish

    publish_spanish()
    client.get("/es" + START, {"country": "ES"})
    section = place_section(client.get("/es" + START))
    assert text_of(section.h2) == "Ayuda donde estás"
    assert "112" in text_of(section.select_one(".resources li"))
