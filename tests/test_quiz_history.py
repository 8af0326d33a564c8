"""Every change to the questionnaire is kept (who, when, what) and can be reverted in admin.

Readers' sessions and answers are never copied into history: they are theirs, not content.
"""

import pytest
from django.core.management import call_command
from django.utils import formats, timezone
from pytest_django.asserts import assertContains

from advice.history import record_first_versions, tracked_models
from quiz.models import (
    Answer,
    Choice,
    ChoiceRule,
    Question,
    Questionnaire,
    QuizSession,
    ReasonRule,
    SessionResultItem,
    SupportResource,
    Verdict,
)

from .admin_forms import form_data, row_prefix
from .editing import approve_in_admin, publish_in_admin
from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, STRESSED_BUT_TOGETHER, take

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Questionnaire, Question, Choice, ChoiceRule, ReasonRule, Verdict, SupportResource]
READERS_MODELS = [QuizSession, Answer, Answer.choices.through, SessionResultItem]


@pytest.fixture
def with_history(questionnaire):
    """The seed as `make run` loads it: each row's first version recorded."""
    record_first_versions()
    return questionnaire


def old_flame_rule() -> ChoiceRule:
    return ChoiceRule.objects.get(
        choice__text__startswith="An ex has come back", item__slug="sign-old-flame"
    )


def set_weight_on_the_answers_page(editor_client, rule: ChoiceRule, weight: int):
    """The editor opens the answer, changes one rule's points in the rules inline, saves."""
    url = f"/admin/quiz/choice/{rule.choice_id}/change/"
    data = form_data(editor_client.get(url))
    row = row_prefix(data, "rules", "id", rule.pk)
    data[f"{row}-weight"] = [str(weight)]
    response = editor_client.post(url, data)
    assert response.status_code == 302, text_of(soup(response).select_one("#content"))


def history_table(editor_client, obj) -> str:
    opts = obj._meta
    page = editor_client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/")
    assert page.status_code == 200
    return text_of(soup(page).select_one("#change-history"))


def test_a_rule_edited_inline_is_recorded_with_its_editor_time_and_old_and_new_points(
    editor_client, editor, with_history
):
    rule = old_flame_rule()
    assert rule.weight == 3
    set_weight_on_the_answers_page(editor_client, rule, -2)

    latest = rule.history.latest()
    assert (latest.history_type, latest.history_user, latest.weight) == ("~", editor, -2)
    history = history_table(editor_client, rule)
    assert "Weight: 3 → -2" in history
    assert "editor" in history
    when = formats.date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
    assert when in history


def test_reverting_a_rule_in_admin_restores_its_points_for_the_next_reader(
    editor_client, second_editor, client, with_history
):
    rule = old_flame_rule()
    first_version = rule.history.earliest()
    set_weight_on_the_answers_page(editor_client, rule, -2)
    approve_in_admin(second_editor)  # a walk-away sign's rule: safety-critical
    publish_in_admin(editor_client)
    assert "old flame" not in client.get(take(client, LEFT_WITH_WARNING_SIGNS)).content.decode()

    # The version's page is the rule's form filled with the old values, and a Revert button.
    url = f"/admin/quiz/choicerule/{rule.pk}/history/{first_version.pk}/"
    page = editor_client.get(url)
    assertContains(page, "Revert")
    response = editor_client.post(url, form_data(page))
    assert response.status_code == 302

    rule.refresh_from_db()
    assert rule.weight == 3
    assert rule.history.count() == 3  # first version, the edit, the revert
    assert "Weight: -2 → 3" in history_table(editor_client, rule)
    approve_in_admin(second_editor)
    publish_in_admin(editor_client, note="Old-flame rule reverted")
    client.cookies.clear()
    assertContains(client.get(take(client, LEFT_WITH_WARNING_SIGNS)), "old flame")


def test_answers_edited_inline_on_their_question_are_recorded(editor_client, editor, with_history):
    question = Question.objects.get(text__startswith="How long")
    choice = question.choices.first()
    url = f"/admin/quiz/question/{question.pk}/change/"
    data = form_data(editor_client.get(url))
    data[f"{row_prefix(data, 'choices', 'id', choice.pk)}-text"] = ["Only a few weeks"]
    assert editor_client.post(url, data).status_code == 302

    latest = choice.history.latest()
    assert (latest.history_user, latest.text) == (editor, "Only a few weeks")
    assert f"Text: {choice.text} → Only a few weeks" in history_table(editor_client, choice)


def test_reason_rules_and_verdicts_edited_on_the_questionnaire_are_recorded(
    editor_client, editor, with_history
):
    rule = ReasonRule.objects.first()
    verdict = Verdict.objects.order_by("min_level").last()
    url = f"/admin/quiz/questionnaire/{with_history.pk}/change/"
    data = form_data(editor_client.get(url))
    data[f"{row_prefix(data, 'reason_rules', 'id', rule.pk)}-weight"] = [str(rule.weight + 1)]
    data[f"{row_prefix(data, 'verdicts', 'id', verdict.pk)}-title"] = ["Time to choose yourself"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, text_of(soup(response).select_one("#content"))

    assert rule.history.latest().history_user == editor
    assert f"Weight: {rule.weight} → {rule.weight + 1}" in history_table(editor_client, rule)
    assert verdict.history.latest().history_user == editor
    assert "Time to choose yourself" in history_table(editor_client, verdict)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_every_content_model_has_a_history_page_with_its_first_version(
    editor_client, with_history, model
):
    obj = model.objects.first()
    assert "Created" in history_table(editor_client, obj)


def test_the_questionnaire_history_ignores_the_moving_last_change_stamp(
    editor_client, with_history
):
    """Every rule or answer saved moves `updated_at`; that alone is not a version."""
    choice = Choice.objects.first()
    choice.text = "Reworded"
    choice.save()
    assert with_history.history.count() == 1
    assert "updated_at" not in {f.name for f in Questionnaire.history.model._meta.fields}


def test_readers_sessions_and_answers_never_reach_history(client, with_history):
    def history_rows() -> int:
        return sum(model.history.count() for model in tracked_models())

    before = history_rows()
    take(client, STRESSED_BUT_TOGETHER)
    client.cookies.clear()
    take(client, LEFT_WITH_WARNING_SIGNS)
    assert QuizSession.objects.filter(completed_at__isnull=False).count() == 2
    assert history_rows() == before
    tracked = set(tracked_models())
    assert tracked.isdisjoint(READERS_MODELS)
    assert tracked.issuperset(CONTENT_MODELS)


def test_make_run_records_the_first_version_of_the_questionnaire(db):
    call_command("load_seed_content", verbosity=0)
    for model in CONTENT_MODELS:
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0


def test_content_loaded_before_history_gets_its_first_version_on_the_next_start(
    questionnaire,
):
    """A site whose questionnaire was loaded before this history existed: `make run`
    records what is there, once, and loads nothing again."""
    rule = ChoiceRule.objects.first()
    rule.weight = -1
    rule.save()  # an editor's change, already recorded: it stays the only version
    call_command("load_seed_content", verbosity=0)
    assert ChoiceRule.history.count() == ChoiceRule.objects.count()
    assert rule.history.get().weight == -1
    assert Question.history.count() == Question.objects.count() == 14
    call_command("load_seed_content", verbosity=0)
    assert Question.history.count() == 14


@pytest.mark.parametrize("model", [ReasonRule, Verdict], ids=lambda m: m.__name__)
def test_rows_edited_on_the_questionnaire_have_pages_of_their_own(
    editor_client, questionnaire, model
):
    """The inlines link to each row's page, where its History button is."""
    name = model._meta.model_name
    assert editor_client.get(f"/admin/quiz/{name}/").status_code == 200
    obj = model.objects.first()
    page = editor_client.get(f"/admin/quiz/{name}/{obj.pk}/change/")
    assertContains(page, f"/admin/quiz/{name}/{obj.pk}/history/")
    questionnaire_page = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/")
    assertContains(questionnaire_page, f"/admin/quiz/{name}/{obj.pk}/change/")


def delete_in_admin(editor_client, obj) -> None:
    """The editor deletes the row from its page: Delete, then “Yes, I’m sure”."""
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/delete/"
    assert editor_client.post(url, {"post": "yes"}).status_code == 302


def assert_every_version_page_opens(editor_client, obj) -> None:
    opts = obj._meta
    for version in obj.history.all():
        url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/{version.pk}/"
        assert editor_client.get(url).status_code == 200, (url, version.history_type)


def test_history_of_answers_and_rules_deleted_with_their_question_still_opens(
    editor_client, with_history
):
    """Deleting a question deletes its answers and their rules with it. Their history
    pages still open, and name the question as its last version had it."""
    question = Question.objects.get(text__startswith="Have you noticed")
    choice = question.choices.get(text__startswith="An ex has come back")
    rule = old_flame_rule()
    delete_in_admin(editor_client, question)

    for row in (choice, rule):
        history = history_table(editor_client, row)
        assert "Deleted" in history
        assert_every_version_page_opens(editor_client, row)
    assert f"{question.text} → {choice.text}" in history_table(editor_client, choice)
    assert "An ex has come back" in history_table(editor_client, rule)


def test_history_of_rules_deleted_with_their_article_item_still_opens(editor_client, with_history):
    """An article item's rules (on answers, and reason → way) go with it; their history
    pages name the item from its last version."""
    reason_rule = ReasonRule.objects.select_related("reason").first()
    item = reason_rule.reason
    choice_rule = ChoiceRule.objects.filter(item=item).first()
    assert choice_rule is not None
    delete_in_admin(editor_client, item)

    for row in (reason_rule, choice_rule):
        assert item.title in history_table(editor_client, row)
        assert_every_version_page_opens(editor_client, row)


def test_a_deleted_answer_is_named_after_its_question_even_with_no_version_left():
    """A row whose parent has no recorded version at all is still named, not an error."""
    answer = Answer(question_id=999_999)
    assert str(answer) == "Answer to (deleted question)"
