"""Finds words in a template that readers or editors would meet untranslated.

A template is read with Django's own Lexer, so the scanner sees what Django sees. Text
inside {% translate %} and {% blocktranslate %} is the catalog's; variables are content or
come translated from Python; comments are for us. What is left is HTML: its text and the
attributes a person reads or hears (aria-label, title, alt, placeholder, a button's value,
a page's description) must hold no letters. The contents of <script>, <style> and <code>
are code, not words.
"""

import re
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

# Stands in for a {{ variable }} or a translated string: not a letter, so it never counts
# as untranslated text, yet keeps an attribute's value non-empty.
TRANSLATED = "\ufffc"

READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}
CODE_ELEMENTS = {"script", "style", "code"}
# Template blocks that hold names for the machine, not words: <body class="…">.
CODE_BLOCKS = {"body_class"}

# A letter in any alphabet: \w without digits and the underscore.
LETTER = re.compile(r"[^\W\d_]")
# A quoted literal passed on by {% include … with %} or {% with %}: words if it has a space
# or a capital ("Preview of unpublished changes."), a name if not ("search-page-q").
PASSED_LITERAL = re.compile(r"""\w+=(["'])(.*?)\1""")


def untranslated_text(source: str) -> list[str]:
    """Each piece of reader-facing text in `source` that is outside translation tags."""
    return _HtmlText.of(_without_translated(source))


def _without_translated(source: str) -> str:
    """The template's text with translated strings and variables as TRANSLATED, comments
    and other tags dropped (they sit between text, or inside an HTML tag)."""
    out = []
    inside = None  # the tag that closes the block we are in: its text is not ours to check
    for token in Lexer(source).tokenize():
        if inside:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == inside:
                inside = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.VAR:
            out.append(TRANSLATED)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"translate", "trans"}:
                out.append(TRANSLATED)
            elif name in {"blocktranslate", "blocktrans"}:
                out.append(TRANSLATED)
                inside = "end" + name
            elif name == "comment":
                inside = "endcomment"
            elif name in {"include", "with"}:
                out.extend(_passed_words(token.contents))
            elif name == "block" and token.contents.split()[1] in CODE_BLOCKS:
                inside = "endblock"
    return "".join(out)


def _passed_words(contents: str) -> list[str]:
    """Words handed to another template as a plain literal, not as _("…"); as a paragraph,
    so the HTML check below finds them."""
    return [
        f"<p>{value}</p>"
        for _quote, value in PASSED_LITERAL.findall(contents)
        if " " in value or value[:1].isupper()
    ]


class _HtmlText(HTMLParser):
    @classmethod
    def of(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self.code_depth += 1
        attributes = dict(attrs)
        read = [value for name, value in attrs if name in READ_ATTRIBUTES]
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            read.append(attributes.get("value"))
        if tag == "meta" and attributes.get("name") == "description":
            read.append(attributes.get("content"))
        self._check(*read)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in CODE_ELEMENTS:
            self.code_depth -= 1

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth:
            self._check(data)

    def _check(self, *texts):
        for text in texts:
            if text and LETTER.search(text):
                self.found.append(" ".join(text.replace(TRANSLATED, "…").split()))
