"""Search on PostgreSQL: its full-text search through django.contrib.postgres.search.

- Word forms: each row is read with its texts' language's text search configuration
  (`CONFIGS`: Snowball stemmers and stop words). Spanish is `advice_spanish`, `spanish`
  with accents removed where the `unaccent` extension could be created (migration
  0014_search_languages). A Spanish reader's query is read twice, in Spanish for the
  Spanish rows and in English for the articles she reads in English; both conditions
  are on the one `document` GIN index (a BitmapOr).
- Queries: `websearch_to_tsquery`, which never fails on what a reader types.
- Ranking: `ts_rank` over `document`, the title weighted A and the body B, stored when a
  release is indexed and read through a GIN index (migration 0007_search).
- Excerpts: `ts_headline` on the title and the body, in the row's configuration.
- Typos: pg_trgm (enabled by the migration) over the release's words in the reader's
  language, with a trigram GIN index: the most similar word above pg_trgm's threshold
  replaces a misspelt one.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, When

from ..models import SearchEntry
from ..translation import SOURCE_LANGUAGE
from .text import MARK_END, MARK_START, Term, as_query

CONFIGS = {"en": "english", "es": "advice_spanish"}
FIELDS = (
    "article_title", "article_slug", "is_home", "anchor", "text_language", "title_marked",
    "excerpt",
)  # fmt: skip
UNKNOWN = "simple"  # a language without a configuration here: words as they are


def config(language: str) -> str:
    return CONFIGS.get(language, UNKNOWN)


def document(language: str) -> SearchVector:
    return SearchVector("title", weight="A", config=config(language)) + SearchVector(
        "body", weight="B", config=config(language)
    )


def write(release_id: int) -> None:
    rows = SearchEntry.objects.filter(release_id=release_id)
    for language in rows.values_list("text_language", flat=True).distinct():
        rows.filter(text_language=language).update(document=document(language))


def headline(field: str, query: SearchQuery, language: str, **options) -> SearchHeadline:
    return SearchHeadline(
        field, query, config=config(language), start_sel=MARK_START, stop_sel=MARK_END, **options
    )


def title_headline(language: str, query: SearchQuery) -> SearchHeadline:
    return headline("title", query, language, highlight_all=True)


def body_headline(language: str, query: SearchQuery) -> SearchHeadline:
    return headline("body", query, language, max_words=30, min_words=15, short_word=2)


def per_language(queries: dict[str, SearchQuery], make, output_field):
    """One expression choosing, row by row, `make(language, query)` for its language."""
    *others, (_, english) = sorted(queries.items(), key=lambda pair: pair[0] == SOURCE_LANGUAGE)
    return Case(
        *[When(text_language=lang, then=make(lang, query)) for lang, query in others],
        default=make(SOURCE_LANGUAGE, english),
        output_field=output_field,
    )


def queries_for(language: str, terms: list[Term]) -> dict[str, SearchQuery]:
    """The query read in the reader's language, and in English for what she reads in
    English."""
    return {
        lang: SearchQuery(as_query(terms), search_type="websearch", config=config(lang))
        for lang in {language, SOURCE_LANGUAGE}
    }


def matched(queries: dict[str, SearchQuery]) -> Q:
    """Each row matched in its own language's reading of the query."""
    found = Q()
    for lang, query in queries.items():
        found |= Q(text_language=lang, document=query)
    return found


def matching(release_id: int, language: str, queries: dict[str, SearchQuery]):
    """The rows of a release that `language`'s readers find."""
    return SearchEntry.objects.filter(matched(queries), release_id=release_id, language=language)


def find(release_id: int, language: str, terms: list[Term], limit: int) -> tuple[list, int]:
    queries = queries_for(language, terms)
    matches = matching(release_id, language, queries)
    total = matches.count()
    if not total:
        return [], 0
    # Rank every match by its stored document, then write excerpts for the best few only:
    # ts_headline parses the text again, which would cost a thousand times over.
    rank = per_language(queries, lambda _, q: SearchRank(F("document"), q), FloatField())
    best = list(
        matches.annotate(rank=rank).order_by("-rank", "pk").values_list("pk", flat=True)[:limit]
    )
    rows = {
        row["pk"]: row
        for row in SearchEntry.objects.filter(pk__in=best)
        .annotate(
            title_marked=per_language(queries, title_headline, TextField()),
            excerpt=per_language(queries, body_headline, TextField()),
        )
        .values("pk", *FIELDS)
    }
    return [rows[pk] for pk in best], total


def closest_words(release_id: int, language: str, words: list[str]) -> dict[str, str]:
    """For each word the release's texts in `language` do not contain, the most similar
    word they do, in one query (`%` is pg_trgm's "similar enough", and uses the trigram
    index)."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (wanted.word) wanted.word, candidate.word"
            " FROM unnest(%s::text[]) AS wanted(word)"
            " JOIN advice_searchword AS candidate"
            " ON candidate.release_id = %s AND candidate.language = %s"
            " AND candidate.word %% wanted.word"
            " ORDER BY wanted.word, similarity(candidate.word, wanted.word) DESC, candidate.word",
            [words, release_id, language],
        )
        return {wanted: found for wanted, found in cursor.fetchall() if wanted != found}
