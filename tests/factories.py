"""Tiny builders: each sets only what a test does not care about."""

from itertools import count

from advice.kinds import ItemKind
from advice.models import Article, Item, Section

_numbers = count(1)


def make_article(**fields) -> Article:
    n = next(_numbers)
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("meta_description", "A test article.")
    fields.setdefault("is_published", True)
    return Article.objects.create(**fields)


def make_section(**fields) -> Section:
    n = next(_numbers)
    if "article" not in fields:
        fields["article"] = make_article()
    fields.setdefault("kind", ItemKind.REASONS)
    fields.setdefault("title", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    fields.setdefault("position", n)
    fields.setdefault("is_published", True)
    return Section.objects.create(**fields)


def make_item(**fields) -> Item:
    n = next(_numbers)
    if "section" not in fields:
        fields["section"] = make_section()
    fields.setdefault("title", f"Item {n}")
    fields.setdefault("slug", f"item-{n}")
    fields.setdefault("body", f"Body of item {n}.")
    fields.setdefault("position", n)
    fields.setdefault("is_published", True)
    return Item.objects.create(**fields)
