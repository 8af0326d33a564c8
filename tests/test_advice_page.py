"""The reading page at /: structure, navigation, metadata, drafts, speed."""

import json
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from advice.models import Item, Section
from advice.releases import publish

from .factories import make_item
from .html import soup, text_of
from .moments import CLOCK_START, SEED_PUBLISHED_AT
from .quiz_helpers import START

pytestmark = pytest.mark.django_db


def test_page_has_one_h1_an_h2_per_section_and_an_h3_per_item(seeded, client):
    page = soup(client.get("/"))
    assert page.html["lang"] == "en"
    assert len(page.find_all("h1")) == 1
    assert len(page.find_all("main")) == 1
    sections = page.main.select("article > section")
    assert len(sections) == 5
    for section in sections:
        heading = section.find("h2")
        assert heading is not None and heading.parent == section
        assert section["aria-labelledby"] == heading["id"]
    assert len(page.main.select("section .item h3")) == 27


def test_skip_link_leads_to_main_right_after_the_exit_bar(seeded, client):
    page = soup(client.get("/"))
    links = [text_of(link) for link in page.body.find_all("a")]
    assert links[:3] == ["Exit this page", "Contents", "Skip to content"]
    skip = page.body.find_all("a")[2]
    assert skip["href"] == "#main" and page.main["id"] == "main"


def test_item_numbers_come_from_position_not_from_the_title(seeded, client):
    ways = Section.objects.get(kind="ways")
    first = ways.items.get(slug="way-dont-make-it-about-you")
    first.position = 999  # move the first way to the end
    first.save()
    publish()
    page = soup(client.get("/"))
    titles = [text_of(h) for h in page.select("#how-to-handle-it h3")]
    assert titles[0] == "1) Give him space"
    assert titles[-1] == "14) Don’t make it all about you"


def test_table_of_contents_links_to_every_section_and_item(seeded, client):
    page = soup(client.get("/"))
    toc_targets = [a["href"] for a in page.select("nav.toc a")]
    assert len(toc_targets) == 5 + 27
    ids = {element["id"] for element in page.select("[id]")}
    assert all(href.startswith("#") and href[1:] in ids for href in toc_targets)
    assert "#reason-stressed" in toc_targets


def test_reading_time_and_last_updated_are_shown(seeded, client):
    """ "Last updated" is when readers first saw this wording: the seed's publish moment."""
    page = soup(client.get("/"))
    meta = text_of(page.select_one(".article__meta"))
    assert "15 min read" in meta  # 3,276 words at 220 a minute
    assert page.select_one(".article__meta time")["datetime"] == "2026-11-24"
    assert "24 November 2026" in meta


def test_last_updated_moves_when_new_wording_goes_live_and_not_before(seeded, client, clock):
    seeded.title = "A new title"
    seeded.save()
    assert page_date(client) == "2026-11-24"  # saved, not published
    publish()
    assert page_date(client) == CLOCK_START.date().isoformat()
    clock.shift(timedelta(days=3))
    publish()  # nothing changed for readers: the date stays
    assert page_date(client) == CLOCK_START.date().isoformat()


def page_date(client) -> str:
    return soup(client.get("/")).select_one(".article__meta time")["datetime"]


def test_page_invites_the_reader_to_the_questionnaire_near_the_top(questionnaire, client):
    page = soup(client.get("/"))
    invitation = page.select_one(".invitation a")
    assert invitation["href"] == START
    first_section = page.select_one("article > section")
    assert invitation.sourceline < first_section.sourceline


def test_seo_metadata(seeded, client):
    page = soup(client.get("/"))
    assert text_of(page.title) == seeded.title
    assert page.find("meta", attrs={"name": "description"})["content"] == seeded.meta_description
    assert page.find("link", rel="canonical")["href"] == "http://testserver/"
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:title"] == seeded.title
    assert og["og:type"] == "article"
    assert og["og:url"] == "http://testserver/"
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "Article"
    assert data["headline"] == seeded.title
    assert data["datePublished"] == SEED_PUBLISHED_AT.isoformat()
    assert data["dateModified"] == SEED_PUBLISHED_AT.isoformat()


def test_meta_description_is_editable(seeded, client):
    seeded.meta_description = "A new description written by an editor."
    seeded.save()
    publish()
    assertContains(client.get("/"), 'content="A new description written by an editor."')


def test_structured_data_cannot_be_broken_out_of(seeded, client):
    seeded.title = "</script><script>alert(1)</script>"
    seeded.save()
    publish()
    body = client.get("/").content.decode()
    ld = body.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in ld
    assert json.loads(ld)["headline"] == seeded.title


def test_sitemap_lists_the_article_with_its_last_change(questionnaire, client):
    response = client.get("/sitemap.xml")
    assertContains(response, "<loc>http://testserver/</loc>")
    assertContains(response, "<lastmod>2026-11-24</lastmod>")
    assertContains(response, f"<loc>http://testserver{START}</loc>")
    assertNotContains(response, "/results/")


def test_robots_txt_points_at_the_sitemap_and_keeps_private_pages_out(seeded, client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assertContains(response, "Sitemap: http://testserver/sitemap.xml")
    assertContains(response, "Disallow: /admin/")
    assertContains(response, "Disallow: /results/")
    assertContains(response, "Disallow: /questionnaire/*/question/")
    assertContains(response, "Disallow: /questionnaire/*/review/")


def test_no_third_party_requests(seeded, client):
    page = soup(client.get("/"))
    for tag, attribute in [("link", "href"), ("script", "src"), ("img", "src")]:
        for element in page.find_all(tag, attrs={attribute: True}):
            url = element[attribute]
            assert url.startswith("/") or url.startswith("http://testserver/"), element


def test_unknown_address_gets_the_styled_404(seeded, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertContains(response, "We couldn’t find that page", status_code=404)
    assertContains(response, "/static/css/site.css", status_code=404)


def test_styled_500_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"/static/css/site.css" in response.content


def test_draft_items_and_sections_never_reach_readers(seeded, client):
    Item.objects.filter(slug="reason-stressed").update(
        is_published=False, title="SECRET DRAFT ITEM"
    )
    Section.objects.filter(kind="signs").update(is_published=False, title="SECRET DRAFT SECTION")
    publish()
    body = client.get("/").content.decode()
    assert "SECRET DRAFT" not in body
    assert "sign-gaslighting" not in body
    page = soup(client.get("/"))
    titles = [text_of(h) for h in page.select("#reasons h3")]
    assert titles[1] == "2) He’s not 100% sure about the relationship"


def test_an_unpublished_article_is_not_found(seeded, client):
    seeded.is_published = False
    seeded.save()
    assert client.get("/").status_code == 200, "readers keep the live version until publishing"
    publish()
    assert client.get("/").status_code == 404
    assert b"<loc>http://testserver/</loc>" not in client.get("/sitemap.xml").content


def test_other_articles_have_their_own_address(seeded, client):
    from .factories import make_article

    other = make_article(title="Another article", slug="another")
    publish()
    assertContains(client.get("/read/another/"), '<h1 id="article-title">Another article</h1>')
    assert client.get(other.get_absolute_url()).status_code == 200
    response = client.get(f"/read/{seeded.slug}/")
    assert response.status_code == 301 and response["Location"] == "/"


def test_post_is_refused(seeded, client):
    assert client.post("/").status_code == 405


def count_queries(client, path="/", *, kept=False):
    """Queries for the page; unless `kept`, as a worker that has not kept the page whole
    (config/page_cache.py) would answer it."""
    if not kept:
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_article_page_queries_do_not_grow_with_the_number_of_items(seeded, client):
    """Cold: which version is live, then its content. Warm: which version is live. Both
    also ask when the next version is scheduled, for the page cache. Kept: none."""
    from django.core.cache import cache

    cold = count_queries(client)
    warm = count_queries(client)
    assert (cold, warm) == (3, 2)
    assert count_queries(client, kept=True) == 0
    reasons = Section.objects.get(kind="reasons")
    for n in range(20):
        make_item(section=reasons, slug=f"extra-{n}")
    publish()
    cache.clear()
    assert count_queries(client) == cold
    assert count_queries(client) == warm
    assert count_queries(client, kept=True) == 0


def test_a_saved_edit_stays_a_draft_until_published(seeded, client):
    client.get("/")  # the page is now cached
    item = Item.objects.get(slug="reason-falling-for-you")
    item.body = "A completely **new** first paragraph."
    item.save()
    response = client.get("/")
    assertNotContains(response, "A completely <strong>new</strong> first paragraph.")
    assertContains(response, "See, we said this wasn’t going to be")
    publish()
    response = client.get("/")
    assertContains(response, "A completely <strong>new</strong> first paragraph.")
    assertNotContains(response, "See, we said this wasn’t going to be")


def test_the_article_answers_conditional_requests_with_304(seeded, client):
    first = client.get("/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "s-maxage=10" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert len(queries) == 0  # kept whole (config/page_cache.py)
    caches["pages"].clear()  # as a worker that has not kept it
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert len(queries) == 1  # which version is live, nothing rendered
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_published_edit_changes_the_etag_at_once(seeded, client):
    etag = client.get("/")["ETag"]
    item = Item.objects.get(slug="reason-stressed")
    item.title = "A new title"
    item.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304, "still a draft"
    publish()
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assertContains(response, "A new title")
