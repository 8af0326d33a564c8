"""A draft article made from a parsed text (advice/paste.py): its rows, checked, then saved.

The article is saved unpublished, so readers see nothing of it until an editor ticks
"published" and publishes changes. Its sections and items are marked published (as new
rows in admin start), so that ticking the article is all it then takes.

Every row passes its model's `full_clean` before anything is saved, so the limits editors
meet in admin apply here too (titles' lengths, Markdown's size and depth,
advice/markdown.py), and each problem is reported with the row it is in. Then all rows
are saved in one transaction: an article is made whole or not at all.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext

from .kinds import ITEM_KIND_VALUES
from .models import SECTION_KIND_CHOICES, Article, Item, Section
from .paste import ParsedArticle, ParsedSection

KIND_LABELS = dict(SECTION_KIND_CHOICES)
# Positions count in tens, as in the seed, so that editors can put a row between two.
STEP = 10
# About what search engines show; editors shorten or rewrite it before publishing.
DESCRIPTION_CHARACTERS = 155
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"[*_`#>]+")


class DraftRefused(Exception):
    """The draft was not saved; `problems` says why, one line each, naming the row."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def suggested_kinds(sections: list[ParsedSection]) -> list[str]:
    """A kind for each section, for the editor to confirm: sections without items are the
    introduction (before the first list) and the closing (after one); a list whose title
    names a kind ("5 reasons ...") is of that kind, any other takes the next kind unused.
    "" where every fitting kind is taken."""
    taken: set[str] = set()
    kinds = []
    after_a_list = False
    for section in sections:
        if section.items:
            after_a_list = True
            words = set(re.findall(r"\w+", section.title.lower()))
            named = [kind for kind in ITEM_KIND_VALUES if {kind, kind[:-1]} & words]
            wanted = [*named, *ITEM_KIND_VALUES]
        else:
            wanted = ["closing" if after_a_list else "introduction"]
        kind = next((kind for kind in wanted if kind not in taken), "")
        taken.add(kind)
        kinds.append(kind)
    return kinds


def create_draft(parsed: ParsedArticle, kinds: list[str]) -> Article:
    """Save `parsed` as an unpublished article whose sections have these `kinds`, or raise
    DraftRefused with every problem found."""
    article, sections = draft_rows(parsed, kinds)
    problems = checked(article, gettext("The article"))
    for section, items in sections:
        where = gettext("Section “%(section)s”") % {"section": section.title}
        problems += checked(section, where, exclude=["article"])
        for item in items:
            name = gettext("Item “%(item)s” in Section “%(section)s”") % {
                "item": item.title,
                "section": section.title,
            }
            problems += checked(item, name, exclude=["section"])
    if problems:
        raise DraftRefused(problems)
    try:
        with transaction.atomic():
            article.save()
            for section, items in sections:
                section.article = article
                section.save()
                for item in items:
                    item.section = section
                    item.save()
    except IntegrityError:
        # Another editor took one of these addresses between the check and the save.
        raise DraftRefused([gettext("Another article or item was saved at the same moment with "
                                    "one of these addresses; save again.")]) from None  # fmt: skip
    return article


def draft_rows(parsed: ParsedArticle, kinds: list[str]):
    """The unsaved article, and each section with its items, slugs unique and positions
    in order."""
    article = Article(
        title=parsed.title,
        slug=unique_slug(parsed.title, set(Article.objects.values_list("slug", flat=True))),
        meta_description=description(parsed),
        is_published=False,
    )
    item_slugs = set(Item.objects.values_list("slug", flat=True))
    section_slugs: set[str] = set()
    sections = []
    for position, (part, kind) in enumerate(zip(parsed.sections, kinds, strict=True), start=1):
        title = part.title or KIND_LABELS.get(kind, "Introduction")
        section = Section(
            kind=kind,
            title=title,
            show_title=bool(part.title),
            slug=unique_slug(title, section_slugs),
            intro=part.intro,
            outro=part.outro,
            position=position * STEP,
            is_published=True,
        )
        items = [
            Item(
                title=item.title,
                slug=unique_slug(item.title, item_slugs),
                body=item.body,
                position=number * STEP,
                is_published=True,
            )
            for number, item in enumerate(part.items, start=1)
        ]
        sections.append((section, items))
    return article, sections


def unique_slug(title: str, taken: set[str], max_length: int = 100) -> str:
    """A slug from `title` that is not in `taken` (and is then taken)."""
    base = slugify(title)[: max_length - 4].strip("-") or "untitled"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base[: max_length - len(str(number)) - 1].strip('-')}-{number}"
    taken.add(slug)
    return slug


def description(parsed: ParsedArticle) -> str:
    """The text's first paragraph, short and without Markdown; the title if it has none."""
    first = next(paragraphs(parsed), parsed.title)
    plain = " ".join(MARKDOWN_MARKS.sub("", MARKDOWN_LINK.sub(r"\1", first)).split())
    return Truncator(plain or parsed.title).chars(DESCRIPTION_CHARACTERS)


def paragraphs(parsed: ParsedArticle):
    for section in parsed.sections:
        yield from section.intro_paragraphs
        for item in section.items:
            yield from item.paragraphs
        yield from section.outro_paragraphs


def checked(row, where: str, exclude: list[str] | None = None) -> list[str]:
    """The row's problems (its model's validation), each naming the row and the field."""
    try:
        row.full_clean(exclude=exclude)
    except ValidationError as error:
        return [
            gettext("%(row)s: %(problem)s") % {"row": where, "problem": message}
            if field == "__all__" else
            gettext("%(row)s, %(field)s: %(problem)s") % {
                "row": where, "field": row._meta.get_field(field).verbose_name, "problem": message
            }
            for field, messages in error.message_dict.items()
            for message in messages
        ]  # fmt: skip
    return []
