"""Every language in a release: how translations are stored, and read in one language.

A release (format 3) keeps each text's English where it always was, and beside an object's
English a "translations" key: {language: {field: text}}, holding only what an editor has
translated (a Markdown text's HTML beside it, `body_html`). Each article and questionnaire
lists in "languages" the languages readers get it in: English, and every language whose
translation an editor has marked published. Releases from before translations (formats
1 and 2) are read as English only (`english_only`).

`localized` reads a release in one language: each translated text takes its English
text's place; a text not translated, or in an article whose translation is not published,
stays English. Every text then carries its language (`translation.Text`), so a page can
mark English inside a Spanish page with lang="en".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from .translation import (
    SOURCE_LANGUAGE,
    Text,
    copy_label,
    translations_of,
)

# A Markdown text's key → the key of its rendered HTML, in a release.
HTML_OF = {
    "body": "body_html",
    "intro": "intro_html",
    "outro": "outro_html",
    "cannot_know": "cannot_know_html",
    "safety_text": "safety_html",
}

ARTICLE_TEXTS = ("title", "meta_description")
SECTION_TEXTS = ("title", "intro", "outro")
ITEM_TEXTS = ("title", "body")


def with_translations(data: dict, row, names: Iterable[str]) -> dict:
    """`data` (a row as a release holds it) with the row's translated texts beside it."""
    found = translations_of(row, names)
    return {**data, "translations": found} if found else data


def published_languages(states) -> list[str]:
    """English, then each language whose translation state is published."""
    return [SOURCE_LANGUAGE, *sorted(s.language for s in states if s.is_published)]


def translated_markdown(holder: Mapping, label: str) -> list[tuple[dict, str, str, str]]:
    """(holder, text key, html key, label) for each translated Markdown text of `holder`."""
    found = []
    for language, texts in holder.get("translations", {}).items():
        for key, html in HTML_OF.items():
            if key in texts:
                found.append((texts, key, html, copy_label(label, language)))
    return found


def overlay(data: Mapping, language: str, keys: Iterable[str], published: bool) -> dict:
    """`data` with each of `keys` in `language` where it is translated (and published),
    otherwise in English; each text (and its HTML) marked with its language."""
    texts = data.get("translations", {}).get(language, {}) if published else {}
    result = dict(data)
    for key in keys:
        if key not in data:
            continue
        source = texts if texts.get(key) else data
        lang = language if source is texts else SOURCE_LANGUAGE
        result[key] = Text(source[key], lang)
        html = HTML_OF.get(key)
        if html is not None and html in source:
            result[html] = Text(source[html], lang)  # `stored_html` keeps the mark
    return result


def is_published_in(data: Mapping, language: str) -> bool:
    return language in data.get("languages", (SOURCE_LANGUAGE,))


def localized_article(article: Mapping, language: str) -> dict:
    published = is_published_in(article, language)
    return {
        **overlay(article, language, ARTICLE_TEXTS, published),
        "sections": [
            {
                **overlay(section, language, SECTION_TEXTS, published),
                "items": [
                    overlay(item, language, ITEM_TEXTS, published) for item in section["items"]
                ],
            }
            for section in article["sections"]
        ],
    }


def localized(content: dict, language: str, parts: Mapping) -> dict:
    """A release's content (newest format) as readers of `language` get it. `parts` maps
    a part's name to its own `localize(part, language, content)`."""
    if language == SOURCE_LANGUAGE:
        return content
    content = {
        **content,
        "articles": [localized_article(a, language) for a in content["articles"]],
    }
    for name, localize in parts.items():
        if localize is not None and content.get(name) is not None:
            content[name] = localize(content[name], language, content)
    return content


def translations_digest(article: Mapping) -> str:
    """A digest of an article's translated texts (its own, its sections' and items'):
    the list of changes before publishing says when it moves."""
    holders = [article]
    for section in article["sections"]:
        holders += [section, *section["items"]]
    return digest_of(holders)


def digest_of(holders: Iterable[Mapping]) -> str:
    """A digest of the translations of `holders` (JSON objects); "" when there are none."""
    texts = [holder.get("translations", {}) for holder in holders]
    if not any(texts):
        return ""
    return hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()


def english_only(content: dict) -> dict:
    """Format 2 → 3: a release from before translations holds English only."""
    return {
        **content,
        "schema": 3,
        "articles": [{**a, "languages": [SOURCE_LANGUAGE]} for a in content["articles"]],
    }
