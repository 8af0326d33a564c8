"""The result simulator says "not published yet" where a version has no such questionnaire.

Issue 11, part 4: a questionnaire (or its article) not yet in the live version used to
fill the simulator's published half with an error page. Each half now answers 200 with a
page that says why it has no result, and what to do.
"""

import pytest
from pytest_django.asserts import assertContains

from advice.models import Article, Release
from quiz.models import Questionnaire

from .factories import make_article
from .html import soup, text_of

pytestmark = pytest.mark.django_db


def frame(editor_client, questionnaire, version: str):
    url = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/{version}/"
    response = editor_client.get(url)
    assert response.status_code == 200
    return text_of(soup(response).select_one("main"))


def make_questionnaire(article) -> Questionnaire:
    return Questionnaire.objects.create(
        title="A second questionnaire",
        slug="second",
        article=article,
        intro="Hello.",
        cannot_know="Much.",
        safety_text="Call someone.",
        is_published=True,
    )


def test_a_questionnaire_not_yet_in_the_live_version_is_said_so(editor_client, questionnaire):
    new = make_questionnaire(questionnaire.article)
    shown = frame(editor_client, new, "published")
    assert "Not published yet" in shown
    assert "“A second questionnaire” is not in the published version yet." in shown
    # The draft half has it, so it shows a result page.
    assert "Not published yet" not in frame(editor_client, new, "draft")
    # The simulator still frames both halves, one saying why it has no result.
    assertContains(
        editor_client.get(f"/admin/quiz/questionnaire/{new.pk}/simulator/", {"token": ""}),
        'title="Result under the published version"',
    )


def test_a_questionnaire_whose_article_is_not_live_names_the_article(editor_client, questionnaire):
    article = make_article(title="An article in the making")
    new = make_questionnaire(article)
    shown = frame(editor_client, new, "published")
    assert "Its article “An article in the making” is not in the published version yet" in shown
    Article.objects.filter(pk=article.pk).update(is_published=False)
    assert "tick “published” on it and on its article “An article in the making”" in frame(
        editor_client, new, "draft"
    )


def test_before_anything_is_published_the_simulator_says_so(editor_client, questionnaire):
    Release.objects.all().delete()
    assert "Nothing has been published yet" in frame(editor_client, questionnaire, "published")
