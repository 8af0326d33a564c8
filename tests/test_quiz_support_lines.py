"""Issue 12, help where she lives: support lines are site-wide, each for one country or for
everyone. Every questionnaire's safety panel shows the same lines, her country's first; an
editor keeps each line once, on its own admin page; a version published before lines were
site-wide keeps showing each questionnaire's own (tests/test_golden_release.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from pytest_django.asserts import assertContains

from advice.models import ArticleTranslation, Release
from advice.releases import changes, preview_content, publish, published
from advice.review_scope import critical_changes, critical_part
from quiz.models import (
    Choice,
    EmergencyNumber,
    QuestionnaireTranslation,
    QuizSession,
    SupportResource,
)

from .factories import make_questionnaire
from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, take

pytestmark = pytest.mark.django_db


def lines_on(client, result: str, country: str) -> list[str]:
    panel = soup(client.get(result, {"country": country})).select_one(".panel--safety")
    return [text_of(li.strong).rstrip(":") for li in panel.select(".resources li")]


def safety_result_of_another_questionnaire() -> str:
    """A second questionnaire, on another article, whose one answer raises the safety
    notice: its result's address, answered under the live version."""
    other = make_questionnaire(questions=1)
    choice = Choice.objects.filter(question__questionnaire=other).first()
    Choice.objects.filter(pk=choice.pk).update(raises_safety_notice=True)
    release = publish()
    session = QuizSession.objects.create(
        questionnaire=other,
        release=release,
        final_answers={str(choice.question_id): [choice.pk]},
        completed_at=timezone.now(),
    )
    return session.get_absolute_url()


def test_every_questionnaire_shows_the_same_lines_her_country_s_first(client, questionnaire):
    seed_result = take(client, LEFT_WITH_WARNING_SIGNS)
    other_result = safety_result_of_another_questionnaire()
    for country in ("GB", "IE", "AU"):
        seed_lines = lines_on(client, seed_result, country)
        assert lines_on(client, other_result, country) == seed_lines
    assert lines_on(client, other_result, "IE")[1:] == [
        "Women’s Aid National Freephone Helpline",
        "Someone you trust",
    ]


def test_a_line_added_once_reaches_every_questionnaire_s_panel(client, questionnaire):
    other_result = safety_result_of_another_questionnaire()
    SupportResource.objects.create(
        name="A new Irish line", country="IE", phone="1800 341 900", position=1
    )
    publish()
    seed_result = take(client, LEFT_WITH_WARNING_SIGNS)
    assert "A new Irish line" in lines_on(client, seed_result, "IE")
    # The other reader's result keeps the version she finished with.
    assert "A new Irish line" not in lines_on(client, other_result, "IE")
    assert "A new Irish line" in lines_on(client, safety_result_of_another_questionnaire(), "IE")


def test_the_publish_page_lists_a_new_line_once(editor_client, questionnaire):
    SupportResource.objects.create(name="A new Irish line", country="IE", phone="1800 341 900")
    page = editor_client.get("/admin/advice/release/add/")
    assertContains(page, "New support resource: A new Irish line", count=1)
    assertContains(page, "New support resource “A new Irish line” (1800 341 900)", count=1)


def in_the_format_before(content: dict) -> dict:
    """A version as format 3 held the same lines: inside each questionnaire."""
    content = dict(content, schema=3)
    lines = content.pop("support_resources")
    content["questionnaires"] = [dict(q, resources=lines) for q in content["questionnaires"]]
    return content


def test_publishing_the_same_lines_site_wide_is_no_safety_critical_change(questionnaire):
    """The first version after the upgrade holds the lines the last one held inside its
    questionnaire: a reviewer is not asked to check every number again."""
    live = Release.objects.live().first()
    before = Release.objects.create(content=in_the_format_before(live.content))
    assert critical_changes(critical_part(published(before)), critical_part(published(live))) == []
    count = SupportResource.objects.filter(is_published=True).count()
    assert [str(change) for change in changes(published(before), published(live))] == [
        f"Support resources, one list on every safety panel: {count}"
    ]
    SupportResource.objects.filter(phone="0808 2000 247").update(phone="0808 2000 999")
    changed = publish()
    [change] = critical_changes(critical_part(published(before)), critical_part(published(changed)))
    assert change.message == "Support resource %(before)s becomes %(after)s"


def migrate(quiz_migration: str | None):
    """Every app at its newest migration, the quiz app at `quiz_migration`."""
    executor = MigrationExecutor(connection)
    targets = [
        ("quiz", quiz_migration) if app == "quiz" and quiz_migration else (app, name)
        for app, name in executor.loader.graph.leaf_nodes()
    ]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


BEFORE = "0018_support_line_hours_and_languages"
AFTER = "0021_support_lines_without_questionnaire"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_one_row_of_a_line_two_questionnaires_shared():
    try:
        old = migrate(BEFORE)
        Article = old.get_model("advice", "Article")
        Questionnaire = old.get_model("quiz", "Questionnaire")
        Line = old.get_model("quiz", "SupportResource")
        LineCheck = old.get_model("quiz", "LineCheck")
        article = Article.objects.create(title="A", slug="a")
        first, second = (
            Questionnaire.objects.create(article=article, title=t, slug=t) for t in ("one", "two")
        )
        shared = {"name": "Line", "phone": "+44 808 2000 247", "url": "https://example.org/"}
        kept = Line.objects.create(questionnaire=first, position=1, **shared)
        twin = Line.objects.create(
            questionnaire=second, position=1, copies={"es": {"name": "Línea"}}, **shared
        )
        Line.objects.create(questionnaire=second, name="Only in two", position=2)
        for line in (kept, twin):
            LineCheck.objects.create(
                resource=line, url=shared["url"], outcome="ok", checked_at=timezone.now()
            )

        new = migrate(AFTER)
        lines = new.get_model("quiz", "SupportResource").objects.order_by("position", "pk")
        assert [line.name for line in lines] == ["Line", "Only in two"]
        merged = lines.first()
        assert merged.pk == kept.pk
        assert merged.copies == {"es": {"name": "Línea"}}
        assert new.get_model("quiz", "LineCheck").objects.filter(resource=merged).count() == 2

        old = migrate(BEFORE)
        owners = old.get_model("quiz", "SupportResource").objects.values_list(
            "questionnaire__slug", flat=True
        )
        assert set(owners) == {"one"}
    finally:
        migrate(None)  # as every test has it


def test_a_spanish_reader_s_lines_speak_spanish_once_the_questionnaire_does(client, questionnaire):
    """Lines have no translation state of their own: they follow the questionnaire's."""
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    spanish = f"/es{result}"
    assert "National Domestic Abuse Helpline (England)" in lines_on(client, spanish, "GB")
    panel = soup(client.get(spanish, {"country": "GB"})).select_one(".panel--safety")
    assert panel.find("strong", string=lambda s: "Someone you trust" in s)["lang"] == "en"
    ArticleTranslation.objects.filter(language="es").update(is_published=True)
    QuestionnaireTranslation.objects.filter(language="es").update(is_published=True)
    publish()
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    lines = lines_on(client, f"/es{result}", "GB")
    assert "Línea Nacional contra el Maltrato Doméstico (England)" in lines
    assert "Alguien de confianza" in lines


def test_a_line_s_new_translation_is_a_change_to_publish_not_to_review(questionnaire):
    line = SupportResource.objects.get(phone="0808 2000 247")
    line.name_es = "Otra traducción"
    line.save()
    live = published(Release.objects.live().first())
    draft = preview_content()
    assert f"Support resource changed: {line.name}" in [str(c) for c in changes(live, draft)]
    assert critical_changes(critical_part(live), critical_part(draft)) == []


def rows_on(editor_client, url: str, first_column: str) -> dict[str, bool]:
    """The rows of an admin list, each with whether it is marked "needs a check"."""
    rows = soup(editor_client.get(url)).select("#result_list tbody tr")
    return {
        text_of(row.select_one(f".field-{first_column}")): "needs a check"
        in text_of(row.select_one(".field-checked"))
        for row in rows
    }


def flagged_on(editor_client, url: str, first_column: str) -> list[str]:
    return [name for name, flagged in rows_on(editor_client, url, first_column).items() if flagged]


def test_the_lists_mark_what_is_due_for_a_check_against_its_source(editor_client, questionnaire):
    """Six months after its check, or never checked: the same rule as the publish page's."""
    today = timezone.localdate()
    SupportResource.objects.update(checked_on=today, unconfirmed="")
    EmergencyNumber.objects.update(checked_on=today, unconfirmed="")
    SupportResource.objects.filter(phone="0808 2000 247").update(
        checked_on=today - timedelta(days=200)
    )
    SupportResource.objects.filter(country="IE").update(checked_on=today - timedelta(days=150))
    SupportResource.objects.filter(name="Someone you trust").update(checked_on=None)
    EmergencyNumber.objects.filter(country="IE").update(checked_on=None)
    lines, numbers = "/admin/quiz/supportresource/", "/admin/quiz/emergencynumber/"
    helpline = "National Domestic Abuse Helpline"
    assert flagged_on(editor_client, lines, "name") == [helpline]
    assert list(rows_on(editor_client, f"{lines}?check=due", "name")) == [helpline]
    assert flagged_on(editor_client, numbers, "place") == ["Ireland"]
    assert list(rows_on(editor_client, f"{numbers}?check=due", "place")) == ["Ireland"]
    SupportResource.objects.filter(country="IE").update(unconfirmed="web address")
    assert len(rows_on(editor_client, f"{lines}?check=due", "name")) == 2
