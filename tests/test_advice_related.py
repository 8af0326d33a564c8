"""Related articles: chosen by editors in admin, kept in history, published with the
article, and shown at its end, only when readers of the same version can open them."""

import pytest
from pytest_django.asserts import assertContains

from advice.models import Article, Release
from advice.releases import changes, live_content, preview_content, publish

from .admin_forms import form_data, submit
from .editing import publish_in_admin
from .factories import make_article, make_item, make_section
from .html import soup, text_of
from .moments import SEED_PUBLISHED_AT

pytestmark = pytest.mark.django_db


def an_article(title: str, slug: str, **fields) -> Article:
    article = make_article(title=title, slug=slug, **fields)
    make_item(section=make_section(article=article))
    return article


def related_shown(client, path: str) -> list[tuple[str, str]]:
    section = soup(client.get(path)).select_one("section[aria-labelledby=related-title]")
    if section is None:
        return []
    assert text_of(section.h2) == "Related articles"
    return [(text_of(a), a["href"]) for a in section.select(".article-card__title a")]


def test_an_editor_picks_related_articles_in_admin_and_readers_see_them(
    seeded, editor_client, client
):
    calm = an_article("Staying calm", "staying-calm")
    space = an_article("Giving space", "giving-space")
    url = f"/admin/advice/article/{seeded.pk}/change/"
    offered = soup(editor_client.get(url)).select("select[name=related] option")
    assert {option.text for option in offered} == {"Staying calm", "Giving space"}, "not itself"

    response = submit(editor_client, url, related=[str(space.pk), str(calm.pk)])
    assert response.status_code == 302
    assert set(seeded.related.all()) == {calm, space}
    assert related_shown(client, "/") == [], "saved, not yet published"

    publish_in_admin(editor_client)
    assert related_shown(client, "/") == [
        ("Giving space", "/read/giving-space/"),
        ("Staying calm", "/read/staying-calm/"),
    ]
    assert related_shown(client, "/read/staying-calm/") == [], "one way only"


def test_an_article_cannot_be_related_to_itself_even_when_sent(seeded, editor_client):
    url = f"/admin/advice/article/{seeded.pk}/change/"
    response = submit(editor_client, url, related=[str(seeded.pk)])
    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assert not seeded.related.exists()


def test_history_keeps_the_related_articles_of_each_version(seeded, editor_client):
    calm = an_article("Staying calm", "staying-calm")
    url = f"/admin/advice/article/{seeded.pk}/change/"
    assert submit(editor_client, url, related=[str(calm.pk)]).status_code == 302
    assert submit(editor_client, url, related=None).status_code == 302

    versions = list(seeded.history.order_by("history_id"))
    linked = [{row.to_article_id for row in version.related.all()} for version in versions]
    assert {calm.pk} in linked
    assert linked[-1] == set(), "the latest version has none"
    page = soup(editor_client.get(f"/admin/advice/article/{seeded.pk}/history/"))
    assert "Related articles: [] → [Staying calm]" in text_of(page.select_one("#change-history"))


def test_a_related_article_that_is_not_published_is_skipped(seeded, client):
    shown = an_article("Shown", "shown")
    hidden = an_article("Hidden", "hidden", is_published=False)
    seeded.related.set([shown, hidden])
    publish()
    assert related_shown(client, "/") == [("Shown", "/read/shown/")]
    assert live_content().home.related == (shown.pk,)

    Article.objects.filter(pk=shown.pk).update(is_published=False)
    publish()
    page = soup(client.get("/"))
    assert page.select_one("#related-title") is None
    assert page.select_one(".article__footer") is None


def test_an_id_the_version_does_not_hold_is_skipped_when_read(seeded, client):
    """A release names related articles by id; one it does not publish never shows."""
    content = Release.objects.live().first().content
    content["articles"][0]["related"] = [987654, content["articles"][0]["id"]]
    Release.objects.create(content=content, go_live_at=SEED_PUBLISHED_AT)
    assert client.get("/").status_code == 200
    assert related_shown(client, "/") == []


def test_a_release_from_before_related_articles_reads_with_none(seeded, client):
    content = Release.objects.live().first().content
    del content["articles"][0]["related"]
    Release.objects.create(content=content, go_live_at=SEED_PUBLISHED_AT)
    assert live_content().home.related == ()
    assert client.get("/").status_code == 200


def said_changes() -> list[str]:
    return [str(change) for change in changes(live_content(), preview_content())]


def test_the_publish_page_says_when_related_articles_change(seeded, editor_client):
    calm = an_article("Staying calm", "staying-calm")
    publish()
    seeded.related.set([calm])
    assert said_changes() == [f"“{seeded.title}”: related articles now “Staying calm”"]
    response = editor_client.get("/admin/advice/release/add/")
    assertContains(response, "related articles now “Staying calm”")
    publish()
    seeded.related.clear()
    assert said_changes() == [f"“{seeded.title}”: related articles now none"]
    publish()
    seeded.related.set([an_article("A draft", "a-draft", is_published=False)])
    assert said_changes() == [], "readers would see no change"


def test_changing_related_articles_does_not_change_last_updated(seeded, client, clock):
    """ "Last updated" dates the article's words; the list beside it is not one of them."""
    calm = an_article("Staying calm", "staying-calm")
    seeded.related.set([calm])
    publish()
    assert soup(client.get("/")).select_one(".article__meta time")["datetime"] == "2026-11-24"


def test_a_release_from_before_the_key_does_not_move_last_updated_on_the_next_publish(
    seeded, client, clock
):
    """The first publish after this feature shipped must not date every article anew."""
    content = Release.objects.live().first().content
    del content["articles"][0]["related"]
    Release.objects.create(content=content, go_live_at=SEED_PUBLISHED_AT)
    publish()
    assert soup(client.get("/")).select_one(".article__meta time")["datetime"] == "2026-11-24"


def test_the_preview_shows_related_articles_of_the_draft(seeded, editor_client):
    calm = an_article("Staying calm", "staying-calm")
    seeded.related.set([calm])
    assert related_shown(editor_client, "/admin/advice/release/preview/") == [
        ("Staying calm", "/read/staying-calm/")
    ]
    assert form_data(editor_client.get(f"/admin/advice/article/{seeded.pk}/change/"))[
        "related"
    ] == [str(calm.pk)]
