"""Admin stops broken questionnaire content with a message that says what to fix.

Issue #4: a rule pointing at an unpublished item, a condition on a later question or on
itself, a question without answers to choose between, overlapping verdict thresholds.
"""

import itertools

import pytest

from advice.models import Item
from quiz.models import Choice, ChoiceRule, Question, ReasonRule, Verdict

from .admin_forms import form_data, row_prefix
from .factories import make_article, make_item, make_section
from .html import soup, text_of

pytestmark = pytest.mark.django_db

NOT_A_CHOICE = "A question needs at least two answers to choose between: add another answer."


def post_changed(client, url: str, **changes):
    """Submit the form at `url` as shown, with some fields changed."""
    data = form_data(client.get(url))
    data.update({name: [str(value)] for name, value in changes.items()})
    return client.post(url, data)


def errors_on(response) -> str:
    assert response.status_code == 200, "the change was saved"
    page = soup(response)
    return " ".join(text_of(e) for e in page.select(".errornote, .errorlist"))


def hide(item: Item, where: str) -> None:
    target = {"item": item, "section": item.section, "article": item.section.article}[where]
    type(target).objects.filter(pk=target.pk).update(is_published=False)


# --- Rules pointing at items readers never see -------------------------------------------


@pytest.mark.parametrize(
    ("item_published", "section_published", "article_published"),
    list(itertools.product([True, False], repeat=3)),
)
def test_an_item_explains_itself_hidden_exactly_when_readers_cannot_see_it(
    item_published, section_published, article_published
):
    article = make_article(is_published=article_published)
    section = make_section(article=article, is_published=section_published)
    item = make_item(section=section, is_published=item_published)
    public = Item.objects.published().filter(pk=item.pk).exists()
    assert (item.why_hidden() == "") == public


@pytest.mark.parametrize("where", ["item", "section", "article"])
def test_a_rule_pointing_at_an_unpublished_item_is_refused_naming_it(
    editor_client, questionnaire, where
):
    rule = ChoiceRule.objects.filter(item__section__kind="ways").first()
    draft = Item.objects.get(slug="way-smile")
    hide(draft, where)
    response = post_changed(
        editor_client, f"/admin/quiz/choicerule/{rule.pk}/change/", item=draft.pk
    )
    message = errors_on(response)
    explanation = {
        "item": "is not published",
        "section": f"is in the section “{draft.section.title}”, which is not published",
        "article": f"is in the article “{draft.section.article.title}”, which is not published",
    }[where]
    assert f"“{draft.title}” {explanation}" in message
    assert "Readers never see it, so a rule for it scores nothing" in message
    assert ChoiceRule.objects.get(pk=rule.pk).item_id == rule.item_id


def test_a_rule_added_on_an_answers_page_for_a_draft_item_is_refused(editor_client, questionnaire):
    choice = Choice.objects.get(text__startswith="He’s working long hours")
    draft = Item.objects.get(slug="way-smile")
    hide(draft, "item")
    url = f"/admin/quiz/choice/{choice.pk}/change/"
    data = form_data(editor_client.get(url))
    # The empty row after the saved ones, as the page shows it.
    new_row = f"rules-{data['rules-INITIAL_FORMS'][0]}"
    data.update({f"{new_row}-item": [str(draft.pk)], f"{new_row}-weight": ["2"]})
    before = choice.rules.count()
    assert f"“{draft.title}” is not published" in errors_on(editor_client.post(url, data))
    assert choice.rules.count() == before


def test_a_reason_rule_for_an_unpublished_way_is_refused_on_the_questionnaire(
    editor_client, questionnaire
):
    rule = ReasonRule.objects.first()
    draft = Item.objects.get(slug="way-smile")
    hide(draft, "item")
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"
    data = form_data(editor_client.get(url))
    data[f"{row_prefix(data, 'reason_rules', 'id', rule.pk)}-way"] = [str(draft.pk)]
    assert f"“{draft.title}” is not published" in errors_on(editor_client.post(url, data))
    assert ReasonRule.objects.get(pk=rule.pk).way_id == rule.way_id


# --- Questions need answers to choose between --------------------------------------------


def delete_all_choices_but_one(data: dict, question: Question) -> None:
    for choice in question.choices.all()[1:]:
        data[f"{row_prefix(data, 'choices', 'id', choice.pk)}-DELETE"] = ["on"]


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_a_question_left_with_one_answer_is_refused_on_its_answers(
    editor_client, questionnaire, kind
):
    question = Question.objects.filter(kind=kind).first()
    count = question.choices.count()
    url = f"/admin/quiz/question/{question.pk}/change/"
    data = form_data(editor_client.get(url))
    delete_all_choices_but_one(data, question)
    response = editor_client.post(url, data)
    assert NOT_A_CHOICE in errors_on(response)
    # Shown above the answers, where the editor adds one.
    inline = soup(response).select_one("#choices-group")
    assert NOT_A_CHOICE in text_of(inline)
    assert question.choices.count() == count


def new_question(editor_client, questionnaire, answers: list[str]):
    url = "/admin/quiz/question/add/"
    data = form_data(editor_client.get(url))
    data.update(
        {
            "questionnaire": [str(questionnaire.pk)],
            "position": ["150"],
            "text": ["Does he talk about the future with you?"],
            "kind": ["single"],
            "choices-TOTAL_FORMS": [str(len(answers))],
        }
    )
    for n, text in enumerate(answers):
        data[f"choices-{n}-text"] = [text]
        data[f"choices-{n}-position"] = [str(n)]
    return editor_client.post(url, data)


def test_a_new_question_needs_two_answers_and_is_saved_with_them(editor_client, questionnaire):
    assert NOT_A_CHOICE in errors_on(new_question(editor_client, questionnaire, ["Yes"]))
    assert not Question.objects.filter(position=150).exists()
    assert new_question(editor_client, questionnaire, ["Yes", "No"]).status_code == 302
    assert Question.objects.get(position=150).choices.count() == 2


def test_a_question_added_on_the_questionnaire_page_is_flagged_until_it_has_answers(
    editor_client, questionnaire
):
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"
    data = form_data(editor_client.get(url))
    row = f"questions-{data['questions-TOTAL_FORMS'][0]}"
    data["questions-TOTAL_FORMS"] = [str(int(data["questions-TOTAL_FORMS"][0]) + 1)]
    data.update(
        {
            f"{row}-position": ["150"],
            f"{row}-text": ["Is he kind to you?"],
            f"{row}-kind": ["single"],
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_on(response)
    warning = text_of(soup(editor_client.get(response["Location"])).select_one(".warning"))
    assert "The question “Is he kind to you?” has 0 answers: open it and add at least two" in (
        warning
    )


# --- Conditions: only on an answer to an earlier question --------------------------------


def test_a_question_shown_on_its_own_answer_is_refused(editor_client, questionnaire):
    question = Question.objects.get(position=20)
    response = post_changed(
        editor_client,
        f"/admin/quiz/question/{question.pk}/change/",
        show_if_choice=question.choices.first().pk,
    )
    assert "A question cannot depend on one of its own answers." in errors_on(response)


def test_a_question_shown_on_a_later_answer_is_refused(editor_client, questionnaire):
    question = Question.objects.get(position=20)
    later = Question.objects.get(position=130).choices.first()
    response = post_changed(
        editor_client, f"/admin/quiz/question/{question.pk}/change/", show_if_choice=later.pk
    )
    assert "Pick an answer to a question asked before this one." in errors_on(response)
    assert Question.objects.get(pk=question.pk).show_if_choice is None


def test_moving_a_question_after_one_shown_on_its_answer_is_refused(editor_client, questionnaire):
    """ "Since he ended it…" is shown only after "He has ended it" (position 10)."""
    first = Question.objects.get(position=10)
    dependent = Question.objects.get(show_if_choice__question=first)
    response = post_changed(
        editor_client, f"/admin/quiz/question/{first.pk}/change/", position=dependent.position + 5
    )
    assert (
        f"“{dependent.text}” is asked only after an answer to this question, so this "
        f"question must come first: give it a position below {dependent.position}."
    ) in errors_on(response)
    assert Question.objects.get(pk=first.pk).position == 10


# --- Verdicts: one per level, and reachable -----------------------------------------------


def test_two_verdicts_from_the_same_level_are_refused(editor_client, questionnaire):
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"
    data = form_data(editor_client.get(url))
    low, middle = Verdict.objects.order_by("min_level")[:2]
    data[f"{row_prefix(data, 'verdicts', 'id', middle.pk)}-min_level"] = [str(low.min_level)]
    response = editor_client.post(url, data)
    assert (
        f"“{low.title}” and “{middle.title}” start at walk-away level {low.min_level}. "
        "Give each verdict its own level"
    ) in errors_on(response)
    assert Verdict.objects.get(pk=middle.pk).min_level == middle.min_level


def test_a_verdict_moved_onto_anothers_level_on_its_own_page_is_refused(
    editor_client, questionnaire
):
    low, middle = Verdict.objects.order_by("min_level")[:2]
    response = post_changed(
        editor_client, f"/admin/quiz/verdict/{middle.pk}/change/", min_level=low.min_level
    )
    assert "Another verdict starts at this level." in errors_on(response)


def test_a_verdict_no_answers_can_reach_is_saved_with_a_warning(editor_client, questionnaire):
    verdict = Verdict.objects.order_by("min_level").last()
    response = post_changed(
        editor_client, f"/admin/quiz/verdict/{verdict.pk}/change/", min_level=99
    )
    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    warning = text_of(soup(page).select_one(".messagelist .warning"))
    assert f"No reader can get the verdict “{verdict.title}”: it starts at walk-away level 99" in (
        warning
    )
    assert Verdict.objects.get(pk=verdict.pk).min_level == 99


def test_a_reachable_verdict_is_saved_without_a_warning(editor_client, questionnaire):
    verdict = Verdict.objects.order_by("min_level").last()
    response = post_changed(editor_client, f"/admin/quiz/verdict/{verdict.pk}/change/")
    page = editor_client.get(response["Location"])
    assert soup(page).select(".messagelist .warning") == []
