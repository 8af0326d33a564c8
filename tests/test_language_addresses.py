"""English stays at today's addresses, Spanish lives under /es/; the address alone says
which, and every page links to itself in the other language, for readers (plain links)
and search engines (hreflang alternates, canonical addresses, the sitemap)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone, translation

from advice import views
from config.settings import site_languages

from .html import soup
from .quiz_helpers import START

pytestmark = pytest.mark.django_db

TOKEN = "T" * 43


@pytest.mark.parametrize(
    ("name", "kwargs", "english", "spanish"),
    [
        ("advice:home", {}, "/", "/es/"),
        ("advice:article", {"slug": "a"}, "/read/a/", "/es/read/a/"),
        ("advice:list", {}, "/articles/", "/es/articles/"),
        ("advice:search", {}, "/search/", "/es/search/"),
        ("quiz:start", {"slug": "q"}, "/questionnaire/q/", "/es/questionnaire/q/"),
        ("quiz:result", {"token": TOKEN}, f"/results/{TOKEN}/", f"/es/results/{TOKEN}/"),
    ],
)
def test_readers_pages_are_at_todays_addresses_in_english_and_under_es_in_spanish(
    name, kwargs, english, spanish
):
    assert reverse(name, kwargs=kwargs) == english
    with translation.override("es"):
        assert reverse(name, kwargs=kwargs) == spanish
        assert resolve(spanish).view_name == name


@pytest.mark.parametrize("path", ["/sitemap.xml", "/robots.txt", "/healthz", "/favicon.ico"])
def test_site_addresses_have_no_spanish_copy(seeded, client, path):
    assert client.get(path).status_code in (200, 301)
    assert client.get(f"/es{path}").status_code == 404


def test_the_address_decides_never_accept_language_nor_a_cookie(seeded, client):
    """A browser set up in Spanish (by her, or by someone else) gets the page the link
    names: no redirect, no language cookie, no Vary on a header the site never reads."""
    client.cookies["django_language"] = "es"
    response = client.get("/", headers={"accept-language": "es-ES,es;q=0.9"})
    assert response.status_code == 200
    assert soup(response).html["lang"] == "en"
    assert response["Content-Language"] == "en"
    assert "accept-language" not in response.get("Vary", "").lower()
    assert "django_language" not in response.cookies
    assert not any("language" in name for name in response.cookies)


def test_a_spanish_address_is_read_in_spanish(seeded, client):
    response = client.get("/es/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert (soup(response).html["lang"], soup(response).html["dir"]) == ("es", "ltr")
    assert response["Content-Language"] == "es"


def test_a_spanish_page_leaves_no_language_behind(seeded, client):
    """What runs after a reader's request (the next request, a command) starts afresh."""
    before = translation.get_language()
    client.get("/es/")
    assert translation.get_language() == before
    assert reverse("advice:home") == "/"


def switcher_links(response) -> list[tuple[str, str, str, str]]:
    """(text, href, lang, hreflang) of each link in the language switcher."""
    nav = soup(response).find("nav", class_="site-languages")
    return [(a.get_text(), a["href"], a["lang"], a["hreflang"]) for a in nav.find_all("a")]


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/", ("Español", "/es/", "es", "es")),
        ("/es/", ("English", "/", "en", "en")),
        ("/articles/", ("Español", "/es/articles/", "es", "es")),
        ("/es/search/?q=push", ("English", "/search/?q=push", "en", "en")),
        (START, ("Español", f"/es{START}", "es", "es")),
        # A page with no address in the other language: that language's front page.
        ("/es/no-such-page/", ("English", "/", "en", "en")),
        ("/read/no-such-article/", ("Español", "/es/read/no-such-article/", "es", "es")),
    ],
)
def test_every_page_links_to_itself_in_the_other_language(seeded, client, path, other):
    assert switcher_links(client.get(path)) == [other]


def test_robots_txt_keeps_private_pages_out_in_every_language(seeded, client):
    robots = client.get("/robots.txt").content.decode().splitlines()
    for prefix in ("", "/es"):
        for private in ("/results/", "/questionnaire/*/question/", "/questionnaire/*/review/"):
            assert f"Disallow: {prefix}{private}" in robots


def test_languages_are_named_in_themselves_from_one_list():
    assert site_languages(["en", "es"]) == [("en", "English"), ("es", "Español")]
    assert site_languages(["en", "es", "fr"])[2] == ("fr", "Français")
    with pytest.raises(ImproperlyConfigured):
        site_languages(["en", "xx"])


def alternates(response) -> dict[str, str]:
    head = soup(response).head
    return {link["hreflang"]: link["href"] for link in head.find_all("link", rel="alternate")}


def canonical(response) -> list[str]:
    return [link["href"] for link in soup(response).head.find_all("link", rel="canonical")]


@pytest.mark.parametrize("path", ["/", "/articles/", START, "/search/"])
def test_public_pages_name_their_address_in_each_language(seeded, questionnaire, client, path):
    both = {
        "en": f"http://testserver{path}",
        "es": f"http://testserver/es{path}",
        "x-default": f"http://testserver{path}",
    }
    assert alternates(client.get(path)) == both
    assert canonical(client.get(path)) == [both["en"]]
    assert alternates(client.get(f"/es{path}")) == both
    assert canonical(client.get(f"/es{path}")) == [both["es"]]


def test_a_search_for_words_has_no_alternates(seeded, client):
    response = client.get("/es/search/?q=push")
    assert alternates(response) == {} and canonical(response) == []


def test_the_sitemap_lists_each_page_in_each_language_with_its_alternates(seeded, client):
    body = client.get("/sitemap.xml").content.decode()
    for path in ["/", "/articles/"]:
        assert f"<loc>http://testserver{path}</loc>" in body
        assert f"<loc>http://testserver/es{path}</loc>" in body
        for lang, href in [("en", path), ("es", f"/es{path}"), ("x-default", path)]:
            link = f'<xhtml:link rel="alternate" hreflang="{lang}" href="http://testserver{href}"/>'
            assert link in body, link


def spanish_problem_pages(client, settings, monkeypatch) -> dict:
    """A Spanish reader's 400, 403, 404, 429 and 500 pages, by their status."""
    pages = {
        404: client.get("/es/no-such-page/"),
        403: Client(enforce_csrf_checks=True).post(f"/es{START}review/"),
        400: client.generic(
            "POST",
            f"/es{START}",
            data=b"choice=1",
            content_type="application/x-www-form-urlencoded; charset=rot13",
        ),
    }
    settings.QUIZ_POST_RATE = "1/m"
    for _ in range(2):
        pages[429] = client.post(f"/es{START}")
    monkeypatch.setattr(views, "render_article", broken)
    client.raise_request_exception = False
    pages[500] = client.get("/es/")
    return pages


def broken(*args, **kwargs):
    raise RuntimeError("the database went away")


def test_problem_and_error_pages_are_in_her_language_and_link_to_the_other(
    client, questionnaire, settings, monkeypatch, clock
):
    clock.move_to(timezone.now(), tick=False)  # stopped: one rate-limit window
    pages = spanish_problem_pages(client, settings, monkeypatch)
    assert {status: page.status_code for status, page in pages.items()} == {
        status: status for status in pages
    }
    for status, page in pages.items():
        assert soup(page).html["lang"] == "es", status
        [(name, href, lang, _)] = switcher_links(page)
        assert (name, lang) == ("English", "en"), status
        assert not href.startswith("/es/"), (status, href)
