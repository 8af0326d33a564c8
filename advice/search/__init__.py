"""Search over what readers can read: one interface, each database's own text search.

`search(query, limit)` finds the live release's article titles, section texts and items,
best first, with the matched words marked in a short excerpt. `index_release(release)`
writes a release's searchable texts (`SearchEntry`) and words (`SearchWord`); it runs when
a release is created, so a scheduled release is searchable the moment it goes live, with
nobody at the keyboard. A release published before search existed is indexed by the
first search that finds nothing in it (the seed's first version, on an existing site).

Only releases are indexed, never the draft: readers find what they can read, and a
search result never names an item that its link does not show.

Each language of the site is indexed as its readers read the release (`read_content` in
that language): a Spanish reader finds an article by its Spanish once its translation is
published, and before that by the English her /es/ address shows, marked lang="en" in
the results. Each row says whose search finds it and what language its words are in,
which picks the stemmer. Releases from before translations are English in every language.

The text search itself is the database's (`sqlite.py`: FTS5; `postgres.py`: tsvector and
pg_trgm); both take the same parsed query (`text.parse`) and return the same rows. When
nothing matches as typed, misspelt words are replaced by the closest words the release
contains, and the results say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from config.languages import site_languages

from ..models import Release, SearchEntry, SearchWord
from ..releases import PublishedContent, read_content
from ..translation import SOURCE_LANGUAGE, Html, Text, active_language
from . import postgres, sqlite
from .text import as_query, marked, parse, plain_text, vocabulary, with_words_replaced

BACKENDS = {"sqlite": sqlite, "postgresql": postgres}
# Words of one query that are tried for a correction: a long query of misspellings
# costs no more than this.
MOST_WORDS_CORRECTED = 5


@dataclass(frozen=True)
class Hit:
    # Texts carry their language (`Text`, `Html`): English in a Spanish page is marked.
    article_title: Text
    title: SafeString  # the item's, section's or article's title, matches marked
    excerpt: SafeString  # a few plain-text words around the matches, matches marked
    url: str  # the article, at the item's or section's anchor, in the reader's language
    is_article: bool  # the article itself matched (its title or description)


@dataclass(frozen=True)
class Results:
    query: str  # what was searched for, cleaned
    hits: tuple[Hit, ...]
    total: int  # how many matched; `hits` holds the best few
    corrected: str = ""  # the query searched instead, when nothing matched as typed


def backend():
    return BACKENDS[connection.vendor]


def written_in(title, *bodies) -> str:
    """The language of an entry's words: its body's, or its title's when the body has
    none. A partly translated item (a Spanish title over an English body) is read as its
    body's language, which holds most of its words."""
    texts = [text for text in bodies if text.strip()] or [title]
    return getattr(texts[0], "lang", SOURCE_LANGUAGE)


def entries(release: Release, content: PublishedContent) -> list[SearchEntry]:
    """Every searchable text of a release as readers of `content.language` read it, as
    plain text."""
    found = []

    def entry(place: dict, title, *bodies, anchor: str = "") -> SearchEntry:
        body = " ".join(plain_text(text) for text in bodies).strip()
        text_language = written_in(title, *bodies)
        return SearchEntry(
            **place, anchor=anchor, title=str(title), body=body, text_language=text_language
        )

    for article in content.articles:
        place = {
            "release": release,
            "language": content.language,
            "article_title": str(article.title),
            "article_slug": article.slug,
            "is_home": article.is_home,
        }
        found.append(entry(place, article.title, article.meta_description))
        for section in article.public_sections:
            texts = (section.title, section.intro_html, section.outro_html)
            found.append(entry(place, *texts, anchor=section.slug))
            found += [
                entry(place, item.title, item.body_html, anchor=item.slug)
                for item in section.public_items
            ]
    return found


@transaction.atomic
def index_release(release: Release) -> None:
    """Write a release's searchable texts and words in every language (again, if it had
    them), and drop those of releases readers can no longer see."""
    SearchEntry.objects.filter(release=release).delete()
    SearchWord.objects.filter(release=release).delete()
    for language in site_languages():
        # Not kept: workers parse on use.
        found = entries(release, read_content(release, language))
        words = vocabulary(text for entry in found for text in (entry.title, entry.body))
        SearchEntry.objects.bulk_create(found, batch_size=500)
        SearchWord.objects.bulk_create(
            [SearchWord(release=release, language=language, word=word) for word in sorted(words)],
            batch_size=1000,
        )
    backend().write(release.pk)
    visible = [release.pk, *Release.objects.scheduled().values_list("pk", flat=True)]
    live = Release.objects.live().values_list("pk", flat=True).first()
    old = SearchEntry.objects.exclude(release_id__in=[*visible, live])
    old.delete()
    SearchWord.objects.exclude(release_id__in=[*visible, live]).delete()


@receiver(post_save, sender=Release, dispatch_uid="advice.search.index_new_release")
def index_new_release(sender, instance: Release, created: bool, raw: bool, **kwargs) -> None:
    if created and not raw:  # releases are never changed, and fixtures are loaded raw
        index_release(instance)


def index_if_missing(release: Release, language: str = SOURCE_LANGUAGE) -> bool:
    """Index a release published before search existed (or before search had
    `language`); True if it was missing."""
    indexed = SearchEntry.objects.filter(release=release, language=language)
    if indexed.exists():
        return False
    with transaction.atomic():
        # One request at a time indexes it (the row lock); the others then find it done.
        Release.objects.select_for_update().filter(pk=release.pk).values_list("pk").first()
        if indexed.exists():
            return False
        index_release(release)
        return True


def article_url(row: dict) -> str:
    if row["is_home"]:
        return reverse("advice:home")
    return reverse("advice:article", args=[row["article_slug"]])


def hit(row: dict) -> Hit:
    url = article_url(row)
    lang = row["text_language"]
    return Hit(
        article_title=Text(row["article_title"], lang),
        title=Html(marked(row["title_marked"]), lang),
        excerpt=Html(marked(row["excerpt"]), lang),
        url=f"{url}#{row['anchor']}" if row["anchor"] else url,
        is_article=not row["anchor"],
    )


def search(
    query: str, limit: int = 20, release: Release | None = None, language: str | None = None
) -> Results:
    """The live release's best `limit` matches for a reader's query, and how many matched,
    in the reader's language (the active one unless given): results link to her
    language's addresses. A view that already looked up the live release passes it,
    saving the query."""
    language = language or active_language()
    terms = parse(query)
    asked = as_query(terms)
    if release is None:
        release = Release.objects.live().only("pk").first()
    if release is None or not terms:
        return Results(asked, (), 0)
    find = backend().find
    rows, total = find(release.pk, language, terms, limit)
    if not total and index_if_missing(release, language):
        rows, total = find(release.pk, language, terms, limit)
    corrected = ""
    if not total:
        words = sorted({w for t in terms if not t.excluded for w in t.words})
        replacements = backend().closest_words(release.pk, language, words[:MOST_WORDS_CORRECTED])
        if replacements:
            terms = with_words_replaced(terms, replacements)
            rows, total = find(release.pk, language, terms, limit)
            corrected = as_query(terms) if total else ""
    with translation.override(language):  # her language's addresses
        hits = tuple(map(hit, rows))
    return Results(asked, hits, total, corrected)
