"""Search on SQLite: FTS5, built into the SQLite Python ships with.

- Word forms: the entries' FTS5 table uses the `porter` tokenizer (over `unicode61`, with
  diacritics removed), so "pushing", "pushes" and "pushed" are all "push".
- Ranking: bm25, a title match counting four times a body match.
- Excerpts: `snippet()` (about 24 words around the best match) and `highlight()` (the title).
- Typos: SQLite has no pg_trgm, and spellfix1 is an extension Python's SQLite does not
  ship. So the release's words go into an FTS5 table with the `trigram` tokenizer: the
  words sharing most three-letter pieces with a misspelt word are found by one MATCH of
  those pieces, ranked by bm25, and the closest by pg_trgm's own measure is taken when
  it is similar enough (`text.similarity`).

The two FTS5 tables are "external content" tables over advice_searchentry and
advice_searchword, kept in step by triggers (migration 0007_search).
"""

from __future__ import annotations

from django.db import connection

from .text import MARK_END, MARK_START, Term, similarity, trigrams

TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
SNIPPET_WORDS = 24
MATCHES = """
    FROM advice_searchentry_fts
    JOIN advice_searchentry AS entry ON entry.id = advice_searchentry_fts.rowid
    WHERE advice_searchentry_fts MATCH %s AND entry.release_id = %s
"""
FIELDS = ("article_title", "article_slug", "is_home", "anchor", "title_marked", "excerpt")
# Words sharing enough trigrams with a misspelt one, the same threshold as pg_trgm's `%`.
SIMILAR_ENOUGH = 0.3
CANDIDATES = 50


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(terms: list[Term]) -> str:
    """`"a" "b c" NOT "d"`: every term quoted, so FTS5 reads none of it as syntax."""
    wanted = " ".join(quoted(" ".join(t.words)) for t in terms if not t.excluded)
    unwanted = "".join(f" NOT {quoted(' '.join(t.words))}" for t in terms if t.excluded)
    return wanted + unwanted


def write(release_id: int) -> None:
    """Nothing to do: the triggers index rows as they are inserted."""


def find(release_id: int, terms: list[Term], limit: int) -> tuple[list[dict], int]:
    expression = match_expression(terms)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {MATCHES}", [expression, release_id])
        (total,) = cursor.fetchone()
        if not total:
            return [], 0
        cursor.execute(
            "SELECT entry.article_title, entry.article_slug, entry.is_home, entry.anchor,"
            " highlight(advice_searchentry_fts, 0, %s, %s),"
            " snippet(advice_searchentry_fts, 1, %s, %s, '…', %s)"
            f" {MATCHES}"
            " ORDER BY bm25(advice_searchentry_fts, %s, %s), entry.id LIMIT %s",
            [MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS]
            + [expression, release_id, TITLE_WEIGHT, BODY_WEIGHT, limit],
        )
        rows = [dict(zip(FIELDS, row, strict=True)) for row in cursor.fetchall()]
    return rows, total


def closest_words(release_id: int, words: list[str]) -> dict[str, str]:
    """For each word the release does not contain, the closest word it does."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM advice_searchword WHERE release_id = %s"
            f" AND word IN ({', '.join(['%s'] * len(words))})",
            [release_id, *words],
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
                " ORDER BY rank LIMIT %s",
                [" OR ".join(pieces), release_id, CANDIDATES],
            )
            found = [candidate for (candidate,) in cursor.fetchall()]
            best = max(found, key=lambda candidate: similarity(word, candidate), default=None)
            if best is not None and similarity(word, best) >= SIMILAR_ENOUGH:
                closest[word] = best
    return closest
