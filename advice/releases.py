"""Draft and published content: what editors are changing, and what readers see.

Editors change rows (articles, sections, items, the questionnaire) as a draft. Publishing
copies everything marked published into a `Release` as plain JSON; readers only ever see
a release. A draft can be previewed because it is built into exactly the same JSON and
rendered by the same code, just without saving it.

Other apps add their part of the content (the questionnaire adds its questions and
rules) with `register_part`, so a release holds the whole site at one moment: a result
page scored under a release names items that exist in that same release.

A release never changes once saved, so each worker keeps a few parsed releases in memory,
keyed by number and content hash: after the first request, a page needs one small query
(which release is live) and no JSON parsing.

Nor is a release ever rewritten when the code changes, so every format ever published
stays readable (see "The format of a release" below; tests/golden holds a release in the
first format, rendered by tests/test_golden_release.py after every change).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

from .checks import Problem
from .content_checks import Finding, RefusedContent, article_findings
from .markdown import (
    RefusedMarkdown,
    as_plain_text,
    render_all,
    sanitise_html,
    without_bidi_controls,
)
from .models import Article, Release, count_words, reading_minutes
from .omissions import Omission, article_omissions
from .release_languages import (
    ARTICLE_TEXTS,
    ITEM_TEXTS,
    SECTION_TEXTS,
    english_only,
    localized,
    published_languages,
    translated_markdown,
    translations_digest,
    with_translations,
)
from .translation import SOURCE_LANGUAGE, Html, active_language, language_name


@dataclass(frozen=True)
class Part:
    build: Callable[[], Any]  # the draft's part, as JSON-ready data
    read: Callable[[Any], Any]  # that data, as the objects pages use
    # (the part as read from the live release or None, the same from the draft) → lines
    # saying what publishing would change, for the publish page and reviews (`Problem`s)
    changes: Callable[[Any, Any], list[Problem]] | None = None
    # the part's JSON → its Markdown texts, rendered when publishing (`MarkdownField`s)
    markdown: Callable[[Any], list[MarkdownField]] | None = None
    # → the part's draft rows a release would leave out, for the publish page
    omissions: Callable[[], list[Omission]] | None = None
    # (a release's whole content, warnings wanted) → the part's `Finding`s about it; a
    # blocking one refuses publishing (see `findings`)
    checks: Callable[[dict, bool], list[Finding]] | None = None
    # (the part's JSON, a language, the release's content) → the part's JSON as readers
    # of that language get it (advice/release_languages.py)
    localize: Callable[[Any, str, dict], Any] | None = None


PARTS: dict[str, Part] = {}


def register_part(
    name: str,
    build,
    read,
    changes=None,
    markdown=None,
    omissions=None,
    checks=None,
    localize=None,
) -> None:
    PARTS[name] = Part(
        build=build,
        read=read,
        changes=changes,
        markdown=markdown,
        omissions=omissions,
        checks=checks,
        localize=localize,
    )


# -- The format of a release --------------------------------------------------------------
#
# `content["schema"]` names the format a release was written in; releases from before the
# key existed are version 1. Readers accept every version:
# - a field added to a published object gets a default in its dataclass: `from_json` fills
#   it in for releases written without it, and ignores keys it does not know (written by a
#   newer worker during a deploy);
# - a change defaults cannot express (a key renamed or restructured) raises SCHEMA_VERSION
#   and adds an upgrade from the previous version to UPGRADES, so the readers below only
#   ever see the newest shape.

# 2: every Markdown text has its rendered HTML beside it
# 3: translations beside the English, and the languages each article is published in
# 4: support lines are site-wide, a part of their own ("support_resources"); in older
#    releases each questionnaire holds its own ("resources"), which its results still show
SCHEMA_VERSION = 4
FIRST_SCHEMA_VERSION = 1


def schema_of(content: Mapping) -> int:
    return content.get("schema", FIRST_SCHEMA_VERSION)


def upgraded(content: dict) -> dict:
    """A release's content in the newest format this code knows."""
    for version in range(schema_of(content), SCHEMA_VERSION):
        if version in UPGRADES:
            content = UPGRADES[version](content)
    return content


def stored_html(data: Mapping[str, Any], key: str) -> SafeString:
    """HTML a release stores, cleaned again on the way out: an allowlist tightened since
    it was published applies to it too. HTML marked with its language keeps the mark."""
    html = data.get(key, "")
    return Html(sanitise_html(html), getattr(html, "lang", SOURCE_LANGUAGE))


def from_json(cls, data: Mapping[str, Any], **parts):
    """A published object from a release's JSON: `parts` (nested objects, parsed values)
    replace the raw values; what the JSON lacks takes the dataclass's default."""
    known = {field.name for field in fields(cls)} - parts.keys()
    return cls(**{name: value for name, value in data.items() if name in known}, **parts)


# -- Markdown, rendered once: when publishing ----------------------------------------------
#
# Readers never run Markdown: a release stores each text's sanitised HTML beside it. All
# of a release's texts are rendered in one child process with the limits of
# advice/markdown.py, so a text that breaks them is named when an editor publishes.


@dataclass(frozen=True)
class MarkdownField:
    holder: dict  # the JSON object holding the text
    text: str  # the key of its Markdown
    html: str  # the key its HTML is stored under
    label: str  # what editors call it, in messages


def article_markdown(article: dict) -> list[MarkdownField]:
    found = []
    for section in article["sections"]:
        names = {"section": section["title"]}
        found += [
            MarkdownField(
                section,
                "intro",
                "intro_html",
                gettext("Section “%(section)s”, text before the items") % names,
            ),
            MarkdownField(
                section,
                "outro",
                "outro_html",
                gettext("Section “%(section)s”, text after the items") % names,
            ),
        ]
        found += [
            MarkdownField(item, "body", "body_html", quoted(item["title"]))
            for item in section["items"]
        ]
    found += [MarkdownField(*field) for field in translations_markdown(article)]
    return found


def translations_markdown(article: dict) -> list[tuple]:
    """The translated Markdown texts of an article, its sections and items."""
    found = []
    for section in article["sections"]:
        name = gettext("Section “%(section)s”") % {"section": section["title"]}
        found += translated_markdown(section, name)
        for item in section["items"]:
            found += translated_markdown(item, quoted(item["title"]))
    return found


def quoted(title: str) -> str:
    return gettext("“%(title)s”") % {"title": title}


def markdown_fields(content: dict) -> list[MarkdownField]:
    found = [field for article in content["articles"] for field in article_markdown(article)]
    for name, part in PARTS.items():
        if part.markdown is not None and content.get(name) is not None:
            found += part.markdown(content[name])
    return found


def render_html(content: dict, problems: list[str] | None = None) -> dict:
    """Store every Markdown text's HTML beside it. A text that breaks a limit raises
    RefusedMarkdown naming it; or, given a `problems` list, is listed there and stored as
    plain text, so a preview (or a release from before the limits) still renders."""
    pending = markdown_fields(content)
    while pending:
        try:
            rendered, broken = render_all([field.holder[field.text] for field in pending]), None
        except RefusedMarkdown as refused:
            rendered, broken = refused.rendered, pending[refused.position]
            message = gettext("%(row)s: %(problem)s") % {
                "row": broken.label,
                "problem": refused.message,
            }
            if problems is None:
                raise RefusedMarkdown(message) from None
            problems.append(message)
            broken.holder[broken.html] = str(as_plain_text(broken.holder[broken.text]))
        for field, html in zip(pending, rendered, strict=False):
            field.holder[field.html] = str(html)
        pending = pending[len(rendered) + 1 :] if broken else []
    return content


# Releases published before they held HTML get it when they are read (once per worker).
UPGRADES: dict[int, Callable[[dict], dict]] = {  # version n → its content as version n + 1
    1: lambda content: render_html({**copy.deepcopy(content), "schema": 2}, problems=[]),
    2: english_only,
}


# -- What readers see, as objects the templates use ---------------------------------------


@dataclass(frozen=True)
class PublishedItem:
    slug: str
    title: str
    body: str
    body_html: SafeString = SafeString("")


@dataclass(frozen=True)
class PublishedSection:
    kind: str
    title: str
    show_title: bool
    slug: str
    intro: str
    outro: str
    public_items: tuple[PublishedItem, ...]
    intro_html: SafeString = SafeString("")
    outro_html: SafeString = SafeString("")


@dataclass(frozen=True)
class PublishedArticle:
    id: int
    title: str
    slug: str
    meta_description: str
    is_home: bool
    published_at: datetime
    updated_at: datetime
    public_sections: tuple[PublishedSection, ...]
    # Ids of the articles editors chose to list at its end (added later: older releases
    # have none). Only articles published in the same release are ever shown.
    related: tuple[int, ...] = ()
    # The languages readers get it in, and what its translations say (a digest: only the
    # list of changes compares it). Older releases are English only.
    languages: tuple[str, ...] = (SOURCE_LANGUAGE,)
    translations_digest: str = ""

    def get_absolute_url(self) -> str:
        if self.is_home:
            return reverse("advice:home")
        return reverse("advice:article", args=[self.slug])

    @cached_property
    def items_by_slug(self) -> dict[str, PublishedItem]:
        return {item.slug: item for s in self.public_sections for item in s.public_items}

    @cached_property
    def word_count(self) -> int:
        """Every word a reader sees, for the reading time."""
        texts = [self.title]
        for section in self.public_sections:
            texts += [section.title, section.intro, section.outro]
            texts += [text for item in section.public_items for text in (item.title, item.body)]
        return count_words(*texts)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)


@dataclass(frozen=True)
class PublishedContent:
    stamp: str  # names this version in cache keys and ETags
    articles: tuple[PublishedArticle, ...]
    parts: dict[str, Any]
    went_live_at: datetime | None = None  # None for a draft
    language: str = SOURCE_LANGUAGE  # the language its pages are read in

    @cached_property
    def articles_by_id(self) -> dict[int, PublishedArticle]:
        return {article.id: article for article in self.articles}

    def related_to(self, article: PublishedArticle) -> tuple[PublishedArticle, ...]:
        """The articles editors listed at the end of `article` that this version has too."""
        by_id = self.articles_by_id
        return tuple(by_id[i] for i in article.related if i in by_id and i != article.id)

    def article(self, *, slug: str | None = None, article_id: int | None = None):
        for article in self.articles:
            if slug is not None and article.slug == slug:
                return article
            if article_id is not None and article.id == article_id:
                return article
        return None

    @property
    def home(self) -> PublishedArticle | None:
        return next((a for a in self.articles if a.is_home), None)


def read_item(data: dict) -> PublishedItem:
    return from_json(PublishedItem, data, body_html=stored_html(data, "body_html"))


def read_section(data: dict) -> PublishedSection:
    return from_json(
        PublishedSection,
        data,
        public_items=tuple(read_item(item) for item in data["items"]),
        intro_html=stored_html(data, "intro_html"),
        outro_html=stored_html(data, "outro_html"),
    )


def read_article(data: dict) -> PublishedArticle:
    return from_json(
        PublishedArticle,
        data,
        published_at=datetime.fromisoformat(data["published_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        public_sections=tuple(read_section(section) for section in data["sections"]),
        related=tuple(data.get("related", ())),
        languages=tuple(data.get("languages", (SOURCE_LANGUAGE,))),
        translations_digest=translations_digest(data),
    )


def read_content(release: Release, language: str = SOURCE_LANGUAGE) -> PublishedContent:
    """The release as pages in `language` show it (English where it is not translated)."""
    content = upgraded(release.content)
    content = localized(content, language, {name: part.localize for name, part in PARTS.items()})
    return PublishedContent(
        stamp=release.stamp,
        articles=tuple(read_article(a) for a in content["articles"]),
        parts={name: part.read(content.get(name)) for name, part in PARTS.items()},
        went_live_at=release.go_live_at if release.pk else None,
        language=language,
    )


# Parsed releases kept by each worker, newest use last. A handful covers the live one,
# a scheduled one and the older versions that recent result links were scored under.
MEMORY_SIZE = 8
_memory: OrderedDict[tuple[int, str, str], PublishedContent] = OrderedDict()


def published(release: Release) -> PublishedContent:
    """The release as page objects in the reader's language (see `active_language`);
    parsed once per worker and language (drafts every time)."""
    language = active_language()
    if release.pk is None:
        return read_content(release, language)
    key = (release.pk, release.digest, language)
    found = _memory.get(key)
    if found is None:
        if "content" not in release.__dict__:  # loaded with .defer("content")
            release.content = Release.objects.values_list("content", flat=True).get(pk=release.pk)
        found = read_content(release, language)
        _memory[key] = found
        # Each release is kept once per language its readers read it in.
        while len(_memory) > MEMORY_SIZE * len(settings.LANGUAGES):
            _memory.popitem(last=False)
    _memory.move_to_end(key)
    return found


def forget_parsed_releases() -> None:
    _memory.clear()


def live_release() -> Release | None:
    """The version readers see now, without its (large) content: one small query."""
    return Release.objects.live().defer("content").first()


def live_content() -> PublishedContent | None:
    release = live_release()
    return published(release) if release is not None else None


# -- Building a release from the draft ----------------------------------------------------


def article_content(article: Article) -> dict:
    """A published article with its published sections and items, in reading order, and
    their translations (advice/release_languages.py)."""
    data = {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "meta_description": article.meta_description,
        "is_home": article.is_home,
        # Unpublished ones would never show: leaving them out keeps "what changes" exact.
        "related": [other.pk for other in article.related.all() if other.is_published],
        "languages": published_languages(article.translations.all()),
        "sections": [
            with_translations(
                {
                    "kind": section.kind,
                    "title": section.title,
                    "show_title": section.show_title,
                    "slug": section.slug,
                    "intro": section.intro,
                    "outro": section.outro,
                    "items": [
                        with_translations(
                            {"slug": item.slug, "title": item.title, "body": item.body},
                            item,
                            ITEM_TEXTS,
                        )
                        for item in section.public_items
                    ],
                },
                section,
                SECTION_TEXTS,
            )
            for section in article.public_sections
        ],
    }
    return with_translations(data, article, ARTICLE_TEXTS)


# Not wording: the dates themselves, and the links to related articles (a list beside the
# article, not its words; and releases from before the list have none).
NOT_WORDING = ("published_at", "updated_at", "related")


def wording(data):
    """What editors wrote: the JSON without dates, links and the HTML made from it."""
    if isinstance(data, dict):
        return {
            key: wording(value)
            for key, value in data.items()
            if key not in NOT_WORDING and not key.endswith("_html")
        }
    if isinstance(data, list):
        return [wording(value) for value in data]
    return data


def dated(article: dict, previous: dict | None, moment: datetime) -> dict:
    """Readers' "last updated" is when they first saw this wording, not when a draft was
    saved: the previous release's dates are kept while the article is unchanged."""
    unchanged = previous is not None and wording(previous) == wording(article)
    stamp = moment.isoformat()
    return {
        **article,
        "published_at": previous["published_at"] if previous else stamp,
        "updated_at": previous["updated_at"] if unchanged else stamp,
    }


def draft_content(go_live_at: datetime | None = None, problems: list[str] | None = None) -> dict:
    """Everything marked published in the draft, as a release would hold it going live
    at `go_live_at` (now by default). A text that breaks the Markdown limits raises
    RefusedMarkdown, or is listed in `problems` when given (see `render_html`)."""
    moment = go_live_at or timezone.now()
    before = Release.objects.live(moment).first()
    earlier = {a["id"]: a for a in upgraded(before.content)["articles"]} if before else {}
    articles = Article.objects.published().order_by("-is_home", "pk")
    articles = articles.prefetch_related("related", "translations")
    content = {
        "schema": SCHEMA_VERSION,
        "articles": [
            dated(article_content(article), earlier.get(article.pk), moment) for article in articles
        ],
    }
    for name, part in PARTS.items():
        content[name] = part.build()
    return render_html(without_bidi(content), problems)


def without_bidi(data):
    """Every text in the JSON without bidirectional controls (see advice/markdown.py)."""
    if isinstance(data, str):
        return without_bidi_controls(data)
    if isinstance(data, dict):
        return {key: without_bidi(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [without_bidi(value) for value in data]
    return data


def draft_release(go_live_at: datetime | None = None, problems: list[str] | None = None) -> Release:
    """The draft as an unsaved release: previews render it exactly as readers would. Texts
    that break the Markdown limits show as plain text, and are listed in `problems`."""
    return Release(
        content=draft_content(go_live_at, [] if problems is None else problems),
        go_live_at=go_live_at or timezone.now(),
    )


@transaction.atomic
def publish(
    *,
    user=None,
    note: str = "",
    go_live_at: datetime | None = None,
    check: Callable[[dict], None] | None = None,
) -> Release:
    """Freeze the draft as a new release, live at `go_live_at` (now by default). Raises
    RefusedMarkdown, naming the text, when one breaks the Markdown limits, and
    RefusedContent, naming each row, when a check blocks it (see `findings`). `check` sees
    the content about to be frozen and raises to refuse it (advice/review.py)."""
    moment = go_live_at or timezone.now()
    content = draft_content(moment)
    if blocking := findings(content, warnings=False):
        raise RefusedContent(blocking)
    if check is not None:
        check(content)
    release = Release.objects.create(
        content=content, go_live_at=moment, note=note, published_by=user
    )
    Article.objects.first_published(article_ids(release), moment)
    return release


def article_ids(release: Release) -> list[int]:
    return [article["id"] for article in release.content["articles"]]


@transaction.atomic
def withdraw(release: Release) -> None:
    """Delete a scheduled release. Articles it would have published first are first
    published by the next scheduled release holding them, or not at all."""
    release.delete()
    orphans = Article.objects.filter(published_at=release.go_live_at)
    ids = list(orphans.values_list("pk", flat=True))
    orphans.update(published_at=None)
    for later in Release.objects.filter(go_live_at__gte=release.go_live_at).order_by("go_live_at"):
        Article.objects.filter(pk__in=ids).first_published(article_ids(later), later.go_live_at)


def omissions() -> list[Omission]:
    """What in the draft no release would show readers, for the editor to see before
    publishing: the article's rows (advice/omissions.py), then every part's."""
    found = article_omissions()
    for part in PARTS.values():
        if part.omissions is not None:
            found += part.omissions()
    return found


def findings(content: dict, *, warnings: bool = True) -> list[Finding]:
    """What the checks find in a release's content (advice/content_checks.py, then every
    part's): blocking findings first. Without `warnings`, only the blocking ones."""
    found = article_findings(content["articles"], warnings=warnings)
    for name, part in PARTS.items():
        if part.checks is not None and content.get(name) is not None:
            found += part.checks(content, warnings)
    found = [f for f in found if warnings or f.blocking]
    return sorted(found, key=lambda finding: not finding.blocking)


def changes(old: PublishedContent | None, new: PublishedContent) -> list[Problem]:
    """What a release would change for readers, in editors' words (each a `Problem`: a
    catalog message and its values, said in the language of whoever reads it)."""
    found = []
    old_articles = {a.id: a for a in old.articles} if old else {}
    for article in new.articles:
        before = old_articles.pop(article.id, None)
        if before is None:
            found.append(Problem(gettext_noop("New article: “%(article)s”"), named(article)))
            continue
        if (before.title, before.meta_description) != (article.title, article.meta_description):
            found.append(
                Problem(gettext_noop("“%(article)s”: title or description changed"), named(article))
            )
        found += related_changes(old, before, new, article)
        found += language_changes(before, article)
        old_sections = {s.slug: s for s in before.public_sections}
        for section in article.public_sections:
            was = old_sections.pop(section.slug, None)
            if was is None:
                found.append(
                    Problem(gettext_noop("New section: “%(section)s”"), {"section": section.title})
                )
                continue
            if (was.title, was.intro, was.outro, was.show_title) != (
                section.title,
                section.intro,
                section.outro,
                section.show_title,
            ):
                found.append(
                    Problem(
                        gettext_noop("Section “%(section)s”: text changed"),
                        {"section": section.title},
                    )
                )
            old_items = {i.slug: i for i in was.public_items}
            order = [i.slug for i in was.public_items]
            for item in section.public_items:
                previous = old_items.pop(item.slug, None)
                if previous is None:
                    found.append(
                        Problem(
                            gettext_noop("New in “%(section)s”: “%(item)s”"),
                            {"section": section.title, "item": item.title},
                        )
                    )
                elif previous != item:
                    found.append(Problem(gettext_noop("Changed: “%(item)s”"), {"item": item.title}))
            for item in old_items.values():
                found.append(
                    Problem(gettext_noop("No longer shown: “%(item)s”"), {"item": item.title})
                )
            if [i.slug for i in section.public_items if i.slug in order] != [
                s for s in order if s not in old_items
            ]:
                found.append(
                    Problem(
                        gettext_noop("Section “%(section)s”: items reordered"),
                        {"section": section.title},
                    )
                )
        for section in old_sections.values():
            found.append(
                Problem(
                    gettext_noop("No longer shown: section “%(section)s”"),
                    {"section": section.title},
                )
            )
    for article in old_articles.values():
        found.append(
            Problem(gettext_noop("No longer shown: article “%(article)s”"), named(article))
        )
    for name, part in PARTS.items():
        if part.changes is not None:
            found += part.changes(old.parts.get(name) if old else None, new.parts.get(name))
    return found


def named(article) -> dict:
    return {"article": str(article.title)}


def language_said(code: str) -> Problem:
    """A language's English name as a message of its own (Django's catalogs translate it)."""
    return Problem(language_name(code))


def language_changes(before: PublishedArticle, after: PublishedArticle) -> list[Problem]:
    """Languages readers newly get (or no longer get) an article in, and changed translations."""
    found = [
        Problem(
            gettext_noop("“%(article)s”: now published in %(language)s"),
            {**named(after), "language": language_said(language)},
        )
        for language in after.languages
        if language not in before.languages
    ]
    found += [
        Problem(
            gettext_noop("“%(article)s”: no longer published in %(language)s"),
            {**named(after), "language": language_said(language)},
        )
        for language in before.languages
        if language not in after.languages
    ]
    if before.translations_digest != after.translations_digest:
        found.append(Problem(gettext_noop("“%(article)s”: translations changed"), named(after)))
    return found


def related_changes(
    old: PublishedContent, before: PublishedArticle, new: PublishedContent, after: PublishedArticle
) -> list[Problem]:
    """The related articles readers see at the end of an article, if that list changes."""
    was = [a.id for a in old.related_to(before)]
    shown = new.related_to(after)
    if was == [a.id for a in shown]:
        return []
    names = [Problem(gettext_noop("“%(title)s”"), {"title": str(a.title)}) for a in shown]
    return [
        Problem(
            gettext_noop("“%(article)s”: related articles now %(related)s"),
            {**named(after), "related": names or Problem(gettext_noop("none"))},
        )
    ]


# -- The draft as readers would see it -----------------------------------------------------


def preview_content(problems: list[str] | None = None) -> PublishedContent:
    """The draft as page objects, exactly as readers would get it if it were published
    now: for previews, the simulator and the list of changes waiting to be published.
    Texts that could not be published are listed in `problems` (see `draft_release`)."""
    return published(draft_release(problems=problems))
