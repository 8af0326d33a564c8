"""The article with her answers in mind: under her private result address, the article of
her version with the items her result picked marked, and a short jump list to them. The
public article stays the same bytes for everyone, and cacheable."""

import pytest
from django.conf import settings
from django.test import Client

from advice.models import Item
from advice.releases import publish

from .html import soup, text_of
from .quiz_helpers import (
    LEFT_WITH_WARNING_SIGNS,
    STRESSED_BUT_TOGETHER,
    queries_cold_then_warm,
    take,
)
from .test_quiz_queries import add_more_items_and_rules

pytestmark = pytest.mark.django_db


def her_items(client, result: str) -> list[str]:
    """The items her result page shows, by slug, in its order."""
    ids = [item["id"] for item in soup(client.get(result)).select(".result-item")]
    return [i.removeprefix("result-") for i in ids]


def test_the_result_page_links_to_the_article_with_her_answers_in_mind(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    link = soup(client.get(result)).find("a", string="The article, marked for you")
    assert link["href"] == result + "article/"


@pytest.mark.parametrize("path", [STRESSED_BUT_TOGETHER, LEFT_WITH_WARNING_SIGNS])
def test_it_marks_exactly_the_items_her_result_picked(client, questionnaire, path):
    result = take(client, path)
    picked = her_items(client, result)
    page = soup(client.get(result + "article/"))
    marked = [item["id"] for item in page.select(".item--picked")]
    assert sorted(marked) == sorted(picked) and len(picked) >= 4
    for item in page.select(".item--picked"):
        assert text_of(item.select_one(".item__picked")) == "Picked for your answers"
    unmarked = page.select(".item:not(.item--picked)")
    assert unmarked and all(item.select_one(".item__picked") is None for item in unmarked)
    # Every item of the article is there, marked or not.
    assert len(marked) + len(unmarked) == Item.objects.filter(is_published=True).count()


def test_the_jump_list_links_to_her_items_in_reading_order(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    page = soup(client.get(result + "article/"))
    jump = page.select_one("nav.toc--picked")
    assert text_of(jump.h2) == "Picked for your answers"
    targets = [a["href"].removeprefix("#") for a in jump.select("a")]
    in_reading_order = [item["id"] for item in page.select(".item--picked")]
    assert targets == in_reading_order
    assert "reason-stressed" in targets
    for a in jump.select("a"):
        target = page.find(id=a["href"].removeprefix("#"))
        title = text_of(target.select_one(".item__title"))
        assert text_of(a) == title  # "2) He’s stressed and none of this is about you"
    # Under the titles of the sections that hold them, as the article names them.
    sections = [li.contents[0].strip() for li in jump.select(".toc__sections > li")]
    holding = [
        text_of(section.select_one(".section__title"))
        for section in page.select(".section")
        if section.select_one(".item--picked")
    ]
    assert (
        sections
        == holding
        == [
            "5 reasons he is pushing you away even though he loves you",
            "How to handle your man pulling away",
        ]
    )


def test_it_is_private_like_the_result(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    response = client.get(result + "article/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert soup(response).find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert not response.has_header("ETag")
    # No canonical link or structured data naming this address as the article.
    assert soup(response).find("link", rel="canonical") is None


def test_anyone_with_the_link_can_read_it_as_she_can(client, questionnaire):
    """Like her result: the address is the key, and what it shows does not depend on who
    holds it."""
    result = take(client, STRESSED_BUT_TOGETHER)
    hers = soup(client.get(result + "article/")).select_one("article")
    someone = soup(Client().get(result + "article/")).select_one("article")
    assert str(hers) == str(someone)


def public_article(client_):
    response = client_.get("/")
    assert response.status_code == 200
    return response


def test_the_public_article_stays_the_same_bytes_for_everyone(client, questionnaire):
    before = public_article(Client())
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    client.get(result + "article/")  # her marked article, rendered first
    for reader in (client, Client()):
        after = public_article(reader)
        assert after.content == before.content
        assert b"item--picked" not in after.content
        assert b"Picked for your answers" not in after.content
        assert after["ETag"] == before["ETag"]


def test_the_public_article_is_still_cacheable(client, questionnaire):
    result = take(client, STRESSED_BUT_TOGETHER)
    client.get(result + "article/")
    response = public_article(client)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert f"s-maxage={settings.SHARED_CACHE_SECONDS}" in cache_control
    assert "no-store" not in cache_control
    again = client.get("/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_it_is_the_article_of_the_version_that_scored_her(client, questionnaire):
    """Editors retitle one of her items and publish: her page keeps the words she was
    shown; the public article shows the new ones."""
    result = take(client, STRESSED_BUT_TOGETHER)
    Item.objects.filter(slug="reason-stressed").update(title="A newer title")
    publish()
    page = soup(client.get(result + "article/"))
    stressed = page.select_one("#reason-stressed .item__title")
    assert "He’s stressed" in text_of(stressed) and "newer" not in text_of(stressed)
    assert "A newer title" in public_article(client).content.decode()


def test_no_such_result_is_a_404(client, questionnaire):
    assert client.get("/results/" + "x" * 43 + "/article/").status_code == 404


# The quiz session by its token, with its version's number (1). Her result page comes
# from the cache; the article from the version the worker keeps parsed. No Django session:
# the page is the same for whoever holds the link.
ARTICLE_GET = 1
# With nothing cached or parsed: the version's content too (1).
ARTICLE_GET_COLD = 2


def article_queries(client) -> tuple[int, int]:
    return queries_cold_then_warm(client, take(client, STRESSED_BUT_TOGETHER) + "article/")


def test_the_article_under_her_result_takes_a_query_or_two(client, questionnaire):
    assert article_queries(client) == (ARTICLE_GET_COLD, ARTICLE_GET)


def test_its_queries_do_not_grow_with_items(client, questionnaire):
    add_more_items_and_rules()
    assert article_queries(client) == (ARTICLE_GET_COLD, ARTICLE_GET)
