"""Search on PostgreSQL: its full-text search through django.contrib.postgres.search.

- Word forms: the `english` text search configuration (Snowball stemmer, stop words).
- Queries: `websearch_to_tsquery`, which never fails on what a reader types.
- Ranking: `ts_rank` over `document`, the title weighted A and the body B, stored when a
  release is indexed and read through a GIN index (migration 0007_search).
- Excerpts: `ts_headline` on the title and the body.
- Typos: pg_trgm (enabled by the migration) over the release's words, with a trigram GIN
  index: the most similar word above pg_trgm's threshold replaces a misspelt one.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F

from ..models import SearchEntry
from .text import MARK_END, MARK_START, Term, as_query

CONFIG = "english"
DOCUMENT = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
    "body", weight="B", config=CONFIG
)


def write(release_id: int) -> None:
    SearchEntry.objects.filter(release_id=release_id).update(document=DOCUMENT)


def headline(field: str, query: SearchQuery, **options) -> SearchHeadline:
    return SearchHeadline(
        field, query, config=CONFIG, start_sel=MARK_START, stop_sel=MARK_END, **options
    )


def find(release_id: int, terms: list[Term], limit: int) -> tuple[list[dict], int]:
    query = SearchQuery(as_query(terms), search_type="websearch", config=CONFIG)
    matches = SearchEntry.objects.filter(release_id=release_id, document=query)
    total = matches.count()
    if not total:
        return [], 0
    # Rank every match by its stored document, then write excerpts for the best few only:
    # ts_headline parses the text again, which would cost a thousand times over.
    best = list(
        matches.annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    rows = {
        row["pk"]: row
        for row in SearchEntry.objects.filter(pk__in=best)
        .annotate(
            title_marked=headline("title", query, highlight_all=True),
            excerpt=headline("body", query, max_words=30, min_words=15, short_word=2),
        )
        .values(
            "pk", "article_title", "article_slug", "is_home", "anchor", "title_marked", "excerpt"
        )
    }
    return [rows[pk] for pk in best], total


def closest_words(release_id: int, words: list[str]) -> dict[str, str]:
    """For each word the release does not contain, the most similar word it does, in one
    query (`%` is pg_trgm's "similar enough", and uses the trigram index)."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (wanted.word) wanted.word, candidate.word"
            " FROM unnest(%s::text[]) AS wanted(word)"
            " JOIN advice_searchword AS candidate"
            " ON candidate.release_id = %s AND candidate.word %% wanted.word"
            " ORDER BY wanted.word, similarity(candidate.word, wanted.word) DESC, candidate.word",
            [words, release_id],
        )
        return {wanted: found for wanted, found in cursor.fetchall() if wanted != found}
