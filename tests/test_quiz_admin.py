"""Editors change questions, answers and scoring rules in admin; readers see it next time."""

import pytest
from pytest_django.asserts import assertContains

from quiz.models import ChoiceRule, Question, QuizSession, SupportResource

from .admin_forms import form_data
from .editing import (
    approve_in_admin,
    assert_only_staff_who_may_view_questionnaires_get,
    publish_in_admin,
)
from .html import soup, text_of
from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, START, take

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/quiz/questionnaire/1/change/",
        "/admin/quiz/question/",
        "/admin/quiz/question/1/change/",
        "/admin/quiz/choice/",
        "/admin/quiz/choice/1/change/",
        "/admin/quiz/choicerule/",
        "/admin/quiz/quizsession/",
    ],
)
def test_editor_pages_open(editor_client, questionnaire, path):
    assert editor_client.get(path).status_code == 200


def test_every_tool_page_is_only_for_staff_who_may_view_questionnaires(
    client, django_user_model, questionnaire
):
    """The editors' tools about a questionnaire share one lookup and permission check."""
    tools = f"/admin/quiz/questionnaire/{questionnaire.pk}"
    assert_only_staff_who_may_view_questionnaires_get(
        client,
        django_user_model,
        f"{tools}/coverage/",
        f"{tools}/statistics/",
        f"{tools}/statistics.csv",
        f"{tools}/simulator/",
        f"{tools}/simulator/draft/",
        f"{tools}/simulator/published/",
        f"{tools}/feedback/",
    )


def test_sessions_are_read_only_for_editors(editor_client, client, questionnaire):
    take(client, LEFT_WITH_WARNING_SIGNS)
    session = QuizSession.objects.get()
    page = editor_client.get(f"/admin/quiz/quizsession/{session.pk}/change/")
    assert page.status_code == 200
    assertContains(page, "He has ended it")
    assert editor_client.get("/admin/quiz/quizsession/add/").status_code == 403
    assert b'name="_save"' not in page.content


def test_editing_a_question_changes_the_next_page(editor_client, client, questionnaire):
    first = Question.objects.get(position=10)
    response = editor_client.post(
        f"/admin/quiz/question/{first.pk}/change/",
        {
            "questionnaire": questionnaire.pk,
            "position": first.position,
            "text": "How are things between you at the moment?",
            "help_text": "",
            "kind": "single",
            "show_if_choice": "",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(START)
    assertContains(
        client.get(f"{START}question/{first.pk}/"),
        "How are things between you at the moment?",
    )


def test_a_weight_out_of_range_in_admin_gets_a_clear_message(editor_client, questionnaire):
    rule = ChoiceRule.objects.first()
    response = editor_client.post(
        f"/admin/quiz/choicerule/{rule.pk}/change/",
        {"choice": rule.choice_id, "item": rule.item_id, "weight": "12"},
    )
    assertContains(response, "Ensure this value is less than or equal to 5.")
    response = editor_client.post(
        f"/admin/quiz/choicerule/{rule.pk}/change/",
        {"choice": rule.choice_id, "item": rule.item_id, "weight": "0"},
    )
    assertContains(response, "Points must be between -5 and 5, and not 0.")


def test_a_rule_change_in_admin_changes_the_next_result(
    editor_client, client, questionnaire, second_editor
):
    rule = ChoiceRule.objects.get(choice__text__startswith="An ex has come back")
    response = editor_client.post(
        f"/admin/quiz/choicerule/{rule.pk}/change/",
        {"choice": rule.choice_id, "item": rule.item_id, "weight": "-2"},
    )
    assert response.status_code == 302
    assert "old flame" in client.get(take(client, LEFT_WITH_WARNING_SIGNS)).content.decode()
    approve_in_admin(second_editor)  # a rule that scores a warning sign is safety-critical
    publish_in_admin(editor_client)
    page = client.get(take(client, LEFT_WITH_WARNING_SIGNS))
    assert "old flame" not in page.content.decode()


def test_the_questionnaire_page_saves_with_thirty_more_questions(editor_client, questionnaire):
    """Each question adds a row of fields to the questionnaire's page: the site's limit on
    posted fields (DATA_UPLOAD_MAX_NUMBER_FIELDS) must leave room for many."""
    for n in range(30):
        Question.objects.create(
            questionnaire=questionnaire, text=f"Question {n}?", position=100 + n
        )
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"
    data = form_data(editor_client.get(url))
    data["title"] = ["A title saved with every question on the page"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.status_code
    questionnaire.refresh_from_db()
    assert questionnaire.title == "A title saved with every question on the page"


def test_support_lines_are_site_wide_not_rows_of_the_questionnaire(editor_client, questionnaire):
    """The questionnaire's page lists no lines and says where they are kept; a line's
    page has no questionnaire to choose."""
    page = soup(editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"))
    assert page.select_one("[id^=support_resources]") is None
    assert "shared by every questionnaire" in text_of(
        page.select_one("fieldset:has(#id_safety_text)")
    )
    line = SupportResource.objects.first()
    form = soup(editor_client.get(f"/admin/quiz/supportresource/{line.pk}/change/"))
    assert form.select_one("#id_name") is not None
    assert form.select_one("#id_questionnaire") is None
