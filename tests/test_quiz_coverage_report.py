"""Editors see what no reader can ever reach, from the scoring module the site uses."""

import pytest
from pytest_django.asserts import assertContains

from quiz.coverage import coverage_report
from quiz.models import ChoiceRule, EmergencyNumber, Question, SupportResource, Verdict
from quiz.snapshot import build_rules

from .html import soup, text_of

pytestmark = pytest.mark.django_db


def test_the_shipped_questionnaire_reaches_everything(questionnaire):
    report = coverage_report(build_rules(questionnaire))
    assert (report.reachable_count, report.item_count) == (27, 27)
    assert report.hidden_questions == () and report.unreached_verdicts == ()
    assert {c.text for c in report.inert_choices} >= {"None of these", "Not yet"}


def test_broken_content_shows_up_in_the_report(questionnaire):
    ChoiceRule.objects.filter(item__slug="sign-old-flame").delete()
    # "How is your own life going" made to depend on an answer to a later question.
    own_life = Question.objects.get(text__startswith="Apart from him")
    later = Question.objects.get(text__startswith="If things stayed")
    Question.objects.filter(pk=own_life.pk).update(show_if_choice=later.choices.first())
    Verdict.objects.create(
        questionnaire=questionnaire, title="Never", slug="never", body="x", min_level=999
    )
    questionnaire.refresh_from_db()
    report = coverage_report(build_rules(questionnaire))
    assert [i.slug for i in report.unreachable_items] == ["sign-old-flame"]
    assert [q.id for q in report.hidden_questions] == [own_life.pk]
    assert [v.slug for v in report.unreached_verdicts] == ["never"]


def test_the_report_page_in_admin(editor_client, questionnaire):
    change = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/")
    assertContains(change, f"/admin/quiz/questionnaire/{questionnaire.pk}/coverage/")
    page = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/coverage/")
    assertContains(page, "Article items readers can reach: 27 of 27")
    assertContains(page, "The highest walk-away level any answers can reach is 27.")


def test_the_report_is_for_staff_only(client, questionnaire):
    response = client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/coverage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def places_listed(page) -> list[str]:
    heading = soup(page).find("h2", string="Places readers can choose that have no helpline")
    return [text_of(li) for li in heading.find_next("ul").select("li")]


def test_the_report_lists_the_places_readers_can_choose_without_a_helpline(
    editor_client, questionnaire
):
    """The shipped data: Pakistan's helpline is not shipped, and no line serves readers
    elsewhere in the EU but the lines for anyone."""
    address = f"/admin/quiz/questionnaire/{questionnaire.pk}/coverage/"
    assert places_listed(editor_client.get(address)) == [
        "Pakistan (PK): emergency number 15",
        "Elsewhere in the EU (EU): emergency number 112",
    ]
    SupportResource.objects.filter(country="IE").update(is_published=False)
    EmergencyNumber.objects.filter(country="PK").update(is_published=False)
    assert places_listed(editor_client.get(address)) == [
        "Ireland (IE): emergency number 112",
        "Elsewhere in the EU (EU): emergency number 112",
    ]
