"""Every named URL reverses and resolves back to itself: a rename fails loudly."""

import pytest
from django.urls import resolve, reverse


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("advice:home", {}, "/"),
        ("advice:article", {"slug": "some-article"}, "/read/some-article/"),
        ("advice:search", {}, "/search/"),
        ("quiz:start", {}, "/questionnaire/"),
        ("quiz:feedback", {"token": "T" * 43}, f"/results/{'T' * 43}/feedback/"),
        ("sitemap", {}, "/sitemap.xml"),
        ("robots_txt", {}, "/robots.txt"),
        ("markdownx_markdownify", {}, "/markdownx/markdownify/"),
        ("markdownx_upload", {}, "/markdownx/upload/"),
    ],
)
def test_url_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name
