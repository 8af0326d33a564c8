"""Search on SQLite: FTS5, built into the SQLite Python ships with.

- Word forms: FTS5 picks a tokenizer per table, and its one stemmer, `porter`, is
  English. English readers' texts are in `advice_searchentry_fts` (porter over
  `unicode61`, diacritics removed), so "pushing", "pushes" and "pushed" are all "push".
  Texts in other languages are in `advice_searchentry_plain_fts`, word for word with
  diacritics removed ("relacion" finds "relación"), and the query's words are stemmed
  instead (`stems.prefix`: "alejando" is searched as `alej*`). The English other
  languages' readers read (articles not translated yet) has a porter table of its own,
  `advice_searchentry_fallback_fts`, so an English search reads only English readers'
  rows. A Spanish reader's search looks in the last two, her language's rows only.
- Ranking: bm25, a title match counting four times a body match. Each table weighs words
  by its own texts, so an English and a Spanish hit compare only roughly.
- Excerpts: `snippet()` (about 24 words around the best match) and `highlight()` (the title).
- Typos: SQLite has no pg_trgm, and spellfix1 is an extension Python's SQLite does not
  ship. So the release's words go into an FTS5 table with the `trigram` tokenizer: the
  words sharing most three-letter pieces with a misspelt word are found by one MATCH of
  those pieces, ranked by bm25, and the closest by pg_trgm's own measure is taken when
  it is similar enough (`text.similarity`). Each language has its own words.

The FTS5 tables are "external content" tables over advice_searchentry and
advice_searchword, kept in step by triggers (migrations 0007_search, 0014_search_languages).
"""

from __future__ import annotations

from django.db import connection

from ..translation import SOURCE_LANGUAGE
from .stems import prefix
from .text import MARK_END, MARK_START, Term, similarity, trigrams

TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
SNIPPET_WORDS = 24
ENGLISH_TABLE = "advice_searchentry_fts"  # English readers' rows
FALLBACK_TABLE = "advice_searchentry_fallback_fts"  # English, read in another language
OTHERS_TABLE = "advice_searchentry_plain_fts"  # other languages' texts
FIELDS = (
    "article_title", "article_slug", "is_home", "anchor", "text_language", "title_marked",
    "excerpt",
)  # fmt: skip
# Words sharing enough trigrams with a misspelt one, the same threshold as pg_trgm's `%`.
SIMILAR_ENOUGH = 0.3
CANDIDATES = 50


def matches(table: str) -> str:
    return f"""
        FROM {table}
        JOIN advice_searchentry AS entry ON entry.id = {table}.rowid
        WHERE {table} MATCH %s AND entry.release_id = %s AND entry.language = %s
    """


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def as_phrase(words: tuple[str, ...], language: str | None) -> str:
    """`"a b"`; with a language to stem, each word that has a stem as its prefix:
    `"alej" * + "de"`."""
    if language is None:
        return quoted(" ".join(words))
    parts = []
    for word in words:
        start = prefix(word, language)
        parts.append(quoted(word) if start is None else f"{quoted(start)} *")
    return " + ".join(parts)


def match_expression(terms: list[Term], language: str | None = None) -> str:
    """`"a" "b c" NOT "d"`: every term quoted, so FTS5 reads none of it as syntax. With
    a `language`, its words are stemmed by the query (the table has no stemmer)."""
    wanted = " ".join(as_phrase(t.words, language) for t in terms if not t.excluded)
    unwanted = "".join(f" NOT {as_phrase(t.words, language)}" for t in terms if t.excluded)
    return wanted + unwanted


def tables(language: str, terms: list[Term]) -> list[tuple[str, str]]:
    """(table, match expression) for each table holding texts `language`'s readers read."""
    if language == SOURCE_LANGUAGE:
        return [(ENGLISH_TABLE, match_expression(terms))]
    return [
        (FALLBACK_TABLE, match_expression(terms)),
        (OTHERS_TABLE, match_expression(terms, language)),
    ]


def write(release_id: int) -> None:
    """Nothing to do: the triggers index rows as they are inserted."""


def find(release_id: int, language: str, terms: list[Term], limit: int) -> tuple[list, int]:
    searched = tables(language, terms)
    counts = " + ".join(f"(SELECT count(*) {matches(table)})" for table, _ in searched)
    rows = " UNION ALL ".join(
        f"SELECT entry.id AS id, bm25({table}, %s, %s) AS score, entry.article_title,"
        " entry.article_slug, entry.is_home, entry.anchor, entry.text_language,"
        f" highlight({table}, 0, %s, %s), snippet({table}, 1, %s, %s, '…', %s)"
        f" {matches(table)}"
        for table, _ in searched
    )
    each = [(expression, release_id, language) for _, expression in searched]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", [value for found in each for value in found])
        (total,) = cursor.fetchone()
        if not total:
            return [], 0
        marks = [MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS]
        cursor.execute(
            f"{rows} ORDER BY score, id LIMIT %s",
            [v for found in each for v in (TITLE_WEIGHT, BODY_WEIGHT, *marks, *found)] + [limit],
        )
        found = [dict(zip(FIELDS, row[2:], strict=True)) for row in cursor.fetchall()]
    return found, total


def closest_words(release_id: int, language: str, words: list[str]) -> dict[str, str]:
    """For each word the release's texts in `language` do not contain, the closest word
    they do."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM advice_searchword WHERE release_id = %s AND language = %s"
            f" AND word IN ({', '.join(['%s'] * len(words))})",
            [release_id, language, *words],
        )
        known = {word for (word,) in cursor.fetchall()}
        closest = {}
        for word in words:
            inner = sorted(piece for piece in trigrams(word) if " " not in piece)
            if word in known or not inner:
                continue
            # pg_trgm pads words with spaces, so a shared beginning counts: FTS5's "^"
            # (at the start of the column) stands in for that padding.
            pieces = [*map(quoted, inner), f"^{quoted(word[:3])}"]
            cursor.execute(
                "SELECT candidate.word FROM advice_searchword_fts"
                " JOIN advice_searchword AS candidate"
                " ON candidate.id = advice_searchword_fts.rowid"
                " WHERE advice_searchword_fts MATCH %s AND candidate.release_id = %s"
                " AND candidate.language = %s ORDER BY rank LIMIT %s",
                [" OR ".join(pieces), release_id, language, CANDIDATES],
            )
            found = [candidate for (candidate,) in cursor.fetchall()]
            best = max(found, key=lambda candidate: similarity(word, candidate), default=None)
            if best is not None and similarity(word, best) >= SIMILAR_ENOUGH:
                closest[word] = best
    return closest
