"""A support line says when it answers and in which languages, when its source says so
(issue 12): on the safety panel in the reader's language, written by editors in admin."""

import pytest
from django.core.exceptions import ValidationError

from quiz.models import SupportResource

from .html import text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, take
from .test_quiz_safety_places import panel_of
from .translations import publish_spanish, set_copies

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(client, questionnaire):
    """Her result with the safety panel, as the browser that answered sees it."""
    return take(client, LEFT_WITH_WARNING_SIGNS)


def said(element) -> str:
    """The words as a reader reads them (text_of puts a space between every tag)."""
    return " ".join(element.get_text().split())


def line_in(panel, name: str):
    return next(li for li in panel.select(".resources li") if name in text_of(li))


def test_the_seed_says_the_us_hotline_answers_in_english_and_spanish(client, result):
    panel = panel_of(client.get(result, {"country": "US"}))
    line = line_in(panel, "National Domestic Violence Hotline")
    assert said(line.select_one(".resources__when")) == "Languages: English, español"
    # A line whose source says neither shows neither.
    assert line_in(panel, "loveisrespect").select_one(".resources__when") is None


def test_opening_hours_and_languages_in_the_readers_language(client, questionnaire):
    lines = SupportResource.objects.filter(country="IE")
    lines.update(hours="24 hours, every day", languages="en ga")
    set_copies(lines, hours_es="Las 24 horas, todos los días")
    publish_spanish()  # publishes the lines too
    result = take(client, LEFT_WITH_WARNING_SIGNS)  # her result keeps her version
    english = panel_of(client.get(result, {"country": "IE"}))
    assert said(line_in(english, "Women’s Aid").select_one(".resources__when")) == (
        "24 hours, every day Languages: English, Gaeilge"
    )
    spanish = panel_of(client.get("/es" + result, {"country": "IE"}))
    when = line_in(spanish, "Women’s Aid").select_one(".resources__when")
    assert said(when) == "Las 24 horas, todos los días Idiomas: English, Gaeilge"
    # Each language named in itself, and marked so for screen readers.
    assert [(s["lang"], text_of(s)) for s in when.select("span[lang]")] == [
        ("en", "English"),
        ("ga", "Gaeilge"),
    ]
    assert when.span.get("lang") is None  # the opening hours in her language


def test_an_untranslated_opening_time_is_marked_english(client, questionnaire):
    SupportResource.objects.filter(country="IE").update(hours="24 hours, every day")
    publish_spanish()
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    spanish = panel_of(client.get("/es" + result, {"country": "IE"}))
    hours = line_in(spanish, "Women’s Aid").select_one(".resources__when span")
    assert (text_of(hours), hours["lang"]) == ("24 hours, every day", "en")


@pytest.mark.parametrize("languages", ["en es", "en", "fil en"])
def test_languages_are_codes_separated_by_spaces(questionnaire, languages):
    line = SupportResource.objects.get(country="IE")
    line.languages = languages
    line.full_clean()


@pytest.mark.parametrize("languages", ["English", "en, es", "EN", "en  es", " en"])
def test_languages_written_otherwise_are_refused_saying_how(questionnaire, languages):
    line = SupportResource.objects.get(country="IE")
    line.languages = languages
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert refused.value.message_dict["languages"] == [
        "Language codes separated by spaces, e.g. “en es”."
    ]
