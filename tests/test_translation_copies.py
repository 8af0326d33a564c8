"""Where translations are kept: one JSON column per row (advice/translation.py), so a
third language is its code, its catalog and editors' translations, never a migration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from advice.admin_translation import missing_in
from advice.models import Item
from advice.translation import missing, translations_of
from quiz.models import Question

from .admin_forms import submit
from .html import soup, text_of
from .translations import set_copies

ROOT = Path(__file__).resolve().parent.parent
WITH_FRENCH = [("en", "English"), ("es", "Español"), ("fr", "Français")]


def test_a_third_language_needs_no_migration():
    environment = {**os.environ, "SITE_LANGUAGES": "en,es,fr"}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No changes detected" in done.stdout


@pytest.fixture
def item(db):
    call_command("loaddata", "article", verbosity=0)
    return Item.objects.get(slug="reason-stressed")


@pytest.fixture
def french(settings):
    settings.LANGUAGES = WITH_FRENCH


def test_a_row_keeps_its_copies_in_one_json_column(item):
    assert item.copies == {"es": {"title": item.title_es, "body": item.body_es}}
    item.title_es = ""
    assert item.copies == {"es": {"body": item.body_es}}  # an empty copy is not kept
    item.body_es = None
    assert item.copies == {} and item.body_es == ""


def test_a_third_language_is_set_and_read_like_the_second(item, french):
    item.title_fr = "Il est stressé"
    item.save()
    row = Item.objects.get(pk=item.pk)
    assert row.title_fr == "Il est stressé"
    assert row.body_fr == ""
    assert row.copies["fr"] == {"title": "Il est stressé"}
    assert row.title_es == "Está estresado y nada de esto tiene que ver contigo"
    assert translations_of(row, ["title"])["fr"] == {"title": "Il est stressé"}
    assert missing(row, "fr") == ["body"]
    assert Item(title="A", title_fr="Un").title_fr == "Un"
    assert row.history.latest().title_fr == "Il est stressé"  # and its history


def test_the_third_language_goes_with_its_setting(item, settings):
    settings.LANGUAGES = WITH_FRENCH
    assert hasattr(Item, "title_fr")
    settings.LANGUAGES = WITH_FRENCH[:2]
    assert not hasattr(Item, "title_fr")
    assert item.title_es


def test_missing_counts_no_key_and_an_empty_text_alike(item, french):
    """The database's JSON lookups, on SQLite as on PostgreSQL."""
    rows = Item.objects.filter(section=item.section)
    assert not rows.filter(missing_in(Item, "es")).exists()
    assert set(rows.filter(missing_in(Item, "fr"))) == set(rows)
    set_copies(Item.objects.filter(pk=item.pk), title_fr="Il est stressé", body_fr="Oui")
    assert item not in rows.filter(missing_in(Item, "fr"))
    Item.objects.filter(pk=item.pk).update(copies={"es": {"title": "", "body": "Sí"}})
    assert list(rows.filter(missing_in(Item, "es"))) == [item]
    assert list(rows.exclude(missing_in(Item, "es"))) == [r for r in rows if r != item]


def test_a_copy_is_checked_as_its_english_is(item):
    item.title_es = "x" * 201
    with pytest.raises(ValidationError, match=r"title \(Spanish\).*at most 200"):
        item.full_clean()


def test_admin_edits_a_third_language_beside_the_english(editor_client, item, french):
    url = f"/admin/advice/item/{item.pk}/change/"
    page = soup(editor_client.get(url))
    assert "Title (French)" in text_of(page.select_one(".field-title_fr label"))
    assert page.select_one(".field-body_fr textarea.markdownx-editor") is not None
    assert submit(editor_client, url, title_fr="Il est stressé").status_code == 302
    row = Item.objects.get(pk=item.pk)
    assert (row.title_fr, row.title_es) == ("Il est stressé", item.title_es)


def test_admin_refuses_a_copy_its_english_field_would_refuse(editor_client, item):
    url = f"/admin/advice/item/{item.pk}/change/"
    response = submit(editor_client, url, title_es="x" * 201, body_es="- " * 600 + "deeper")
    assert response.status_code == 200
    page = soup(response)
    assert "at most 200" in text_of(page.select_one(".field-title_es .errorlist"))
    assert page.select_one(".field-body_es .errorlist") is not None
    assert Item.objects.get(pk=item.pk).copies == item.copies


def test_an_answer_s_copy_is_labelled_in_the_question_s_inline(editor_client, item, french):
    call_command("loaddata", "questionnaire", verbosity=0)
    question = Question.objects.order_by("position").first()
    page = soup(editor_client.get(f"/admin/quiz/question/{question.pk}/change/"))
    headings = [text_of(th) for th in page.select("#choices-group thead th")]
    assert "Text (Spanish)" in headings and "Text (French)" in headings


BEFORE = [("advice", "0014_search_languages"), ("quiz", "0016_linecheck_detail_message")]
AFTER = [("advice", "0015_copies_in_json"), ("quiz", "0017_copies_in_json")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_spanish_and_its_history_into_copies_and_back():
    try:
        old = migrate(BEFORE)
        article = old.get_model("advice", "Article").objects.create(
            title="A", slug="a", title_es="Un", meta_description="M"
        )
        old.get_model("advice", "HistoricalArticle").objects.create(
            id=article.pk, title="A", slug="a", title_es="Uno viejo", history_date=timezone.now()
        )
        new = migrate(AFTER)
        assert new.get_model("advice", "Article").objects.get().copies == {"es": {"title": "Un"}}
        version = new.get_model("advice", "HistoricalArticle").objects.get()
        assert version.copies == {"es": {"title": "Uno viejo"}}
        old = migrate(BEFORE)
        assert old.get_model("advice", "Article").objects.get().title_es == "Un"
        assert old.get_model("advice", "HistoricalArticle").objects.get().title_es == "Uno viejo"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # as every test has it
