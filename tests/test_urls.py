"""Every named URL reverses and resolves back to itself: a rename fails loudly."""

import pytest
from django.urls import resolve, reverse


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("advice:home", {}, "/"),
        ("advice:article", {"slug": "some-article"}, "/read/some-article/"),
        ("advice:list", {}, "/articles/"),
        ("quiz:index", {}, "/questionnaire/"),
        ("quiz:start", {"slug": "a-quiz"}, "/questionnaire/a-quiz/"),
        (
            "quiz:question",
            {"slug": "a-quiz", "question_id": 7},
            "/questionnaire/a-quiz/question/7/",
        ),
        ("quiz:review", {"slug": "a-quiz"}, "/questionnaire/a-quiz/review/"),
        ("quiz:old_question", {"question_id": 7}, "/questionnaire/question/7/"),
        ("quiz:old_review", {}, "/questionnaire/review/"),
        ("quiz:deleted", {}, "/questionnaire/deleted/"),
        ("quiz:result", {"token": "T" * 43}, f"/results/{'T' * 43}/"),
        ("advice:search", {}, "/search/"),
        ("quiz:feedback", {"token": "T" * 43}, f"/results/{'T' * 43}/feedback/"),
        ("quiz:article", {"token": "T" * 43}, f"/results/{'T' * 43}/article/"),
        ("quiz:plan", {"token": "T" * 43}, f"/results/{'T' * 43}/plan/"),
        ("quiz:reminder", {"token": "T" * 43}, f"/results/{'T' * 43}/reminder/"),
        ("quiz:check_in", {"token": "T" * 43}, f"/results/{'T' * 43}/check-in/"),
        ("sitemap", {}, "/sitemap.xml"),
        ("robots_txt", {}, "/robots.txt"),
        ("markdownx_markdownify", {}, "/markdownx/markdownify/"),
        ("markdownx_upload", {}, "/markdownx/upload/"),
    ],
)
def test_url_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name
