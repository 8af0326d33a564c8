"""Checks of what a release would hold, listed per row on the publish page.

A blocking finding (a link to an anchor or article that would not exist, an http link)
stops `publish()`, from the publish page or anywhere else; a warning (an image without
alt text, an empty section, a long paragraph, an item hard to read) is shown and left to
the editor. The rules themselves are plain functions in advice/checks.py.

The article's texts are checked here, in the draft's JSON as a release would hold it, with
each text's rendered HTML: every form of Markdown link (inline, reference, raw HTML) is an
`<a href>` there. Other parts add theirs through `register_part(..., checks=...)` (the
support lines are in quiz/checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext

from . import checks
from .models import Item, Section


@dataclass(frozen=True)
class Finding:
    text: str  # what is wrong, naming the row
    url: str  # the row's admin page, where an editor fixes it
    blocking: bool  # True: publishing is refused until it is fixed


def said(problem: checks.Problem, **names) -> str:
    """A problem from advice/checks.py in the language of the page (`names`: values the
    caller knows better, such as the row's name). Values that are messages of their own
    are said in that language too."""
    params = {name: said_value(value) for name, value in {**problem.params, **names}.items()}
    return gettext(problem.message) % params


def said_value(value):
    if isinstance(value, date):
        return date_format(value, "d M Y")
    if isinstance(value, checks.Problem):
        return said(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(said_value(item)) for item in value)
    return value


def said_stored(text) -> str:
    """A text kept in the database for editors (`Problem.as_json()`), in the language of
    the page. Texts stored as plain sentences before they were kept this way are shown
    as they were written."""
    if isinstance(text, dict) and "message" in text:
        return said(checks.Problem.from_json(text))
    return "" if text is None else str(text)


def about(row: str, problem: str) -> str:
    """A finding's text: the row it is about, then what is wrong (a whole sentence)."""
    return gettext("%(row)s: %(problem)s") % {"row": row, "problem": problem}


def source_findings(row, name: str, url: str, today: date) -> list[Finding]:
    """Warnings about a row checked against a public source (a helpline, an emergency
    number): last checked more than six months ago, or never; or not fully confirmed."""
    found = []
    if due := checks.check_due(row.checked_on, today):
        found.append(Finding(said(due, row=name), url, False))
    if row.unconfirmed:
        text = gettext("%(row)s needs a check: its source did not confirm %(what)s.") % {
            "row": name,
            "what": row.unconfirmed,
        }
        found.append(Finding(text, url, False))
    return found


def admin_url(model, pk: int) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])


class RefusedContent(Exception):
    """Publishing refused: the draft has findings that block it (each names its row)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self.message = gettext("Fix these first: %(findings)s") % {
            "findings": " ".join(f.text for f in findings)
        }
        super().__init__(self.message)


def article_paths(articles: list[dict]) -> dict[str, dict]:
    """Each published article by the paths readers reach it at."""
    paths = {}
    for article in articles:
        paths[reverse("advice:article", args=[article["slug"]])] = article
        if article["is_home"]:
            paths[reverse("advice:home")] = article  # /read/<its slug>/ redirects there
    return paths


def anchors(article: dict) -> set[str]:
    """The ids a link can point at in an article: its sections and items (and their
    headings, which the page gives ids too)."""
    found = set()
    for section in article["sections"]:
        found |= {section["slug"], f"{section['slug']}-title"}
        found |= {item["slug"] for item in section["items"]}
    return found


def files_paths() -> tuple[str, ...]:
    return tuple(f"/{url.strip('/')}/" for url in (settings.STATIC_URL, settings.MEDIA_URL))


def link_problem(href: str, here: dict | None, paths: dict[str, dict]) -> checks.Problem | None:
    """Why a link in a text of the article `here` would lead nowhere, or None. A text
    outside the articles (`here` None) has anchors of its own page unchecked. The sentence
    names the text as %(row)s."""
    if problem := checks.link_scheme_problem(href):
        return problem
    inside = checks.split_link(href)
    if inside is None:
        return None
    path, anchor = inside
    if path == "" and here is None:
        return None
    if path.startswith(files_paths()):
        return None  # uploaded images and static files: served beside the site, not pages
    target = here if path == "" else paths.get(path)
    if target is None:
        try:
            match = resolve(path)
        except Resolver404:
            return checks.Problem(
                gettext_noop("%(row)s links to “%(href)s”, a page the site does not have."),
                {"href": href},
            )
        if match.view_name in ("advice:article", "advice:home"):
            return checks.Problem(
                gettext_noop(
                    "%(row)s links to “%(href)s”, an article this version would not publish."
                ),
                {"href": href},
            )
        return None  # another page of the site (the questionnaire, search): it exists
    if anchor and anchor not in anchors(target):
        return checks.Problem(
            gettext_noop(
                "%(row)s links to “%(href)s”, but “%(title)s” has no section or item “%(anchor)s”."
            ),
            {"href": href, "title": target["title"], "anchor": anchor},
        )
    return None


def text_findings(
    html: str, name: str, url: str, here: dict | None, paths: dict, warnings: bool
) -> list[Finding]:
    """Findings about one text's HTML, named `name`, fixed at `url`."""
    facts = checks.read_html(html)
    found = [
        Finding(said(problem, row=name), url, blocking=True)
        for href in facts.links
        if (problem := link_problem(href, here, paths))
    ]
    if not warnings:
        return found
    if facts.images_without_alt:
        count = len(facts.images_without_alt)
        text = ngettext(
            "%(row)s has %(count)s image without alt text.",
            "%(row)s has %(count)s images without alt text.",
            count,
        ) % {"row": name, "count": count}
        found.append(Finding(text, url, False))
    for words in checks.long_paragraphs(facts):
        found.append(
            Finding(
                gettext(
                    "%(row)s has a paragraph of %(words)s words (more than %(limit)s): split it."
                )
                % {"row": name, "words": words, "limit": checks.LONG_PARAGRAPH_WORDS},
                url,
                False,
            )
        )
    return found


def article_findings(articles: list[dict], *, warnings: bool = True) -> list[Finding]:
    """What is wrong in the articles a release would hold (two queries, for the links)."""
    paths = article_paths(articles)
    slugs = [item["slug"] for a in articles for s in a["sections"] for item in s["items"]]
    item_ids = dict(Item.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    section_ids = {
        (article_id, slug): pk
        for article_id, slug, pk in Section.objects.filter(
            article_id__in=[a["id"] for a in articles]
        ).values_list("article_id", "slug", "pk")
    }
    found = []
    for article in articles:
        for section in article["sections"]:
            where = {"article": article["title"], "section": section["title"]}
            section_url = admin_url(Section, section_ids[article["id"], section["slug"]])
            parts = (
                ("intro", gettext("Section “%(article)s › %(section)s”, text before the items,")),
                ("outro", gettext("Section “%(article)s › %(section)s”, text after them,")),
            )
            for part, label in parts:
                found += text_findings(
                    section.get(f"{part}_html", ""),
                    label % where,
                    section_url,
                    article,
                    paths,
                    warnings,
                )
            if (
                warnings
                and not section["items"]
                and not (section["intro"].strip() or section["outro"].strip())
            ):
                text = (
                    gettext("Section “%(article)s › %(section)s” is empty: no items, no text.")
                    % where
                )
                found.append(Finding(text, section_url, False))
            for item in section["items"]:
                name = gettext("Item “%(item)s” in “%(article)s › %(section)s”") % {
                    **where,
                    "item": item["title"],
                }
                item_url = admin_url(Item, item_ids[item["slug"]])
                html = item.get("body_html", "")
                found += text_findings(html, name, item_url, article, paths, warnings)
                if warnings:
                    found += reading_findings(item, name, item_url)
    return found


def reading_findings(item: dict, name: str, url: str) -> list[Finding]:
    ease = checks.reading_ease(checks.read_html(item.get("body_html", "")).text)
    if ease is None or ease >= checks.EASY_READING:
        return []
    return [
        Finding(
            gettext(
                "%(row)s reads as “fairly difficult” or harder: reading ease %(ease)s (aim for "
                "%(aim)s or more: shorter sentences, shorter words)."
            )
            % {"row": name, "ease": f"{ease:g}", "aim": checks.EASY_READING},
            url,
            False,
        )
    ]
