"""Editors change the article in Django admin and readers see it on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from advice.models import Article, Item, Section

from .editing import approve_in_admin, publish_in_admin
from .html import soup

pytestmark = pytest.mark.django_db


def test_admin_requires_a_staff_login(client, seeded):
    response = client.get("/admin/advice/item/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/advice/article/",
        "/admin/advice/article/1/change/",
        "/admin/advice/section/",
        "/admin/advice/section/2/change/",
        "/admin/advice/item/",
        "/admin/advice/item/?q=space",
        "/admin/advice/item/?section__id__exact=3&is_published__exact=1",
        "/admin/advice/item/1/change/",
        "/admin/advice/item/add/",
    ],
)
def test_editor_pages_open(editor_client, seeded, path):
    assert editor_client.get(path).status_code == 200


def test_item_form_uses_the_markdown_editor_with_live_preview(editor_client, seeded):
    response = editor_client.get("/admin/advice/item/1/change/")
    assertContains(response, "markdownx-editor")
    assertContains(response, 'data-markdownx-urls-path="/markdownx/markdownify/"')
    assertContains(response, "markdownx/js/markdownx")


def test_section_page_edits_its_items_inline_with_the_markdown_editor(editor_client, seeded):
    page = soup(editor_client.get("/admin/advice/section/2/change/"))
    editors = [textarea["name"] for textarea in page.select("textarea.markdownx-editor")]
    # intro, outro, their Spanish, the section's five items, and the blank form "Add another
    # item" copies
    assert editors == ["intro", "outro", "intro_es", "outro_es",
                       *[f"items-{n}-body" for n in range(5)], "items-__prefix__-body"]  # fmt: skip


def test_view_on_site_points_at_the_item_anchor(editor_client, seeded):
    item = Item.objects.get(slug="reason-stressed")
    assert item.get_absolute_url() == "/#reason-stressed"
    assertContains(editor_client.get(f"/admin/advice/item/{item.pk}/change/"), "View on site")


ITEM_CHANGELIST_QUERIES = 6


def test_item_changelist_queries_do_not_grow_with_items(editor_client, seeded):
    def count():
        with CaptureQueriesContext(connection) as queries:
            editor_client.get("/admin/advice/item/")
        return len(queries)

    before = count()
    # User, the two filters' choices (articles, sections), the count, the total, the rows
    # with their sections joined. The session comes from the cache.
    assert before == ITEM_CHANGELIST_QUERIES
    Item.objects.bulk_create(
        Item(section_id=2, title=f"Extra {n}", slug=f"extra-{n}", body="x", position=100 + n)
        for n in range(30)
    )
    assert count() == before


def item_form_data(item: Item, **changes) -> dict:
    data = {
        "section": item.section_id,
        "position": item.position,
        "title": item.title,
        "slug": item.slug,
        "body": item.body,
        "is_published": "on" if item.is_published else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_admin_edit_changes_the_public_page(editor_client, client, seeded):
    assertContains(client.get("/"), "He’s stressed and none of this is about you")
    item = Item.objects.get(slug="reason-stressed")
    response = editor_client.post(
        f"/admin/advice/item/{item.pk}/change/",
        item_form_data(item, title="Work is swallowing him whole", body="He is *exhausted*."),
    )
    assert response.status_code == 302
    assertNotContains(client.get("/"), "Work is swallowing him whole")  # a draft, so far
    publish_in_admin(editor_client, note="Reworded reason 2")
    page = client.get("/")
    assertContains(page, "2)</span> Work is swallowing him whole")
    assertContains(page, "He is <em>exhausted</em>.")


def test_unpublishing_in_admin_hides_the_item(editor_client, second_editor, client, seeded):
    item = Item.objects.get(slug="sign-old-flame")
    editor_client.post(
        f"/admin/advice/item/{item.pk}/change/", item_form_data(item, is_published="")
    )
    approve_in_admin(second_editor)  # a walk-away sign: safety-critical
    publish_in_admin(editor_client)
    assert "sign-old-flame" not in client.get("/").content.decode()


def test_an_edit_moves_the_last_updated_date(editor_client, seeded):
    before = Article.objects.get().updated_at
    section = Section.objects.get(kind="closing")
    section.intro = "New closing words."
    section.save()
    assert Article.objects.get().updated_at > before


def test_a_second_front_page_is_refused_with_a_clear_message(editor_client, seeded):
    response = editor_client.post(
        "/admin/advice/article/add/",
        {
            "title": "Another",
            "slug": "another",
            "meta_description": "x",
            "is_published": "on",
            "is_home": "on",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        },
    )
    assertContains(response, "Another article is already the front page.")
