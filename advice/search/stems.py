"""Word forms in languages SQLite's FTS5 cannot stem: the query is stemmed instead.

FTS5's only stemmer (`porter`) is English. Texts in other languages are indexed word for
word, diacritics removed (migration 0014_search_languages); a query word then matches
every indexed word that begins with its stem: "alejando" is stemmed by Snowball to "alej",
searched as `alej*`, and finds "aleja", "alejar" and "alejándote" as PostgreSQL's
`spanish` configuration does.

Snowball sometimes rewrites an ending ("diferencias" → "diferent"), so the prefix is the
part the word and its stem share ("diferen"). A prefix shorter than MIN_PREFIX letters
would match too many unrelated words ("niñ*" would find "ninguno"): such a word is
searched as typed.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import snowballstemmer

from ..translation import language_name

MIN_PREFIX = 4


def folded(word: str) -> str:
    """The word as FTS5's `remove_diacritics 2` reads it: "relación" → "relacion"."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@cache
def stemmer(language: str):
    """Snowball's stemmer for a language code, None when Snowball has none."""
    name = language_name(language).lower()
    return snowballstemmer.stemmer(name) if name in snowballstemmer.algorithms() else None


def prefix(word: str, language: str) -> str | None:
    """The beginning every form of `word` shares in `language`; None: search it as typed."""
    found = stemmer(language)
    if found is None:
        return None
    word, stem = folded(word.lower()), folded(found.stemWord(word.lower()))
    shared = 0
    while shared < min(len(word), len(stem)) and word[shared] == stem[shared]:
        shared += 1
    return word[:shared] if shared >= MIN_PREFIX else None
