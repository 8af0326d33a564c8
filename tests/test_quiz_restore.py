"""Deleted is not lost: a deleted row comes back from its history, with what went with it.

A question deleted in admin takes its answers (choices) and their rules with it, and
clears the condition of a question shown only after one of those answers. Restoring the
question brings all of that back as it was at the deletion, under the same ids.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from advice.history import record_first_versions
from advice.models import Item
from advice.restore import LINK_RESTORED, RESTORED, CannotRestore, deletions, plan, restore
from quiz.models import Choice, ChoiceRule, Question, ReasonRule, Verdict

from .editing import publish_in_admin
from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, START, STRESSED_BUT_TOGETHER, start, take
from .test_quiz_history import delete_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(clock, questionnaire):
    """The seed as `make run` loads it (each row's first version recorded), at a fixed time."""
    record_first_versions()
    return questionnaire


def where_things_stand() -> Question:
    """The first question: “Since he ended it” is asked only after its “He has ended it”."""
    return Question.objects.get(text__startswith="Where do things stand")


def since_he_ended_it() -> Question:
    return Question.objects.get(text__startswith="Since he ended it")


def rows_of(question: Question) -> dict:
    """The question, its choices and their rules, as the database has them."""
    return {
        "question": list(Question.objects.filter(pk=question.pk).values()),
        "choices": list(Choice.objects.filter(question_id=question.pk).order_by("pk").values()),
        "rules": list(
            ChoiceRule.objects.filter(choice__question_id=question.pk).order_by("pk").values()
        ),
    }


def delete(row):
    """Delete the row as admin does; the deletion version of it."""
    pk = row.pk
    row.delete()
    return deletions(type(row)).get(id=pk)


def test_a_deleted_question_comes_back_with_its_choices_rules_and_the_link_to_it(content, editor):
    question = where_things_stand()
    before = rows_of(question)
    assert since_he_ended_it().show_if_choice.question == question
    deletion = delete(question)
    assert since_he_ended_it().show_if_choice is None  # cleared by the deletion

    restoration = restore(deletion, editor)

    question = where_things_stand()
    assert rows_of(question) == before
    assert since_he_ended_it().show_if_choice.question == question
    assert restoration.summary() == (
        f"{len(before['choices'])} choices and {len(before['rules'])} choice rules"
    )
    assert restoration.notes == []
    latest = question.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "+",
        editor,
        RESTORED,
    )
    assert since_he_ended_it().history.latest().history_change_reason == LINK_RESTORED
    assert not deletions(Question).exists()
    assert not deletions(Choice).exists()


def test_an_answer_deleted_on_its_own_before_stays_deleted(content, clock, editor):
    question = where_things_stand()
    dropped = delete(question.choices.order_by("position").last())
    clock.shift(timedelta(minutes=5))
    before = rows_of(question)
    deletion = delete(question)

    restore(deletion, editor)

    assert rows_of(where_things_stand()) == before
    assert list(deletions(Choice)) == [dropped]


def test_a_rule_whose_article_item_is_gone_stays_deleted_and_is_named(content, editor):
    question = Question.objects.get(text__startswith="Have you noticed")
    rule = ChoiceRule.objects.get(choice__question=question, item__slug="sign-old-flame")
    deletion = delete(question)
    Item.objects.get(slug="sign-old-flame").delete()

    restoration = restore(deletion, editor)

    assert not ChoiceRule.objects.filter(pk=rule.pk).exists()
    assert ChoiceRule.objects.filter(choice__question_id=deletion.id).exists()
    [note] = restoration.notes
    assert note.startswith(f"The choice rule “{rule}” stays deleted: its article item “")


def test_an_answer_cannot_come_back_without_its_question(content):
    question = where_things_stand()
    choice = question.choices.first()
    question.delete()

    with pytest.raises(CannotRestore) as refused:
        plan(deletions(Choice).get(id=choice.pk))
    assert refused.value.message == (
        f"Its question “{question.text}” is deleted: restore that first."
    )


def test_a_row_whose_place_was_taken_since_is_refused_with_the_reason(content):
    verdict = Verdict.objects.order_by("min_level").last()
    deletion = delete(verdict)
    Verdict.objects.create(
        questionnaire=content,
        title="Newer",
        slug="newer",
        body="New.",
        min_level=deletion.min_level,
    )

    with pytest.raises(CannotRestore) as refused:
        restore(deletion)
    assert refused.value.message == "Another verdict starts at this level."
    assert not Verdict.objects.filter(pk=deletion.id).exists()


def test_a_question_shown_after_an_answer_that_stays_deleted_is_asked_to_everyone(
    content, clock, editor
):
    later = since_he_ended_it()
    condition = later.show_if_choice
    deletion = delete(later)
    clock.shift(timedelta(minutes=5))
    delete(condition.question)

    restoration = restore(deletion, editor)

    assert since_he_ended_it().show_if_choice is None
    assert restoration.notes == [
        f"“{later.text}” comes back without its link to “{condition}” (show only when this "
        "answer was given), which stays deleted."
    ]


def test_an_article_item_comes_back_with_the_questionnaire_rules_that_name_it(content, editor):
    reason = ReasonRule.objects.select_related("reason").first().reason
    choice_rules = list(ChoiceRule.objects.filter(item=reason).values())
    reason_rules = list(ReasonRule.objects.filter(reason=reason).values())
    assert choice_rules and reason_rules
    deletion = delete(reason)

    restoration = restore(deletion, editor)

    assert list(ChoiceRule.objects.filter(item_id=deletion.id).values()) == choice_rules
    assert list(ReasonRule.objects.filter(reason_id=deletion.id).values()) == reason_rules
    assert restoration.restored_models() == {Item, ChoiceRule, ReasonRule}


def test_the_deleted_list_shows_each_deleted_row_once_as_last_deleted(content, clock):
    restore(delete(where_things_stand()))
    clock.shift(timedelta(minutes=5))
    second = delete(where_things_stand())

    assert list(deletions(Question)) == [second]
    assert Question.history.filter(id=second.id, history_type="-").count() == 2


# -- In admin -----------------------------------------------------------------------------


def result_shown(client, address: str) -> str:
    """What a result page says, without the links that carry its own token."""
    page = soup(client.get(address)).select_one("div.result")
    page.select_one("section.result__actions").decompose()
    return text_of(page)


def restore_form(page, name: str) -> dict:
    """The Restore button's form on the row named `name` of a deleted list."""
    row = next(tr for tr in page.select("#deleted-rows tbody tr") if text_of(tr.th) == name)
    form = row.select_one("form")
    return {field["name"]: field["value"] for field in form.select("input[name]")}


def test_a_question_deleted_in_admin_is_restored_there_and_readers_get_the_same_result(
    content, editor_client
):
    """Delete a question, publish, restore it with its answers and rules, publish: a
    reader answering as before gets the same result page as before."""
    question = where_things_stand()
    reader = Client()
    before = result_shown(reader, take(reader, LEFT_WITH_WARNING_SIGNS))
    delete_in_admin(editor_client, question)
    publish_in_admin(editor_client, note="Without “Where do things stand”")
    assert start(Client())["Location"] != f"{START}question/{question.pk}/"

    listed = editor_client.get("/admin/quiz/question/")
    assert soup(listed).find("a", string="Deleted questions")["href"] == (
        "/admin/quiz/question/deleted/"
    )
    deleted = editor_client.get("/admin/quiz/question/deleted/")
    row = text_of(soup(deleted).select_one("#deleted-rows tbody tr"))
    assert question.text in row
    assert "This question with 3 choices and 23 choice rules." in row
    response = editor_client.post(
        "/admin/quiz/question/deleted/", restore_form(soup(deleted), question.text)
    )
    assert response["Location"] == f"/admin/quiz/question/{question.pk}/change/"
    assert "Restored the question" in text_of(soup(editor_client.get(response["Location"])))
    recent = text_of(soup(editor_client.get("/admin/")).select_one("#recent-actions-module"))
    assert question.text in recent
    publish_in_admin(editor_client, note="“Where do things stand” restored")

    reader = Client()
    assert result_shown(reader, take(reader, LEFT_WITH_WARNING_SIGNS)) == before
    take(Client(), STRESSED_BUT_TOGETHER)  # asked exactly what it was asked before


def test_a_deleted_rows_history_says_where_to_restore_it(content, editor_client):
    question = where_things_stand()
    choice = question.choices.first()
    delete_in_admin(editor_client, question)
    page = soup(editor_client.get(f"/admin/quiz/choice/{choice.pk}/history/"))
    note = page.select_one("#deleted-note")
    assert note.find("a")["href"] == "/admin/quiz/choice/deleted/"
    deleted = soup(editor_client.get("/admin/quiz/choice/deleted/"))
    row = text_of(deleted.select_one("#deleted-rows tbody tr"))
    assert f"Its question “{question.text}” is deleted: restore that first." in row
    assert deleted.select_one("#deleted-rows form") is None


def reasons_shown(client, page: str) -> list[str]:
    """The history page's "change reason" column, the latest version first."""
    html = soup(client.get(page))
    headers = [text_of(th) for th in html.select("#change-history thead th")]
    column = headers.index("Motivo del cambio" if page.startswith("/es/") else "Change reason")
    return [text_of(row.select("td")[column]) for row in html.select("#change-history tbody tr")]


def test_a_restores_reason_reads_in_the_language_of_the_history_page(content, editor_client):
    """The version keeps a short code; each editor reads it in the admin's language."""
    pk = where_things_stand().pk
    restore(delete(where_things_stand()), None)
    latest = where_things_stand().history.latest()
    assert latest.history_change_reason == RESTORED == "restored"

    history = f"/admin/quiz/question/{pk}/history/"
    assert reasons_shown(editor_client, f"/es{history}")[0] == "Restaurado"
    assert reasons_shown(editor_client, history)[0] == "Restored"
    link = f"/es/admin/quiz/question/{since_he_ended_it().pk}/history/"
    assert reasons_shown(editor_client, link)[0] == "Enlace restaurado"


def test_a_reason_stored_as_words_before_shows_as_written(content, editor_client):
    pk = where_things_stand().pk
    restore(delete(where_things_stand()), None)
    where_things_stand().history.filter(history_type="+").update(history_change_reason="Restored")
    page = f"/es/admin/quiz/question/{pk}/history/"
    assert reasons_shown(editor_client, page)[0] == "Restored"


@pytest.mark.parametrize("sent", [{}, {"deletion": "abc"}, {"deletion": "99999999"}])
def test_restoring_what_is_not_deleted_is_a_form_error(content, editor_client, sent):
    before = Question.objects.count()
    live_version = where_things_stand().history.first()
    sent = {"deletion": str(live_version.pk)} if sent == {} else sent
    response = editor_client.post("/admin/quiz/question/deleted/", sent)
    assert response.status_code == 400
    assert "Nothing was restored." in text_of(soup(response).select_one("#content"))
    assert Question.objects.count() == before


def test_restoring_needs_add_permission_on_everything_it_brings_back(
    content, client, django_user_model, editor_client
):
    question = where_things_stand()
    delete_in_admin(editor_client, question)
    deletion = deletions(Question).get()
    staff = django_user_model.objects.create_user("intern", password="x" * 20, is_staff=True)
    client.force_login(staff)
    url = "/admin/quiz/question/deleted/"
    assert client.get(url).status_code == 403

    staff.user_permissions.add(*permissions("view_question", "add_question"))
    page = client.get(url)
    assert page.status_code == 200 and not soup(page).select("#deleted-rows form")
    assert client.post(url, {"deletion": deletion.pk}).status_code == 403

    staff.user_permissions.add(*permissions("add_choice", "add_choicerule", "change_question"))
    assert client.post(url, {"deletion": deletion.pk}).status_code == 302
    assert Question.objects.filter(pk=deletion.id).exists()


def test_restoring_is_a_post_with_the_csrf_token(content, editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    deletion = delete(where_things_stand())
    assert (
        browser.post("/admin/quiz/question/deleted/", {"deletion": deletion.pk}).status_code == 403
    )
    assert not Question.objects.filter(pk=deletion.id).exists()


def permissions(*codenames: str) -> list[Permission]:
    return list(Permission.objects.filter(codename__in=codenames))
