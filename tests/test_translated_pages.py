"""A reader in Spanish: the Spanish text once it is published, English (marked lang="en")
wherever it is not, and the same result for the same answers in every language."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from advice.models import Item, Release
from advice.releases import publish
from quiz.models import Choice, Question

from .html import text_of
from .moments import SEED_PUBLISHED_AT
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, START, take
from .translations import language_of, publish_spanish, read_in, set_copies

pytestmark = pytest.mark.django_db

ENGLISH_TITLE = "Why is he pushing me away when he loves me?"
SPANISH_TITLE = "¿Por qué me aleja si me quiere?"


def item_on(page, slug: str):
    return page.find(id=slug)


def test_before_its_spanish_is_published_a_spanish_reader_gets_the_english_marked_as_english(
    client, seeded
):
    page = read_in("es", client, "/")
    assert page.html["lang"] == "es"
    assert text_of(page.h1) == ENGLISH_TITLE
    assert language_of(page.h1) == "en"
    item = item_on(page, "reason-stressed")
    assert language_of(item.select_one(".prose")) == "en"


def test_once_published_a_spanish_reader_reads_the_spanish_article(client, seeded):
    publish_spanish(questionnaire=False)
    page = read_in("es", client, "/")
    assert text_of(page.h1) == SPANISH_TITLE
    assert language_of(page.h1) == "es"
    item = item_on(page, "reason-stressed")
    assert "Está estresado y nada de esto tiene que ver contigo" in text_of(item.h3)
    assert language_of(item.select_one(".prose")) == "es"
    assert page.find(id="reasons-title").get_text() == (
        "5 razones por las que te aleja aunque te quiere"
    )


def test_english_readers_keep_the_english_when_the_spanish_is_published(client, seeded):
    publish_spanish(questionnaire=False)
    page = read_in("en", client, "/")
    assert text_of(page.h1) == ENGLISH_TITLE
    assert page.html["lang"] == "en"
    # Nothing in the article is marked: all of it is in the page's language.
    assert not page.select_one("article.article").select("[lang]")


def test_a_partly_translated_item_falls_back_to_english_field_by_field(client, seeded):
    set_copies(Item.objects.filter(slug="reason-stressed"), body_es="")
    set_copies(Item.objects.filter(slug="reason-falling-for-you"), title_es="")
    publish_spanish(questionnaire=False)
    page = read_in("es", client, "/")

    stressed = item_on(page, "reason-stressed")
    assert text_of(stressed.h3) == "2) Está estresado y nada de esto tiene que ver contigo"
    assert language_of(stressed.h3) == "es"
    body = stressed.select_one(".prose")
    assert language_of(body) == "en"
    assert "Continuing with our theme" in text_of(body)

    falling = item_on(page, "reason-falling-for-you")
    title = falling.h3.find("span", string="He’s falling for you")
    assert language_of(title) == "en"
    assert language_of(falling.select_one(".prose")) == "es"


def test_the_questionnaire_is_in_spanish_once_it_and_its_article_are_published(
    client, questionnaire
):
    publish_spanish()
    start = read_in("es", client, START)
    assert text_of(start.h1) == "¿Por qué se aleja? Unas preguntas"
    assert language_of(start.h1) == "es"


def test_the_questionnaire_stays_english_while_its_spanish_is_unpublished(client, questionnaire):
    publish_spanish(questionnaire=False)
    start = read_in("es", client, START)
    assert text_of(start.h1) == "Why is he pulling away? A few questions"
    assert language_of(start.h1) == "en"


def result_items(page) -> list[tuple[str, str]]:
    """(item anchor, title) of each item on a result page, in order."""
    return [(article["id"], text_of(article.h3)) for article in page.select("article.result-item")]


def test_the_same_answers_give_the_same_result_in_english_and_in_spanish(
    client, django_user_model, questionnaire
):
    """One set of rules for all languages: the answers are the same choices (by id), so
    the result holds the same items in the same order, each in the reader's language."""
    publish_spanish()
    english = read_in("en", client, take(client, LEFT_WITH_WARNING_SIGNS))
    client.cookies.clear()
    with translation.override("es"):
        address = take(client, LEFT_WITH_WARNING_SIGNS)
    spanish = read_in("es", client, address)

    assert [anchor for anchor, _ in result_items(english)] == [
        anchor for anchor, _ in result_items(spanish)
    ]
    titles = dict(result_items(spanish))
    assert titles["result-sign-gaslighting"] == "8) Te hace luz de gas (gaslighting)"
    assert text_of(spanish.h1) == "Quizá sea momento de irte"
    assert text_of(english.h1) == "It may be time to walk away"


def test_a_spanish_reader_answers_the_questions_in_spanish(client, questionnaire):
    publish_spanish()
    first = Question.objects.order_by("position").first()
    with translation.override("es"):
        client.post(START)
    page = read_in("es", client, f"{START}question/{first.pk}/")
    assert text_of(page.h1) == "¿Cómo están las cosas entre tú y él ahora mismo?"
    labels = [text_of(label) for label in page.select(".choice label")]
    assert labels == [c.text_es for c in Choice.objects.filter(question=first)]


GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("version", [1, 2])
def test_a_release_from_before_translations_reads_as_english_for_a_spanish_reader(
    client, db, version
):
    content = json.loads((GOLDEN / f"release-{version}.json").read_text(encoding="utf-8"))
    Release.objects.create(content=content, go_live_at=SEED_PUBLISHED_AT)
    page = read_in("es", client, "/")
    assert text_of(page.h1) == content["articles"][0]["title"]
    assert language_of(page.h1) == "en"


def test_the_article_page_is_cached_per_language(client, seeded):
    publish_spanish(questionnaire=False)
    assert text_of(read_in("en", client, "/").h1) == ENGLISH_TITLE
    assert text_of(read_in("es", client, "/").h1) == SPANISH_TITLE
    toc = read_in("es", client, "/").select_one(".toc")
    assert "Se está enamorando de ti" in text_of(toc)


def test_publishing_leaves_a_language_out_until_it_is_marked_published(seeded):
    content = Release.objects.live().first().content
    assert content["articles"][0]["languages"] == ["en"]
    assert content["articles"][0]["translations"]["es"]["title"] == SPANISH_TITLE
    publish_spanish(questionnaire=False)
    assert Release.objects.live().first().content["articles"][0]["languages"] == ["en", "es"]


def test_a_translated_markdown_text_is_published_as_html(seeded):
    publish()
    section = Release.objects.live().first().content["articles"][0]["sections"][1]
    spanish = section["items"][0]["translations"]["es"]
    assert spanish["body_html"].startswith("<p>¿Ves? Ya te dijimos")


def test_an_untranslated_answer_is_marked_english_among_spanish_ones(client, questionnaire):
    first = Question.objects.order_by("position").first()
    untranslated = first.choices.order_by("position").first()
    set_copies(Choice.objects.filter(pk=untranslated.pk), text_es="")
    publish_spanish()
    with translation.override("es"):
        client.post(START)
    page = read_in("es", client, f"{START}question/{first.pk}/")
    labels = page.select(".choice label")
    assert (text_of(labels[0]), language_of(labels[0])) == (untranslated.text, "en")
    assert language_of(labels[1]) == "es"


def test_the_list_of_changes_names_a_language_newly_published_and_changed_translations(seeded):
    from advice.models import ArticleTranslation
    from advice.releases import changes, live_content, preview_content

    ArticleTranslation.objects.update(is_published=True)
    set_copies(Item.objects.filter(slug="reason-stressed"), title_es="Está agotado")
    found = [str(change) for change in changes(live_content(), preview_content())]
    title = "“Why is he pushing me away when he loves me?”"
    assert f"{title}: now published in Spanish" in found
    assert f"{title}: translations changed" in found


def test_a_text_keeps_its_language_through_the_cache():
    """Result pages are cached (pickled, with Redis): a fallback text stays marked."""
    import pickle

    from advice.translation import Html, Text

    assert pickle.loads(pickle.dumps(Text("Hola", "es"))).lang == "es"
    html = pickle.loads(pickle.dumps(Html("<p>Hi</p>", "en")))
    assert (html.lang, html.__html__()) == ("en", "<p>Hi</p>")


def test_the_list_of_changes_names_a_questionnaire_newly_published_in_spanish(questionnaire):
    from advice.models import ArticleTranslation
    from advice.releases import changes, live_content, preview_content
    from quiz.models import QuestionnaireTranslation

    ArticleTranslation.objects.update(is_published=True)
    QuestionnaireTranslation.objects.update(is_published=True)
    set_copies(Choice.objects.filter(pk=Choice.objects.first().pk), text_es="Otra respuesta")
    found = [str(change) for change in changes(live_content(), preview_content())]
    name = "“Why is he pulling away? A few questions”"
    assert f"{name}: now published in Spanish" in found
    assert f"{name}: translations changed" in found
