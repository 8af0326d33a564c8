"""The shipped questionnaire: written from the article, and every item can be reached."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from advice.models import Item
from quiz.coverage import answers_showing, reachability
from quiz.models import ChoiceRule, Question, ReasonRule, SupportResource, Verdict
from quiz.scoring import score
from quiz.snapshot import build_rules

pytestmark = pytest.mark.django_db


def test_ten_to_sixteen_questions_with_at_least_one_conditional(questionnaire):
    questions = Question.objects.filter(questionnaire=questionnaire)
    assert 10 <= questions.count() <= 16
    assert questions.filter(show_if_choice__isnull=False).count() >= 1
    assert questions.filter(kind="multiple").exists()
    assert all(q.choices.count() >= 2 for q in questions)


def test_every_reason_way_and_sign_is_reachable_by_some_answers(questionnaire):
    """27/27: for each item, a path of answers is found whose result shows it."""
    rules = build_rules(questionnaire)
    found = reachability(rules)
    assert len(found) == 5 + 14 + 8
    unreachable = [slug for slug, answers in found.items() if answers is None]
    assert unreachable == []
    for slug, answers in found.items():
        result = score(rules, answers)
        shown = {s.slug for s in (*result.reasons, *result.ways, *result.signs)}
        assert slug in shown


def test_the_search_reports_an_item_no_answer_can_reach(questionnaire):
    """Guard: without its rules, an item must show up as unreachable."""
    ChoiceRule.objects.filter(item__slug="sign-old-flame").delete()
    questionnaire.refresh_from_db()
    assert answers_showing(build_rules(questionnaire), "sign-old-flame") is None


def test_rules_name_published_article_items(questionnaire):
    slugs = set(ChoiceRule.objects.values_list("item__slug", flat=True))
    slugs |= set(ReasonRule.objects.values_list("reason__slug", flat=True))
    slugs |= set(ReasonRule.objects.values_list("way__slug", flat=True))
    published = set(Item.objects.published().values_list("slug", flat=True))
    assert slugs <= published


def test_verdicts_go_from_gentle_to_walking_away(questionnaire):
    assert list(Verdict.objects.values_list("min_level", "title")) == [
        (0, "Give him space, and keep talking"),
        (3, "Look after yourself first"),
        (7, "It may be time to walk away"),
    ]


def test_safety_critical_answers_cover_gaslighting_fear_and_threats(questionnaire):
    safety = set(
        questionnaire.questions.values_list("choices__text", flat=True).filter(
            choices__raises_safety_notice=True
        )
    )
    assert any("imagining things" in text for text in safety)
    assert any("afraid" in text for text in safety)
    assert any("threatened" in text for text in safety)
    assert SupportResource.objects.filter(is_published=True).count() >= 3


def test_weights_outside_the_range_are_refused_by_the_database(questionnaire):
    rule = ChoiceRule.objects.first()
    for weight in (6, -6, 0):
        rule.weight = weight
        with pytest.raises(IntegrityError), transaction.atomic():
            rule.save()


def test_weights_outside_the_range_get_a_clear_message(questionnaire):
    rule = ChoiceRule.objects.first()
    rule.weight = 9
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "Ensure this value is less than or equal to 5." in str(error.value)


def test_one_answer_per_question_per_session(questionnaire):
    from quiz.models import Answer, QuizSession

    session = QuizSession.objects.create(questionnaire=questionnaire)
    first = Question.objects.first()
    Answer.objects.create(session=session, question=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(session=session, question=first)


def test_a_condition_must_be_an_answer_to_an_earlier_question(questionnaire):
    first, second = Question.objects.all()[:2]
    first.show_if_choice = second.choices.first()
    with pytest.raises(ValidationError, match="asked before this one"):
        first.full_clean()
    second.show_if_choice = second.choices.first()
    with pytest.raises(ValidationError, match="cannot depend on one of its own answers"):
        second.full_clean()
    second.show_if_choice = first.choices.first()
    second.full_clean()


def test_an_edit_to_the_rules_reaches_the_next_result(questionnaire):
    from quiz.snapshot import rules_for

    before = rules_for(questionnaire)
    rule = ChoiceRule.objects.get(choice__text__startswith="He cancels plans")
    rule.weight = 1
    rule.save()
    questionnaire.refresh_from_db()
    after = rules_for(questionnaire)
    assert after != before
    assert {r.weight for r in after.choice_rules if r.choice_id == rule.choice_id} == {1}
