"""The seed's Spanish: the whole article and questionnaire, loaded by `load_seed_content`,
unpublished and marked for review by a native-speaking editor until one confirms it."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from advice.models import Article, ArticleTranslation, Item, Section
from advice.translation import missing
from quiz.models import (
    Choice,
    Question,
    Questionnaire,
    QuestionnaireTranslation,
    SupportResource,
    Verdict,
)
from scripts.seed_to_fixture import SEED, SEED_ES, build_records
from scripts.translate_questionnaire_fixture import FIXTURE, SPANISH, translated

pytestmark = pytest.mark.django_db

CONTENT = [Article, Section, Item, Questionnaire, Question, Choice, Verdict, SupportResource]


@pytest.fixture
def loaded(db):
    call_command("load_seed_content", verbosity=0)


def test_every_text_of_the_seed_has_its_spanish(loaded):
    for model in CONTENT:
        for row in model.objects.all():
            assert missing(row, "es") == [], (model.__name__, row.pk)


def test_the_spanish_reaches_no_reader_and_asks_for_a_native_speaker_s_review(loaded):
    article = ArticleTranslation.objects.get()
    questionnaire = QuestionnaireTranslation.objects.get()
    assert (article.language, article.is_published, article.needs_review) == ("es", False, True)
    assert (questionnaire.language, questionnaire.is_published) == ("es", False)
    assert questionnaire.needs_review


def test_each_item_keeps_its_place_in_spanish(loaded):
    """The Spanish seed is laid out like the English: item n translates item n."""
    assert Item.objects.get(slug="sign-gaslighting").title_es.startswith("Te hace luz de gas")
    assert Item.objects.get(slug="way-give-him-space").title_es == "Dale espacio"
    closing = Section.objects.get(slug="how-to-handle-it").outro_es
    assert closing.startswith("Si las estrategias anteriores no funcionan")


def test_the_generator_still_makes_the_committed_article_fixture():
    committed = json.loads((SEED.parent / "article.json").read_text(encoding="utf-8"))
    made = build_records(SEED.read_text(encoding="utf-8"), SEED_ES.read_text(encoding="utf-8"))
    assert made == committed


def test_the_questionnaire_fixture_holds_the_glossary_s_spanish():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    spanish = json.loads(SPANISH.read_text(encoding="utf-8"))
    assert translated(json.loads(json.dumps(records)), spanish) == records


def test_an_english_text_without_spanish_is_named():
    records = [{"model": "quiz.choice", "pk": 1, "fields": {"text": "A new answer"}}]
    with pytest.raises(SystemExit, match="No Spanish for:\nA new answer"):
        translated(records, {})


def test_the_spanish_keeps_the_article_s_terms(loaded):
    """One word for one thing: gaslighting is "luz de gas" in the article, the safety
    notice and the answers that point to it."""
    safety = Questionnaire.objects.get().safety_text_es
    assert "luz de gas" in safety
    assert "luz de gas" in Item.objects.get(slug="sign-gaslighting").title_es


SEED_ES_PATH = Path(SEED_ES)


def test_the_spanish_seed_speaks_to_readers_in_spain_and_latin_america():
    """Tú throughout, no vosotros forms (Spain only) and no ustedes verbs addressed to
    the reader and him as a couple (which read as formal in Spain)."""
    texts = SEED_ES_PATH.read_text(encoding="utf-8") + SPANISH.read_text(encoding="utf-8")
    for word in ("vosotros", "vuestra", "vuestro", "ustedes", "sois "):
        assert word not in texts.lower(), word
