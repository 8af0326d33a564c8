"""A rule or a condition can only point where readers of its questionnaire will meet it.

Issue 11, part 4: a scoring rule's or reason rule's item picker offers only the items of
the questionnaire's own article, labelled "Article › Section › Item"; "show only when"
offers only answers to this questionnaire's earlier questions, as "Q3 › Yes". Anything
else sent is refused with a message that names it, on pages that know the questionnaire
and on add pages that do not yet.
"""

import pytest

from advice.kinds import ITEM_KIND_VALUES, ItemKind
from advice.models import Item
from quiz.models import Choice, ChoiceRule, Question, Questionnaire, ReasonRule

from .admin_forms import form_data, row_prefix
from .factories import make_article, make_item, make_section
from .html import soup, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(questionnaire):
    """A second article with a reason and a way, and its own questionnaire of one question."""
    article = make_article(title="Another article")
    reason = make_item(
        section=make_section(article=article, kind=ItemKind.REASONS, title="Other reasons"),
        title="Another reason",
    )
    way = make_item(
        section=make_section(article=article, kind=ItemKind.WAYS, title="Other ways"),
        title="Another way",
    )
    other = Questionnaire.objects.create(
        title="Another questionnaire",
        slug="another",
        article=article,
        intro="Another.",
        cannot_know="Much.",
        safety_text="Call someone.",
        is_published=True,
    )
    question = Question.objects.create(questionnaire=other, position=10, text="Other?")
    for position in (1, 2):
        Choice.objects.create(question=question, position=position, text=f"Other {position}")
    other.reason, other.way = reason, way
    return other


def offered(response, name: str) -> dict[int, str]:
    """id → label of each row the select named `name` offers."""
    select = soup(response).select_one(f"select[name='{name}']")
    assert select is not None, f"no select named {name}"
    return {int(o["value"]): text_of(o) for o in select.select("option") if o.get("value")}


def label(item: Item) -> str:
    return f"{item.section.article.title} › {item.section.title} › {item.title}"


def scored_items_of(article) -> set[int]:
    items = Item.objects.filter(section__article=article, section__kind__in=ITEM_KIND_VALUES)
    return set(items.values_list("pk", flat=True))


def errors_of(response, field: str) -> str:
    assert response.status_code == 200, "the change was saved"
    page = soup(response)
    found = page.select(f".field-{field} .errorlist, td.field-{field} .errorlist")
    return " ".join(text_of(element) for element in found)


def post_as_shown(client, url: str, **changes):
    data = form_data(client.get(url))
    data.update({name: [str(value)] for name, value in changes.items()})
    return client.post(url, data)


# -- Scoring rules --------------------------------------------------------------------------


def test_an_answers_rules_offer_only_its_articles_items_by_full_name(
    editor_client, questionnaire, other
):
    rule = ChoiceRule.objects.select_related("item__section__article").first()
    response = editor_client.get(f"/admin/quiz/choice/{rule.choice_id}/change/")
    data = form_data(response)
    name = f"{row_prefix(data, 'rules', 'id', rule.pk)}-item"
    options = offered(response, name)
    assert set(options) == scored_items_of(questionnaire.article)
    assert other.reason.pk not in options
    assert options[rule.item_id] == label(rule.item)
    assert data[name] == [str(rule.item_id)]
    # The row an editor adds ("Add another") offers the same.
    assert set(offered(response, "rules-__prefix__-item")) == set(options)


def test_a_rules_own_page_offers_only_its_questionnaires_article(
    editor_client, questionnaire, other
):
    rule = ChoiceRule.objects.first()
    draft = Item.objects.select_related("section__article").get(slug="way-smile")
    Item.objects.filter(pk=draft.pk).update(is_published=False)
    options = offered(editor_client.get(f"/admin/quiz/choicerule/{rule.pk}/change/"), "item")
    assert set(options) == scored_items_of(questionnaire.article)
    # Offered, as its rule would be refused with a reason; but marked.
    assert options[draft.pk] == f"{label(draft)} (not published)"


def test_a_new_rule_not_yet_tied_to_an_answer_offers_every_article_and_is_checked_on_save(
    editor_client, questionnaire, other
):
    response = editor_client.get("/admin/quiz/choicerule/add/")
    options = offered(response, "item")
    assert options[other.reason.pk] == "Another article › Other reasons › Another reason"
    assert scored_items_of(questionnaire.article) <= set(options)

    choice = Choice.objects.filter(question__questionnaire=questionnaire).first()
    before = ChoiceRule.objects.count()
    response = post_as_shown(
        editor_client,
        "/admin/quiz/choicerule/add/",
        choice=choice.pk,
        item=other.reason.pk,
        weight=2,
    )
    assert (
        f"“Another reason” is not in “{questionnaire.article.title}”, the article this "
        "questionnaire draws on"
    ) in errors_of(response, "item")
    assert ChoiceRule.objects.count() == before


def not_in_the_article(item_title: str, questionnaire) -> str:
    return (
        f"“{item_title}” is not in “{questionnaire.article.title}”, the article this "
        "questionnaire draws on"
    )


def test_a_rule_added_on_an_answers_page_for_another_articles_item_is_refused_naming_it(
    editor_client, questionnaire, other
):
    """Where editors add rules: the empty row under an answer's saved rules."""
    choice = Choice.objects.filter(question__questionnaire=questionnaire).first()
    url = f"/admin/quiz/choice/{choice.pk}/change/"
    data = form_data(editor_client.get(url))
    new_row = f"rules-{data['rules-INITIAL_FORMS'][0]}"
    data.update({f"{new_row}-item": [str(other.reason.pk)], f"{new_row}-weight": ["2"]})
    before = choice.rules.count()
    response = editor_client.post(url, data)
    assert not_in_the_article("Another reason", questionnaire) in errors_of(response, "item")
    assert choice.rules.count() == before


def test_a_new_answer_with_a_rule_for_another_articles_item_is_refused_naming_it(
    editor_client, questionnaire, other
):
    """On an answer's add page the rule's questionnaire comes from the question picked."""
    question = questionnaire.questions.order_by("position").first()
    url = "/admin/quiz/choice/add/"
    data = form_data(editor_client.get(url))
    data.update(
        {
            "question": [str(question.pk)],
            "position": ["99"],
            "text": ["Something else"],
            "rules-0-item": [str(other.reason.pk)],
            "rules-0-weight": ["2"],
        }
    )
    response = editor_client.post(url, data)
    assert not_in_the_article("Another reason", questionnaire) in errors_of(response, "item")
    assert not Choice.objects.filter(text="Something else").exists()


def test_a_new_rule_for_a_known_answer_offers_its_article(editor_client, questionnaire, other):
    choice = Choice.objects.filter(question__questionnaire=other).first()
    options = offered(editor_client.get(f"/admin/quiz/choicerule/add/?choice={choice.pk}"), "item")
    assert set(options) == {other.reason.pk, other.way.pk}


# -- Reason rules ---------------------------------------------------------------------------


def test_reason_rules_on_the_questionnaire_offer_only_its_articles_reasons_and_ways(
    editor_client, questionnaire, other
):
    rule = ReasonRule.objects.select_related("way__section__article").first()
    response = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/")
    prefix = row_prefix(form_data(response), "reason_rules", "id", rule.pk)
    reasons, ways = offered(response, f"{prefix}-reason"), offered(response, f"{prefix}-way")
    article = questionnaire.article
    assert set(reasons) == set(
        Item.objects.filter(section__article=article, section__kind="reasons").values_list(
            "pk", flat=True
        )
    )
    assert set(ways) == set(
        Item.objects.filter(section__article=article, section__kind="ways").values_list(
            "pk", flat=True
        )
    )
    assert ways[rule.way_id] == label(rule.way)
    assert other.reason.pk not in reasons and other.way.pk not in ways


def test_a_reason_rule_for_another_articles_way_is_refused_naming_both(
    editor_client, questionnaire, other
):
    rule = ReasonRule.objects.first()
    response = post_as_shown(
        editor_client, f"/admin/quiz/reasonrule/{rule.pk}/change/", way=other.way.pk
    )
    assert (
        f"“Another way” is not in “{questionnaire.article.title}”, the article this "
        "questionnaire draws on"
    ) in errors_of(response, "way")
    assert ReasonRule.objects.get(pk=rule.pk).way_id == rule.way_id


def test_a_reason_rule_on_the_questionnaire_page_for_another_articles_reason_is_refused(
    editor_client, questionnaire, other
):
    rule = ReasonRule.objects.filter(questionnaire=questionnaire).first()
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"
    data = form_data(editor_client.get(url))
    data[f"{row_prefix(data, 'reason_rules', 'id', rule.pk)}-reason"] = [str(other.reason.pk)]
    response = editor_client.post(url, data)
    assert not_in_the_article("Another reason", questionnaire) in errors_of(response, "reason")
    assert ReasonRule.objects.get(pk=rule.pk).reason_id == rule.reason_id


def test_a_new_questionnaire_checks_its_reason_rules_against_the_article_it_picks(
    editor_client, questionnaire, other
):
    """On the add page the questionnaire does not exist yet: its rules are checked on save."""
    url = "/admin/quiz/questionnaire/add/"
    data = form_data(editor_client.get(url))
    seed_way = Item.objects.get(slug="way-smile")
    data.update(
        {
            "title": ["A third questionnaire"],
            "slug": ["third"],
            "article": [str(other.article_id)],
            "intro": ["Hello."],
            "cannot_know": ["Much."],
            "safety_text": ["Call someone."],
            "reason_rules-TOTAL_FORMS": ["1"],
            "reason_rules-0-reason": [str(other.reason.pk)],
            "reason_rules-0-way": [str(seed_way.pk)],
            "reason_rules-0-weight": ["2"],
        }
    )
    response = editor_client.post(url, data)
    assert f"“{seed_way.title}” is not in “Another article”" in errors_of(response, "way")
    assert not Questionnaire.objects.filter(slug="third").exists()


# -- Conditions ("show only when") ----------------------------------------------------------


def numbered_answers(questionnaire, before_position: int) -> dict[int, str]:
    """id → "Q<n> › answer" for the answers to questions asked before that position."""
    found = {}
    for number, question in enumerate(questionnaire.questions.order_by("position", "pk"), 1):
        if question.position >= before_position:
            break
        for choice in question.choices.all():
            found[choice.pk] = f"Q{number} › {choice.text}"
    return found


def test_a_condition_offers_only_earlier_answers_of_its_questionnaire_by_short_name(
    editor_client, questionnaire, other
):
    question = questionnaire.questions.order_by("position")[2]
    response = editor_client.get(f"/admin/quiz/question/{question.pk}/change/")
    options = offered(response, "show_if_choice")
    assert options == numbered_answers(questionnaire, question.position)
    assert options, "the third question has earlier answers to offer"
    assert set(options.values()) >= {"Q1 › We’re together, but he feels far away"}


def test_each_question_on_the_questionnaire_page_offers_its_own_earlier_answers(
    editor_client, questionnaire
):
    response = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/")
    data = form_data(response)
    first, second = questionnaire.questions.order_by("position")[:2]
    name = f"{row_prefix(data, 'questions', 'id', second.pk)}-show_if_choice"
    assert offered(response, name) == numbered_answers(questionnaire, second.position)
    name = f"{row_prefix(data, 'questions', 'id', first.pk)}-show_if_choice"
    assert offered(response, name) == {}
    # A question added on the page comes last: every answer so far.
    assert offered(response, "questions-__prefix__-show_if_choice") == numbered_answers(
        questionnaire, 10**9
    )


def test_an_answer_of_another_questionnaire_is_refused_naming_it(
    editor_client, questionnaire, other
):
    question = questionnaire.questions.order_by("position")[2]
    foreign = Choice.objects.filter(question__questionnaire=other).first()
    response = post_as_shown(
        editor_client, f"/admin/quiz/question/{question.pk}/change/", show_if_choice=foreign.pk
    )
    assert (
        "“Other 1” answers “Other?” of the questionnaire “Another questionnaire”. Pick an "
        "answer to a question asked before this one."
    ) in errors_of(response, "show_if_choice")
    assert Question.objects.get(pk=question.pk).show_if_choice_id != foreign.pk


def test_a_later_answer_is_refused_naming_it(editor_client, questionnaire):
    first, *_, last = questionnaire.questions.order_by("position")
    later = last.choices.first()
    response = post_as_shown(
        editor_client, f"/admin/quiz/question/{first.pk}/change/", show_if_choice=later.pk
    )
    assert (f"“{later.text}” answers “{last.text}”, which is asked after this one.") in errors_of(
        response, "show_if_choice"
    )


def test_a_later_answer_picked_on_the_questionnaire_page_is_refused_naming_it(
    editor_client, questionnaire
):
    first, *_, last = questionnaire.questions.order_by("position")
    later = last.choices.first()
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/change/"
    data = form_data(editor_client.get(url))
    data[f"{row_prefix(data, 'questions', 'id', first.pk)}-show_if_choice"] = [str(later.pk)]
    response = editor_client.post(url, data)
    assert (f"“{later.text}” answers “{last.text}”, which is asked after this one.") in errors_of(
        response, "show_if_choice"
    )
    assert Question.objects.get(pk=first.pk).show_if_choice_id is None


def test_a_new_question_shown_on_another_questionnaires_answer_is_refused_naming_it(
    editor_client, questionnaire, other
):
    """The add page does not know the questionnaire yet: every answer is offered, by its
    questionnaire's name, and the one picked is checked on save."""
    url = "/admin/quiz/question/add/"
    response = editor_client.get(url)
    foreign = Choice.objects.filter(question__questionnaire=other).first()
    assert offered(response, "show_if_choice")[foreign.pk] == "Another questionnaire › Q1 › Other 1"
    data = form_data(response)
    data.update(
        {
            "questionnaire": [str(questionnaire.pk)],
            "position": ["150"],
            "text": ["Is he kind to you?"],
            "kind": ["single"],
            "show_if_choice": [str(foreign.pk)],
            "choices-TOTAL_FORMS": ["2"],
            "choices-0-text": ["Yes"],
            "choices-1-text": ["No"],
        }
    )
    response = editor_client.post(url, data)
    assert (
        "“Other 1” answers “Other?” of the questionnaire “Another questionnaire”. Pick an "
        "answer to a question asked before this one."
    ) in errors_of(response, "show_if_choice")
    assert not Question.objects.filter(text="Is he kind to you?").exists()
