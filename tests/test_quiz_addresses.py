"""Each questionnaire has its own address, belongs to one article, and a reader can have
runs of two open in one browser; the addresses from before keep working."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from advice.models import Article
from advice.releases import publish
from quiz import problems
from quiz.models import Questionnaire, QuizSession

from .factories import make_article, make_questionnaire, make_section
from .html import soup, text_of
from .quiz_helpers import (
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    question,
    revision_on,
    start,
    step_url,
    take,
)

pytestmark = pytest.mark.django_db

SECOND = "/questionnaire/second-quiz/"


@pytest.fixture
def second(questionnaire) -> Questionnaire:
    """A second article with its own questionnaire of two questions, beside the seed's."""
    article = make_article(title="A second article", slug="second")
    make_section(article=article)
    made = make_questionnaire(
        article=article, title="The second questionnaire", slug="second-quiz", questions=2
    )
    publish(note="A second article and its questionnaire")
    return made


def first_choices(questionnaire: Questionnaire):
    return [q.choices.first() for q in questionnaire.questions.all()]


def answer_seed_halfway(client):
    start(client)
    for question_start, choice_start in STRESSED_BUT_TOGETHER[:3]:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)


def take_second(client, second) -> str:
    """Start the second questionnaire, answer both questions, confirm: her result's address."""
    start(client, SECOND)
    for picked in first_choices(second):
        answer(client, picked.question, picked)
    return client.post(f"{SECOND}review/")["Location"]


# -- Addresses ------------------------------------------------------------------------------


def test_each_questionnaire_is_at_its_own_address(client, questionnaire, second):
    assert text_of(soup(client.get(START)).h1) == questionnaire.title
    assert text_of(soup(client.get(SECOND)).h1) == "The second questionnaire"
    response = start(client, SECOND)
    assert response["Location"] == step_url(second.questions.first())


def test_an_address_no_questionnaire_has_is_a_404_that_says_so(client, questionnaire):
    response = client.get("/questionnaire/no-such-quiz/")
    assertContains(response, str(problems.NO_SUCH_QUESTIONNAIRE.title), status_code=404)
    assert client.post("/questionnaire/no-such-quiz/").status_code == 404
    assert not QuizSession.objects.exists()


def test_admins_view_on_site_leads_to_the_questionnaires_own_address(editor_client, second):
    change = soup(editor_client.get(f"/admin/quiz/questionnaire/{second.pk}/change/"))
    view_on_site = change.find("a", string="View on site")
    assert editor_client.get(view_on_site["href"])["Location"].endswith(SECOND)
    assert second.get_absolute_url() == SECOND


def test_the_addresses_older_pages_use_cannot_be_a_questionnaires_slug(questionnaire):
    for slug in ("review", "question", "deleted"):
        questionnaire.slug = slug
        with pytest.raises(ValidationError) as refused:
            questionnaire.full_clean()
        assert f"/questionnaire/{slug}/ is taken" in str(refused.value.message_dict["slug"])


def test_the_sitemap_lists_every_questionnaire(client, second):
    response = client.get("/sitemap.xml")
    assertContains(response, f"<loc>http://testserver{START}</loc>")
    assertContains(response, f"<loc>http://testserver{SECOND}</loc>")


# -- /questionnaire/ ------------------------------------------------------------------------


def test_the_questionnaire_address_leads_to_the_front_page_articles_questionnaire(client, second):
    """A temporary redirect: editors may put another article on the front page."""
    assertRedirects(client.get("/questionnaire/"), START, status_code=302)
    Article.objects.update(is_home=False)
    Article.objects.filter(slug="second").update(is_home=True)
    publish(note="The second article on the front page")
    assertRedirects(client.get("/questionnaire/"), SECOND, status_code=302)


def test_without_a_front_page_questionnaire_it_says_one_is_coming(client, seeded):
    response = client.get("/questionnaire/")
    assertContains(response, "The questionnaire is coming soon")


def test_a_start_form_sent_to_the_old_address_starts_the_front_page_questionnaire(
    client, questionnaire
):
    response = client.post("/questionnaire/")
    assert (response.status_code, response["Location"]) == (307, START)


# -- Runs of two questionnaires in one browser ----------------------------------------------


def test_runs_of_two_questionnaires_stay_open_side_by_side(client, questionnaire, second):
    answer_seed_halfway(client)
    start(client, SECOND)
    answer(client, second.questions.first(), first_choices(second)[0])

    seed_start, second_start = soup(client.get(START)), soup(client.get(SECOND))
    resume = seed_start.find("a", string="Continue where you left off")
    assert resume["href"] == step_url(question("Is anything weighing"))
    resume = second_start.find("a", string="Continue where you left off")
    assert resume["href"] == step_url(second.questions.last())
    assert len(client.session["quiz_runs"]) == 2


def test_starting_one_again_leaves_her_run_of_the_other(client, questionnaire, second):
    answer_seed_halfway(client)
    seed_run = QuizSession.objects.get(questionnaire=questionnaire)
    start(client, SECOND)
    start(client, SECOND)  # again: replaces her run of the second only
    runs = client.session["quiz_runs"]
    assert runs[str(questionnaire.pk)] == seed_run.token
    assert runs[str(second.pk)] != seed_run.token
    assert len(seed_run.answer_map()) == 3
    assert client.get(step_url(question("Is anything weighing"))).status_code == 200


def test_deleting_one_result_keeps_her_other_run(client, questionnaire, second):
    seed_result = take(client, STRESSED_BUT_TOGETHER)
    second_result = take_second(client, second)
    assertContains(client.get(seed_result), "Delete my answers")
    assertContains(client.get(second_result), "Delete my answers")

    client.post(f"{second_result}delete/")
    assert client.get(second_result).status_code == 404
    assertContains(client.get(seed_result), "Delete my answers")  # still hers
    assert list(client.session["quiz_runs"]) == [str(questionnaire.pk)]


def test_a_step_of_one_questionnaire_is_not_answered_with_her_run_of_the_other(
    client, questionnaire, second
):
    """Her run of the seed does not open the second questionnaire's steps."""
    answer_seed_halfway(client)
    response = client.get(step_url(second.questions.first()))
    assertRedirects(response, SECOND)
    assert not QuizSession.objects.filter(questionnaire=second).exists()


# -- Addresses from before, open in a tab when the site changed ------------------------------


@pytest.fixture
def old_run(client, questionnaire):
    """A run started before each questionnaire had its own address: its token under the
    single key browsers held then, three answers given."""
    answer_seed_halfway(client)
    run = QuizSession.objects.get()
    session = client.session
    session.pop("quiz_runs")
    session["quiz_token"] = run.token
    session.save()
    return run


def test_an_old_step_address_leads_to_that_step_of_her_run(client, old_run):
    weighing = question("Is anything weighing")
    response = client.get(f"/questionnaire/question/{weighing.pk}/?from=review")
    assertRedirects(response, step_url(weighing, review=True), fetch_redirect_response=False)
    assertRedirects(client.get("/questionnaire/review/"), REVIEW, fetch_redirect_response=False)


def test_an_answer_sent_to_an_old_step_address_is_sent_on_unchanged(client, old_run):
    weighing = question("Is anything weighing")
    old = f"/questionnaire/question/{weighing.pk}/"
    revision = revision_on(client.get(old, follow=True))
    data = {"revision": revision, "choice": str(weighing.choices.first().pk)}
    response = client.post(old, data)
    assert (response.status_code, response["Location"]) == (307, step_url(weighing))
    assert client.post(response["Location"], data).status_code == 302
    assert weighing.pk in old_run.answer_map()


def test_her_run_from_before_is_kept_in_her_runs(client, old_run):
    assert client.get(START).status_code == 200
    assert client.session["quiz_runs"] == {str(old_run.questionnaire_id): old_run.token}
    assert "quiz_token" not in client.session
    assertContains(client.get(START), "Continue where you left off")


def test_her_result_from_before_is_still_hers(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    session = client.session
    session["quiz_token"] = session.pop("quiz_runs")[str(questionnaire.pk)]
    session.save()
    assertContains(client.get(result), "Delete my answers")


@pytest.mark.parametrize("path", ["/questionnaire/question/{id}/", "/questionnaire/review/"])
def test_an_old_step_address_without_her_run_leads_to_the_start(client, questionnaire, path):
    url = path.format(id=question("How long").pk)
    response = client.get(url, follow=True)
    assert response.redirect_chain == [("/questionnaire/", 302), (START, 302)]
    assertContains(response, "The questionnaire’s address has changed")
    # A form sent there is not sent on: it would start a run she did not ask for.
    assertContains(client.post(url), str(problems.NO_RUN.title), status_code=403)


def test_an_old_address_of_a_question_no_run_of_hers_asks_leads_to_the_start(client, old_run):
    response = client.get("/questionnaire/question/999999/")
    assertRedirects(response, "/questionnaire/", fetch_redirect_response=False)


# -- Where the article and the header lead ---------------------------------------------------


def invitation_on(client, path: str):
    return soup(client.get(path)).select_one(".invitation a")


def header_link(client, path: str):
    return soup(client.get(path)).select_one(".site-nav").find("a", string="Questionnaire")


def test_each_article_invites_to_its_own_questionnaire(client, second):
    assert invitation_on(client, "/")["href"] == START
    assert invitation_on(client, "/read/second/")["href"] == SECOND


def test_an_article_without_a_questionnaire_shows_no_invitation(client, questionnaire):
    make_section(article=make_article(slug="no-quiz"))
    publish()
    assert client.get("/read/no-quiz/").status_code == 200
    assert invitation_on(client, "/read/no-quiz/") is None


def test_the_header_leads_to_the_questionnaire_of_the_article_she_is_on(client, second):
    make_section(article=make_article(slug="no-quiz"))
    publish()
    assert header_link(client, "/")["href"] == START
    assert header_link(client, "/read/second/")["href"] == SECOND
    assert header_link(client, SECOND)["href"] == SECOND
    # Elsewhere, and on an article without one: the front-page article's questionnaire.
    assert header_link(client, "/read/no-quiz/")["href"] == START
    assert header_link(client, "/no-such-page/")["href"] == START


def test_the_header_leads_to_the_questionnaire_of_her_run_and_result(client, second):
    result = take_second(client, second)
    assert header_link(client, result)["href"] == SECOND
    assertContains(client.get(result), f'href="{result}check-in/">Check in again')


def test_the_header_has_no_questionnaire_link_when_there_is_none(client, seeded):
    assertNotContains(client.get("/"), ">Questionnaire</a>")


# -- Queries do not grow with the number of questionnaires ----------------------------------


def counted(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def queries_on_a_start_page_and_a_step(client, slug: str) -> tuple[int, int]:
    start_url = f"/questionnaire/{slug}/"
    step = client.post(start_url)["Location"]
    client.get(step)  # the version parsed, the caches warm
    return counted(client, start_url), counted(client, step)


def test_queries_on_a_start_page_and_a_step_do_not_grow_with_questionnaires(client, db):
    make_questionnaire(slug="measured", questions=2)
    publish()
    one = queries_on_a_start_page_and_a_step(client, "measured")
    for _ in range(49):
        make_questionnaire(questions=2)
    publish()
    assert len(Questionnaire.objects.published()) == 50
    assert queries_on_a_start_page_and_a_step(client, "measured") == one
