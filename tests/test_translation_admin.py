"""Translating in admin: the English beside each field, what is missing, the state of each
language, and history and revert for translated fields."""

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from advice.models import ArticleTranslation, Item
from quiz.models import Choice, Question, QuestionnaireTranslation

from .admin_forms import submit
from .html import soup, text_of
from .translations import set_copies

pytestmark = pytest.mark.django_db


def field_row(page, name: str):
    """The admin form row of field `name`: its label, input and help text."""
    return page.select_one(f".field-{name}")


def test_the_english_is_shown_under_the_field_its_translation_is_written_in(editor_client, seeded):
    item = Item.objects.get(slug="reason-stressed")
    page = soup(editor_client.get(f"/admin/advice/item/{item.pk}/change/"))
    row = field_row(page, "title_es")
    source = row.select_one(".translation-source")
    assert text_of(source) == f"English: {item.title}"
    assert source["lang"] == "en"
    assert row.select_one("input")["value"] == item.title_es
    assert "missing" not in text_of(row.label)


def test_a_field_with_english_but_no_translation_is_marked_missing(editor_client, seeded):
    item = Item.objects.get(slug="reason-stressed")
    set_copies(Item.objects.filter(pk=item.pk), body_es="")
    page = soup(editor_client.get(f"/admin/advice/item/{item.pk}/change/"))
    assert "(missing)" in text_of(field_row(page, "body_es").label)
    assert "(missing)" not in text_of(field_row(page, "title_es").label)


def test_the_list_filters_rows_with_a_translation_missing(editor_client, seeded):
    set_copies(Item.objects.filter(slug="reason-stressed"), title_es="")
    missing = editor_client.get("/admin/advice/item/?missing_es=missing")
    assertContains(missing, "He’s stressed and none of this is about you")
    assert "1 item" in text_of(soup(missing).select_one(".paginator"))
    complete = editor_client.get("/admin/advice/item/?missing_es=complete")
    assert "He’s stressed and none of" not in complete.content.decode()


def test_the_article_page_shows_each_language_s_state_and_what_is_missing(editor_client, seeded):
    set_copies(Item.objects.filter(slug="reason-stressed"), title_es="")
    page = soup(editor_client.get(f"/admin/advice/article/{seeded.pk}/change/"))
    state = page.select_one("#translations-group")
    assert "needs review by a native-speaking editor" in text_of(state).lower()
    assert text_of(state.select_one(".field-rows_missing")) == "1 missing"


def test_an_editor_confirms_the_review_and_the_history_says_who(editor_client, seeded, editor):
    """The seed's Spanish needs review until an editor who reads it unticks the box."""
    url = f"/admin/advice/article/{seeded.pk}/change/"
    response = submit(editor_client, url, **{"translations-0-needs_review": None})
    assert response.status_code == 302
    state = ArticleTranslation.objects.get(article=seeded, language="es")
    assert not state.needs_review
    assert state.history.latest().history_user == editor


def test_the_questionnaire_page_shows_its_spanish_state(editor_client, questionnaire):
    page = soup(editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"))
    state = page.select_one("#translations-group")
    assert "needs review by a native-speaking editor" in text_of(state).lower()
    assert text_of(state.select_one(".field-rows_missing")) == "none: complete"
    assert QuestionnaireTranslation.objects.get().needs_review


def test_answers_are_translated_beside_their_english_on_the_question_s_page(
    editor_client, questionnaire
):
    question = Question.objects.order_by("position").first()
    choice = question.choices.order_by("position").first()
    url = f"/admin/quiz/question/{question.pk}/change/"
    page = soup(editor_client.get(url))
    assert page.select_one("#choices-group .field-text_es input")["value"] == choice.text_es
    response = submit(editor_client, url, **{"choices-0-text_es": "Seguimos juntos"})
    assert response.status_code == 302
    assert Choice.objects.get(pk=choice.pk).text_es == "Seguimos juntos"


def test_revert_restores_a_translated_field(editor_client, seeded):
    call_command("populate_history", "--auto", verbosity=0)
    item = Item.objects.get(slug="reason-stressed")
    original = item.history.earliest()
    url = f"/admin/advice/item/{item.pk}/change/"
    assert submit(editor_client, url, title_es="Un título que deshacer").status_code == 302
    assert Item.objects.get(pk=item.pk).title_es == "Un título que deshacer"
    history = soup(editor_client.get(f"/admin/advice/item/{item.pk}/history/"))
    assert "Un título que deshacer" in text_of(history.select_one("#change-history"))

    revert = f"/admin/advice/item/{item.pk}/history/{original.pk}/"
    assert submit(editor_client, revert).status_code == 302
    assert Item.objects.get(pk=item.pk).title_es == original.title_es
    assert original.title_es == "Está estresado y nada de esto tiene que ver contigo"
