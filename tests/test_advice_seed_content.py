"""The shipped fixture carries the whole seed article, and the page shows all of it."""

import pytest
from django.core.management import call_command

from advice.models import Article, Item, Section

from .html import soup, text_of
from .seed import SEED_PATH, seed_headings, seed_title, seed_word_count

pytestmark = pytest.mark.django_db


def test_the_seed_has_31_headings():
    """4 section headings (the introduction has none) and 5 + 14 + 8 numbered items."""
    assert len(seed_headings()) == 31


def test_the_committed_seed_matches_the_shared_one():
    shared = SEED_PATH.parents[2] / "shared" / "seed" / "article.txt"
    if not shared.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert SEED_PATH.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")


def test_fixture_loads_one_article_five_sections_and_27_items(seeded):
    assert Article.objects.count() == 1
    assert list(Section.objects.values_list("kind", flat=True)) == [
        "introduction",
        "reasons",
        "ways",
        "signs",
        "closing",
    ]
    counts = {s.kind: s.items.count() for s in Section.objects.all()}
    assert counts == {"introduction": 0, "reasons": 5, "ways": 14, "signs": 8, "closing": 0}
    assert Item.objects.count() == 27


def test_every_heading_of_the_seed_and_its_title_appear_on_the_page(seeded, client):
    page = soup(client.get("/"))
    assert text_of(page.h1) == seed_title()
    shown = [text_of(h) for h in page.main.select("section h2, section h3")]
    missing = [heading for heading in seed_headings() if heading not in shown]
    assert missing == []


def test_the_page_keeps_the_seed_word_count_within_two_percent(seeded, client):
    page = soup(client.get("/"))
    article = page.main.article
    for not_seed_text in article.select(".article__meta, .invitation, nav, .back-to-top"):
        not_seed_text.decompose()
    # The introduction's heading exists for screen readers only; the seed has none.
    article.select_one("#introduction-title").decompose()
    shown = len(article.get_text(" ").split())
    assert abs(shown - seed_word_count()) <= 0.02 * seed_word_count(), (shown, seed_word_count())


def test_every_paragraph_of_the_seed_is_on_the_page(seeded, client):
    page_text = " ".join(soup(client.get("/")).main.get_text(" ").split())
    paragraphs = [line for line in SEED_PATH.read_text(encoding="utf-8").splitlines() if line]
    missing = [p for p in paragraphs[1:] if " ".join(p.split()) not in page_text]
    assert missing == []


def test_loading_the_seed_twice_changes_nothing_editors_did(seeded):
    item = Item.objects.get(slug="reason-stressed")
    item.title = "Edited by an editor"
    item.save()
    call_command("load_seed_content", verbosity=0)
    item.refresh_from_db()
    assert item.title == "Edited by an editor"
    assert Item.objects.count() == 27


def test_load_seed_content_fills_an_empty_database(db):
    call_command("load_seed_content", verbosity=0)
    assert Item.objects.count() == 27
