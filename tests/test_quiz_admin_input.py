"""No 500 from admin input: whatever an editor's browser (or a scanner) sends, the answer is
the form again with a message, or a 4xx.

Garbage in lookup fields, ids of another questionnaire's rows, and rows that are gone are
form errors; addresses naming no row are 404s.
"""

import pytest

from advice.kinds import ItemKind
from quiz.models import Choice, ChoiceRule, Question, Questionnaire, ReasonRule

from .admin_forms import form_data
from .factories import make_article, make_item, make_section
from .html import soup, text_of

pytestmark = pytest.mark.django_db

# What a scanner types into an id field: no number, not an integer, below every id, no
# such row, past the database's integers, a NUL character.
GARBAGE = ["abc", "1.5", "-1", "99999999", "99999999999999999999999", "\x00"]
# Django's own words for them.
INVALID = ("Select a valid choice", "Null characters are not allowed.")


def post_as_shown(client, url: str, **changes):
    """Submit the form at `url` as the page shows it, with some fields changed."""
    data = form_data(client.get(url))
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def errors_of(response, field: str | None = None) -> str:
    """The page came back with its form (nothing saved): the error messages on it."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = soup(response)
    where = f".field-{field} .errorlist, td.field-{field} .errorlist" if field else ".errorlist"
    return " ".join(text_of(element) for element in page.select(where))


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Question, Choice, ChoiceRule, ReasonRule))


@pytest.mark.parametrize("value", GARBAGE, ids=repr)
@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("choice/add/", "question"),
        ("choice/add/", "rules-0-item"),  # the answer's first rule, on its add page
        ("choicerule/add/", "choice"),
        ("choicerule/add/", "item"),
        ("reasonrule/add/", "reason"),
        ("reasonrule/add/", "way"),
        ("question/add/", "show_if_choice"),
    ],
)
def test_garbage_in_a_lookup_field_is_a_form_error(
    editor_client, questionnaire, page, field, value
):
    before = counts()
    response = post_as_shown(editor_client, f"/admin/quiz/{page}", **{field: value})
    errors = errors_of(response, field.split("-")[-1])
    assert any(message in errors for message in INVALID), errors
    assert counts() == before


# -- Another questionnaire's rows ---------------------------------------------------------


@pytest.fixture
def other(questionnaire):
    """A second questionnaire on an article of its own: one question, two answers."""
    article = make_article(title="Another article")
    reasons = make_section(article=article, kind=ItemKind.REASONS)
    other = Questionnaire.objects.create(
        title="Another questionnaire",
        slug="another",
        article=article,
        intro="Another.",
        cannot_know="Much.",
        safety_text="Call someone.",
    )
    question = Question.objects.create(questionnaire=other, position=10, text="Other?")
    for position in (1, 2):
        Choice.objects.create(question=question, position=position, text=f"Other {position}")
    other.reason = make_item(section=reasons, title="Another reason")
    return other


def test_an_answer_of_another_questionnaire_cannot_be_a_condition(editor_client, other):
    question = Question.objects.get(text__startswith="Since he ended it")
    foreign = Choice.objects.filter(question__questionnaire=other).first()
    response = post_as_shown(
        editor_client,
        f"/admin/quiz/question/{question.pk}/change/",
        show_if_choice=str(foreign.pk),
    )
    assert "Pick an answer to a question asked before this one." in errors_of(response)
    assert Question.objects.get(pk=question.pk).show_if_choice_id != foreign.pk


def test_a_rule_cannot_score_an_item_of_another_questionnaires_article(
    editor_client, questionnaire, other
):
    rule = ChoiceRule.objects.first()
    response = post_as_shown(
        editor_client, f"/admin/quiz/choicerule/{rule.pk}/change/", item=str(other.reason.pk)
    )
    assert (
        f"“Another reason” is not in “{questionnaire.article}”, the article this "
        "questionnaire draws on"
    ) in errors_of(response, "item")
    assert ChoiceRule.objects.get(pk=rule.pk).item_id == rule.item_id


def test_a_reason_rule_cannot_name_a_reason_of_another_article(editor_client, questionnaire, other):
    rule = ReasonRule.objects.first()
    response = post_as_shown(
        editor_client, f"/admin/quiz/reasonrule/{rule.pk}/change/", reason=str(other.reason.pk)
    )
    assert "its readers never see it" in errors_of(response, "reason")
    assert ReasonRule.objects.get(pk=rule.pk).reason_id == rule.reason_id


# -- Rows that are gone -------------------------------------------------------------------


def test_an_answer_deleted_meanwhile_is_a_form_error_on_its_questions_page(
    editor_client, questionnaire
):
    """Two editors: one deletes an answer while the other has its question open."""
    question = Question.objects.get(text__startswith="Where do things stand")
    url = f"/admin/quiz/question/{question.pk}/change/"
    data = form_data(editor_client.get(url))
    gone = question.choices.last()
    gone.delete()
    before = counts()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the error" in text_of(soup(response).select_one("#content"))
    assert counts() == before


@pytest.mark.parametrize(
    "address",
    [
        "quiz/choice/abc/history/",
        "quiz/choice/99999999/history/",
        "quiz/choice/99999999999999999999999/history/",
        "quiz/choice/1/history/abc/",
        "quiz/choice/1/history/99999999999999999999999/",
        "quiz/questionnaire/99999999/statistics/",
        "quiz/questionnaire/99999999999999999999999/simulator/draft/",
        "advice/item/abc/history/",
    ],
)
def test_an_address_naming_no_row_is_not_found(editor_client, questionnaire, address):
    assert editor_client.get(f"/admin/{address}").status_code == 404


def test_a_row_that_is_gone_sends_its_editor_to_the_list_with_a_message(
    editor_client, questionnaire
):
    response = editor_client.post("/admin/quiz/choice/99999999/change/", {"text": "Saved?"})
    assert response.status_code == 302


# -- Tool pages and list pages with ids and numbers in the address -----------------------


def test_tool_pages_refuse_what_is_no_token_or_answer(editor_client, questionnaire):
    simulator = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/"
    for query in ({"token": "\x00"}, {"token": "x" * 43}, {"q1": "\x00"}):
        assert editor_client.get(simulator, query).status_code == 400, query
        assert editor_client.get(simulator + "draft/", query).status_code == 400, query
    assert editor_client.get(simulator + "draft/", {"qabc": "1"}).status_code == 400


def test_a_date_link_past_every_date_is_an_invalid_lookup_not_an_error(
    editor_client, questionnaire
):
    response = editor_client.get("/admin/quiz/quizsession/", {"started_at__year": "9" * 25})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_search_with_a_nul_character_is_a_search_for_the_rest(editor_client, questionnaire):
    """PostgreSQL refuses a NUL in a query; no saved text holds one, so it is left out."""
    response = editor_client.get("/admin/quiz/question/", {"q": "Where do\x00 things"})
    assert "Where do things stand" in text_of(soup(response).select_one("#result_list"))
