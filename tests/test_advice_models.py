"""The article's rows: ordering, visibility and the dates readers see."""

import pytest
from django.db import IntegrityError

from advice.models import Article, Item, Section, reading_minutes

from .factories import make_article, make_item, make_section

pytestmark = pytest.mark.django_db


def test_sections_and_items_are_ordered_by_position():
    article = make_article()
    later = make_section(article=article, kind="ways", position=20, slug="b")
    earlier = make_section(article=article, kind="reasons", position=10, slug="a")
    assert list(article.sections.all()) == [earlier, later]
    second = make_item(section=earlier, position=2)
    first = make_item(section=earlier, position=1)
    assert list(earlier.items.all()) == [first, second]


def test_published_items_need_a_published_section_and_article():
    visible = make_item()
    make_item(is_published=False)
    make_item(section=make_section(is_published=False))
    make_item(section=make_section(article=make_article(is_published=False)))
    assert list(Item.objects.published()) == [visible]


def test_article_public_sections_leave_out_drafts():
    article = make_article()
    section = make_section(article=article)
    make_section(article=article, kind="signs", is_published=False)
    shown = make_item(section=section)
    make_item(section=section, is_published=False)
    (only,) = article.public_sections
    assert only == section
    assert only.public_items == [shown]


def test_ticking_published_on_a_draft_does_not_set_first_published():
    """Readers see an article when a version holding it goes live, not when a draft is
    saved: "first published" waits for that (tests/test_first_published.py)."""
    article = make_article(is_published=False)
    article.is_published = True
    article.save()
    assert Article.objects.get(pk=article.pk).published_at is None


def test_new_sections_and_items_start_published():
    section = Section.objects.create(article=make_article(), kind="reasons", title="S", slug="s")
    item = Item.objects.create(section=section, title="I", slug="i", body="Body.")
    assert section.is_published and item.is_published


def test_the_next_position_is_one_after_the_last():
    article = make_article()
    assert article.next_section_position() == 1
    section = make_section(article=article, position=30)
    make_section(article=article, kind="ways", position=10)
    assert article.next_section_position() == 31
    assert section.next_item_position() == 1
    make_item(section=section, position=7)
    make_item(section=make_section(article=article, kind="signs"), position=99)
    assert section.next_item_position() == 8


def test_saving_or_deleting_an_item_touches_the_article():
    item = make_item()
    article = item.section.article
    stamps = [Article.objects.get(pk=article.pk).updated_at]
    item.save()
    stamps.append(Article.objects.get(pk=article.pk).updated_at)
    item.delete()
    stamps.append(Article.objects.get(pk=article.pk).updated_at)
    assert stamps == sorted(stamps) and len(set(stamps)) == 3


def test_one_section_of_each_kind_per_article():
    article = make_article()
    make_section(article=article, kind="reasons")
    with pytest.raises(IntegrityError):
        make_section(article=article, kind="reasons")


def test_item_slugs_are_unique_across_the_site():
    make_item(slug="same")
    with pytest.raises(IntegrityError):
        make_item(slug="same")


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (100, 1), (220, 1), (3276, 15)])
def test_reading_time(words, minutes):
    assert reading_minutes(words) == minutes


def test_absolute_urls():
    home = make_article(is_home=True, slug="home")
    other = make_article(slug="other")
    section = make_section(article=home, slug="reasons")
    item = make_item(section=section, slug="reason-x")
    assert home.get_absolute_url() == "/"
    assert other.get_absolute_url() == "/read/other/"
    assert section.get_absolute_url() == "/#reasons"
    assert item.get_absolute_url() == "/#reason-x"
    assert str(item) == item.title and str(section) == section.title


def test_section_kinds_match_the_article_structure():
    """The values rows and published releases store: they never change."""
    assert [kind for kind, _label in Section._meta.get_field("kind").choices] == [
        "introduction",
        "reasons",
        "ways",
        "signs",
        "closing",
    ]
