"""Readers find every article: the list at /articles/, the header, the front page's "More
articles", breadcrumbs and the sitemap."""

import json

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify
from pytest_django.asserts import assertContains, assertNotContains

from advice import releases
from advice.models import Article
from advice.releases import publish
from quiz.models import Questionnaire

from .factories import make_article, make_item, make_section
from .html import soup, text_of
from .quiz_helpers import START

pytestmark = pytest.mark.django_db


def listed(client) -> dict[str, dict]:
    """What the list shows of each article, by title, in its order."""
    response = client.get("/articles/")
    assert response.status_code == 200
    return {
        text_of(card.h2): {
            "href": card.h2.a["href"],
            "description": text_of(card.select_one(".article-card__description")),
            "meta": text_of(card.select_one(".article-card__meta")),
        }
        for card in soup(response).select("main .article-card")
    }


def an_article(title: str, words: int = 10, **fields) -> Article:
    """A published article of one published item with `words` words in its body."""
    fields.setdefault("slug", slugify(title)[:50] or "untitled")
    article = make_article(title=title, meta_description=f"About {title.lower()}.", **fields)
    make_item(section=make_section(article=article), body="word " * words)
    return article


def test_the_list_shows_every_published_article_with_description_time_and_questionnaire(
    questionnaire, client
):
    """The seed article has a questionnaire; a long article has none; an article whose
    questionnaire is unpublished has none either; a draft and an unpublished one are absent."""
    an_article("A long read", words=1100)  # 5 minutes at 220 words a minute
    quiet = an_article("Its questionnaire is a draft")
    Questionnaire.objects.create(
        title="Not yet", slug="not-yet", article=quiet, intro="i", cannot_know="c", safety_text="s"
    )
    an_article("Unpublished", is_published=False)
    publish()
    an_article("Saved after publishing")  # a draft until the next publish

    shown = listed(client)

    assert list(shown) == [
        questionnaire.article.title,  # the front page first
        *sorted(["A long read", "Its questionnaire is a draft"]),  # published together
    ]
    home = shown[questionnaire.article.title]
    assert home["href"] == "/"
    assert home["description"] == questionnaire.article.meta_description
    assert home["meta"] == "15 min read · With a questionnaire"
    assert shown["A long read"] == {
        "href": "/read/a-long-read/",
        "description": "About a long read.",
        "meta": "5 min read",
    }
    assert shown["Its questionnaire is a draft"]["meta"] == "1 min read"


def test_newest_articles_come_first_after_the_front_page(seeded, client, clock):
    an_article("Older")
    publish()
    clock.shift(86400)
    an_article("Newer")
    publish()
    assert list(listed(client))[1:] == ["Newer", "Older"]


def test_an_empty_site_has_no_list(db, client):
    response = client.get("/articles/")
    assert response.status_code == 404
    assertContains(response, "We couldn’t find that page", status_code=404)
    make_article(is_published=False)
    publish()  # a version with no article in it
    assert client.get("/articles/").status_code == 404


def test_the_list_reads_the_live_version_not_the_draft(seeded, client):
    seeded.title = "A retitled draft"
    seeded.save()
    assertNotContains(client.get("/articles/"), "A retitled draft")
    publish()
    assertContains(client.get("/articles/"), "A retitled draft")


def test_the_header_links_to_the_list_and_marks_where_the_reader_is(questionnaire, client):
    an_article("Another")
    publish()

    def header_links(path) -> dict[str, str | None]:
        nav = soup(client.get(path)).select_one("header nav[aria-label=Site]")
        return {text_of(a): a.get("aria-current") for a in nav.find_all("a")}

    assert header_links("/") == {
        "Home": "page",
        "Articles": None,
        "Questionnaire": None,
        "Search": None,
    }
    assert header_links("/articles/") == {
        "Home": None,
        "Articles": "page",
        "Questionnaire": None,
        "Search": None,
    }
    # Another article is one of the list: the link says so, without claiming the page.
    assert header_links("/read/another/")["Articles"] == "true"
    assert header_links("/search/")["Search"] == "page"
    assert header_links("/no-such-page/") == {
        "Home": None,
        "Articles": None,
        "Questionnaire": None,
        "Search": None,
    }
    assert soup(client.get("/")).find("a", string="Articles")["href"] == "/articles/"


def test_the_front_page_offers_a_few_more_articles_and_the_whole_list(seeded, client):
    for n in range(5):
        an_article(f"Other {n}")
    publish()
    page = soup(client.get("/"))
    more = page.select_one("section[aria-labelledby=more-title]")
    assert text_of(more.h2) == "More articles"
    assert len(more.select(".article-card")) == 3
    assert page.select_one(".article__footer").find("a", string="All articles")["href"] == (
        "/articles/"
    )
    # Other articles end with no such block: the front page is the way to the list.
    assert soup(client.get("/read/other-0/")).select_one("#more-title") is None


def test_no_more_articles_block_when_there_are_none(seeded, client):
    page = soup(client.get("/"))
    assert page.select_one("#more-title") is None
    assert page.select_one(".article__footer") is None


def crumbs_of(page) -> list[tuple[str, str, str | None]]:
    nav = page.select_one("nav[aria-label=Breadcrumb]")
    return [(text_of(a), a["href"], a.get("aria-current")) for a in nav.select("ol > li > a")]


def breadcrumb_list(page) -> dict:
    """The BreadcrumbList JSON-LD, parsed (there may be other JSON-LD on the page)."""
    found = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    (data,) = [d for d in found if d["@type"] == "BreadcrumbList"]
    return data


def test_an_article_shows_its_place_home_articles_title(seeded, client):
    an_article("Another")
    publish()
    page = soup(client.get("/read/another/"))
    assert crumbs_of(page) == [
        ("Home", "/", None),
        ("Articles", "/articles/", None),
        ("Another", "/read/another/", "page"),
    ]
    data = breadcrumb_list(page)
    assert data["@context"] == "https://schema.org"
    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "http://testserver/"},
        {
            "@type": "ListItem",
            "position": 2,
            "name": "Articles",
            "item": "http://testserver/articles/",
        },
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Another",
            "item": "http://testserver/read/another/",
        },
    ]


def test_breadcrumbs_use_the_site_address_and_cannot_be_broken_out_of(seeded, client, settings):
    settings.SITE_URL = "https://example.org"
    an_article("</script><script>alert(1)</script>", slug="sneaky")
    publish()
    body = client.get("/read/sneaky/").content.decode()
    assert "<script>alert(1)" not in body
    data = breadcrumb_list(soup(client.get("/read/sneaky/")))
    assert data["itemListElement"][2]["name"] == "</script><script>alert(1)</script>"
    assert data["itemListElement"][2]["item"] == "https://example.org/read/sneaky/"


def test_the_front_page_has_no_breadcrumbs(seeded, client):
    """It is Home: a trail of one step would only repeat the site's name above it."""
    page = soup(client.get("/"))
    assert page.select_one("nav[aria-label=Breadcrumb]") is None
    assert [d["@type"] for d in map(json.loads, ld_scripts(page))] == ["Article"]


def ld_scripts(page) -> list[str]:
    return [s.string for s in page.find_all("script", type="application/ld+json")]


def test_the_questionnaire_shows_its_article_in_the_breadcrumbs(questionnaire, client):
    """Its article is the front page here, so it stands for Home under its own title."""
    page = soup(client.get(START))
    assert crumbs_of(page) == [
        (questionnaire.article.title, "/", None),
        (questionnaire.title, START, "page"),
    ]
    items = breadcrumb_list(page)["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in items] == [
        (1, questionnaire.article.title, "http://testserver/"),
        (2, questionnaire.title, "http://testserver" + START),
    ]


def test_a_questionnaire_of_another_article_goes_home_then_to_its_article(questionnaire, client):
    other = an_article("Another")
    Questionnaire.objects.filter(pk=questionnaire.pk).update(article=other)
    Article.objects.filter(pk=questionnaire.article_id).update(is_home=False)
    make_article(title="The new front page", is_home=True)
    publish()
    page = soup(client.get(START))
    assert [name for name, _, _ in crumbs_of(page)] == ["Home", "Another", questionnaire.title]
    assert crumbs_of(page)[1][1] == "/read/another/"


def test_the_sitemap_lists_every_article_and_the_list(seeded, client):
    for n in range(3):
        an_article(f"Other {n}")
    an_article("Unpublished", is_published=False, slug="unpublished")
    publish()
    body = client.get("/sitemap.xml").content.decode()
    for path in ["/", "/articles/", "/read/other-0/", "/read/other-1/", "/read/other-2/"]:
        assert f"<loc>http://testserver{path}</loc>" in body, path
    assert "/read/unpublished/" not in body


def test_the_list_answers_conditional_requests_and_changes_with_a_new_version(seeded, client):
    first = client.get("/articles/")
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "s-maxage=10" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/articles/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and len(queries) == 0  # the list is kept whole
    caches["pages"].clear()  # not kept (another worker): which version is live, no rendering
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/articles/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and len(queries) == 1
    modified = client.get("/articles/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert modified.status_code == 304
    assert etag != client.get("/")["ETag"], "one version, two pages, two names"

    an_article("Another")
    assert client.get("/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 304, "a draft"
    publish()
    response = client.get("/articles/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assertContains(response, "Another")


def test_a_deploy_with_new_templates_changes_the_list_s_etag(seeded, client, monkeypatch):
    from advice import views

    etag = client.get("/articles/")["ETag"]
    monkeypatch.setattr(views, "deploy_fingerprint", lambda: "a-new-deploy")
    assert client.get("/articles/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def count_queries(client, path) -> tuple[int, int, int]:
    """(cold, warm, kept): nothing cached (which version is live, its content, and when the
    next one is scheduled, for the page cache); the version parsed but the page not kept
    (as in another worker); the page kept whole (config/page_cache.py)."""
    cache.clear()
    releases.forget_parsed_releases()
    counts = []
    for kept in (False, False, True):
        if not kept:
            caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    return tuple(counts)


@pytest.mark.parametrize("path", ["/articles/", "/read/only/", "/"])
def test_queries_are_the_same_with_1_and_with_50_articles(db, client, path):
    """Which version is live, then (once per worker) its content: never a query per article,
    nor per related article."""
    only = an_article("Only", slug="only", is_home=path == "/")
    publish()
    with_one = count_queries(client, path)
    others = [an_article(f"More {n}") for n in range(49)]
    only.related.set(others[:10])
    for other in others[10:]:
        other.related.set([only, others[0]])
    publish()
    assert len(listed(client)) == 50
    assert count_queries(client, path) == with_one == (3, 2, 0)
