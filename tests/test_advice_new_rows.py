"""A new section or item starts published, after the last one of its article or section.

Issue 11, part 4: an editor who adds a row means readers to see it, in the place she adds
it. Left unticked by default, it used to be silently missing from the next version.
"""

import pytest

from advice.models import Item

from .admin_forms import form_data
from .factories import make_article, make_section
from .html import soup

pytestmark = pytest.mark.django_db


def last_position(rows) -> int:
    return max(row.position for row in rows)


def test_a_new_section_for_a_known_article_shows_the_next_position_and_published(
    editor_client, seeded
):
    response = editor_client.get(f"/admin/advice/section/add/?article={seeded.pk}")
    data = form_data(response)
    assert data["position"] == [str(last_position(seeded.sections.all()) + 1)]
    assert data["is_published"] == ["on"]


def test_a_new_item_left_without_a_position_is_saved_after_the_last(editor_client, seeded):
    section = seeded.sections.get(kind="reasons")
    last = last_position(section.items.all())
    url = "/admin/advice/item/add/"
    data = form_data(editor_client.get(url))
    assert data["is_published"] == ["on"]
    data.update(
        {
            "section": [str(section.pk)],
            "position": [""],
            "title": ["He needs time to think"],
            "slug": ["reason-time-to-think"],
            "body": ["Some men go quiet to think."],
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    item = Item.objects.get(slug="reason-time-to-think")
    assert (item.position, item.is_published) == (last + 1, True)
    assert list(section.items.all())[-1] == item


def test_sections_added_on_the_articles_page_without_positions_go_last(editor_client):
    """As "Add another" sends a row when JavaScript is off: no position, published."""
    article = make_article()
    make_section(article=article, kind="reasons", position=7)
    url = f"/admin/advice/article/{article.pk}/change/"
    data = form_data(editor_client.get(url))
    data["sections-TOTAL_FORMS"] = ["3"]
    for row, kind in ((1, "ways"), (2, "signs")):
        data.update(
            {
                f"sections-{row}-position": [""],
                f"sections-{row}-title": [f"New {kind}"],
                f"sections-{row}-kind": [kind],
                f"sections-{row}-slug": [kind],
                f"sections-{row}-is_published": ["on"],
            }
        )
    response = editor_client.post(url, data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    positions = dict(article.sections.values_list("kind", "position"))
    assert positions["ways"] == positions["signs"] == 8
    assert [s.kind for s in article.sections.all()] == ["reasons", "ways", "signs"]


def test_the_add_another_row_starts_published_with_its_position_left_to_the_page(
    editor_client, seeded
):
    page = soup(editor_client.get(f"/admin/advice/article/{seeded.pk}/change/"))
    published = page.select_one("input[name='sections-__prefix__-is_published']")
    assert published.has_attr("checked")
    position = page.select_one("input[name='sections-__prefix__-position']")
    assert position.get("value", "") == ""
    # The script that fills it in with the next number (tests/browser/test_admin_editing.py).
    assert page.select_one("script[src$='advice/admin-positions.js']") is not None
