"""What publishing would leave out: rows of the draft that no release shows readers.

A release holds only what is marked published, under parents that are published too
(advice/releases.py). That rule is right, but it is silent: an item added unticked, a
section with nothing left in it, or an article with no items at all reach readers as a gap,
and nobody is told. The publish page lists these before the editor confirms.

The article's rows are listed here; other parts of a release add theirs through
`register_part(..., omissions=...)` (the questionnaire's are in quiz/omissions.py).
Each row is named with where it is, and links to its admin page.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from .kinds import ITEM_KIND_VALUES
from .models import Article, Section


@dataclass(frozen=True)
class Omission:
    text: str  # what is left out and why, naming it
    url: str  # its admin page, where an editor changes it


def omission(row, text: str) -> Omission:
    """`text` about `row`, linked to the row's admin page."""
    meta = row._meta
    return Omission(
        text, reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    )


def article_omissions() -> list[Omission]:
    """The articles' rows left out of a release, and what it would show empty (3 queries).

    A row left out takes its children with it: they are not listed one by one."""
    sections = Section.objects.order_by("position", "pk").prefetch_related("items")
    articles = Article.objects.order_by("-is_home", "pk").prefetch_related(
        Prefetch("sections", queryset=sections)
    )
    found = []
    for article in articles:
        if article.is_published:
            found += published_article_omissions(article)
        else:
            text = gettext(
                "Article “%(article)s” is not published: left out, with its sections."
            ) % {"article": article.title}
            found.append(omission(article, text))
    return found


def published_article_omissions(article: Article) -> list[Omission]:
    found, items_shown = [], 0
    for section in article.sections.all():
        where = {"section": section.title, "article": article.title}
        items = list(section.items.all())
        if not section.is_published:
            text = ngettext(
                "Section “%(section)s” in “%(article)s” is not published: left out, with its "
                "%(count)s item.",
                "Section “%(section)s” in “%(article)s” is not published: left out, with its "
                "%(count)s items.",
                len(items),
            ) % {**where, "count": len(items)}
            found.append(omission(section, text))
            continue
        shown = [item for item in items if item.is_published]
        items_shown += len(shown)
        found += [
            omission(
                item,
                gettext(
                    "Item “%(item)s” in “%(article)s › %(section)s” is not published: left out."
                )
                % {**where, "item": item.title},
            )
            for item in items
            if not item.is_published
        ]
        if section.kind in ITEM_KIND_VALUES and not shown:
            text = (
                gettext(
                    "Section “%(section)s” in “%(article)s” has no published items: readers see "
                    "its heading alone."
                )
                % where
            )
            found.append(omission(section, text))
        elif not shown and not (section.intro.strip() or section.outro.strip()):
            text = gettext("Section “%(section)s” in “%(article)s” is empty: it has no text.")
            found.append(omission(section, text % where))
    if items_shown == 0:
        text = gettext(
            "Article “%(article)s” has no published items: readers get a page of headings."
        ) % {"article": article.title}
        found.append(omission(article, text))
    return found
