"""Plain Python for search: the words of a query, the text of a page, marked excerpts.

Both databases get the same query: `parse` keeps only words, quoted phrases and a leading
"-" (leave out), so no character a reader types can reach a database's query syntax as
syntax (FTS5 reads `"`, `*`, `NEAR`, `(`; PostgreSQL's websearch syntax never fails, but
is given the same cleaned query so both sites behave alike).

Excerpts come back from the database with the matched words between two private-use
characters, which no indexed text contains (`plain_text` removes them). `marked` escapes
everything else, then turns those two characters into <mark> and </mark>: whatever an
editor wrote, a reader's page gets text plus <mark>, never markup from the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MARK_START, MARK_END = "\ue000", "\ue001"
WORD = re.compile(r"[^\W_]+")
# A phrase in double quotes, or one word; either may carry a leading "-" to leave it out.
TERM = re.compile(r'(-?)"([^"]*)"|(-?)([^\W_]+)')
# Words too short to be misspelt in a way worth correcting, and too long to be words.
VOCABULARY_LENGTHS = range(3, 41)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words in order
    excluded: bool = False

    def as_text(self) -> str:
        text = " ".join(self.words)
        if len(self.words) > 1:
            text = f'"{text}"'
        return f"-{text}" if self.excluded else text


def parse(query: str) -> list[Term]:
    """The terms of a reader's query; [] when it holds nothing to look for."""
    terms = []
    for match in TERM.finditer(query):
        phrase_minus, phrase, word_minus, word = match.groups()
        words = tuple(w.lower() for w in WORD.findall(phrase if word is None else word))
        if words:
            terms.append(Term(words, excluded=bool(phrase_minus or word_minus)))
    if not any(not term.excluded for term in terms):
        return []  # only words to leave out: nothing to find
    return terms


def as_query(terms: list[Term]) -> str:
    return " ".join(term.as_text() for term in terms)


def with_words_replaced(terms: list[Term], replacements: dict[str, str]) -> list[Term]:
    return [
        Term(tuple(replacements.get(w, w) for w in term.words), term.excluded) for term in terms
    ]


BLOCKS = {
    "blockquote", "br", "dd", "div", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "table", "td", "th", "tr", "ul",
}  # fmt: skip


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in BLOCKS:  # "<p>a</p><p>b</p>" is two words, not "ab"
            self.parts.append(" ")


def plain_text(html: str) -> str:
    """What a reader reads of a release's (sanitised) HTML: its text, on one line."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace(MARK_START, "").replace(MARK_END, "")
    return " ".join(text.split())


def vocabulary(texts) -> set[str]:
    return {
        word
        for text in texts
        for word in WORD.findall(text.lower())
        if len(word) in VOCABULARY_LENGTHS
    }


def marked(text: str) -> SafeString:
    """An excerpt from the database, escaped, with its matches in <mark>."""
    escaped = escape(text or "")
    if escaped.count(MARK_START) != escaped.count(MARK_END):  # cut short: no marks at all
        escaped = escaped.replace(MARK_START, "").replace(MARK_END, "")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of a word: two spaces before it, one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of the two words."""
    mine, theirs = trigrams(a), trigrams(b)
    return len(mine & theirs) / len(mine | theirs)
