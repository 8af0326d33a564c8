"""The support lines' part of a release (advice/releases.py): site-wide, each for one
country or for everyone.

Every questionnaire's safety panel shows these lines, her country's first (quiz/places.py
picks them). Releases from before lines were site-wide (format 3 and older) have no such
part: each of their questionnaires holds its own lines, and its result pages keep showing
those (`lines_for`).

A line is what a reader in danger acts on: a number that does not work where she is, or an
address sent over plain http, blocks publishing; a line not checked against its public
source for six months, or one its source did not fully confirm, is a warning.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from advice.checks import Problem, phone_problem, web_address_problem
from advice.content_checks import Finding, about, admin_url, said, source_findings
from advice.omissions import Omission, omission
from advice.release_languages import digest_of, is_published_in, overlay, with_translations
from advice.releases import from_json

from .models import SupportResource

FIELDS = (
    "id",
    "name",
    "description",
    "phone",
    "url",
    "country",
    "area",
    "text_line",
    "hours",
    "languages",
)
TRANSLATED = ("name", "description", "hours")


@dataclass(frozen=True)
class PublishedResource:
    name: str
    description: str
    phone: str
    url: str
    # Releases from before lines had a country hold none: such a line serves everyone.
    country: str = ""
    area: str = ""
    text_line: str = ""
    hours: str = ""  # releases from before these say nothing of them
    languages: str = ""  # language codes, "en es"
    id: int = 0  # the row it was published from (releases before format 3 lack it)
    # Its translations, as a digest: a changed translation is a change to publish.
    translations_digest: str = ""


def build_part() -> list[dict]:
    """Every published line, in readers' order, with its translations (one query)."""
    lines = SupportResource.objects.filter(is_published=True)
    return [
        with_translations({name: getattr(line, name) for name in FIELDS}, line, TRANSLATED)
        for line in lines
    ]


def read_part(data: list[dict] | None) -> tuple[PublishedResource, ...] | None:
    """None for a release from before site-wide lines: its questionnaires hold theirs."""
    return None if data is None else read_lines(data)


def read_lines(data: list[dict]) -> tuple[PublishedResource, ...]:
    return tuple(
        from_json(PublishedResource, row, translations_digest=digest_of([row])) for row in data
    )


def localize_part(lines: list[dict] | None, language: str, content: dict) -> list[dict] | None:
    """The lines in `language` once a questionnaire is published in it: the safety panel
    is part of a questionnaire's result, so its lines speak the questionnaire's languages
    (untranslated texts stay English, marked so)."""
    if lines is None:
        return None
    published = any(is_published_in(q, language) for q in content.get("questionnaires") or ())
    return [overlay(line, language, TRANSLATED, published) for line in lines]


def lines_for(content, questionnaire) -> tuple[PublishedResource, ...]:
    """The lines a release shows on `questionnaire`'s safety panel: the site-wide ones, or,
    in a release from before them, the questionnaire's own."""
    lines = content.parts.get("support_resources")
    return questionnaire.resources if lines is None else lines


def names(line) -> dict:
    return {"line": line.name}


def describe_changes(old, new) -> list[Problem]:
    """What publishing would change in the lines, in editors' words (`Problem`s, said in
    the language of whoever reads them)."""
    if old is None:
        # Nothing published yet, or a version from before site-wide lines (its lines were
        # each questionnaire's): one line, not one per line; their safety-critical
        # changes, number by number, are the review's (advice/review_scope.py).
        if not new:
            return []
        message = gettext_noop("Support resources, one list on every safety panel: %(count)s")
        return [Problem(message, {"count": len(new)})]
    before = {line.id: line for line in old}
    found = []
    for line in new or ():
        was = before.pop(line.id, None)
        if was is None:
            found.append(Problem(gettext_noop("New support resource: %(line)s"), names(line)))
        elif was != line:
            found.append(Problem(gettext_noop("Support resource changed: %(line)s"), names(line)))
    found += [
        Problem(gettext_noop("No longer shown: support resource %(line)s"), names(line))
        for line in before.values()
    ]
    if not found and [line.id for line in old] != [line.id for line in new or ()]:
        found.append(Problem(gettext_noop("Support resources reordered")))
    return found


def omissions() -> list[Omission]:
    """Lines marked unpublished: no reader sees them (one query)."""
    return [
        omission(
            line,
            gettext("Support resource “%(line)s” is not published: left out.") % names(line),
        )
        for line in SupportResource.objects.filter(is_published=False)
    ]


def findings(content: dict, warnings: bool = True) -> list[Finding]:
    """Findings about the lines a release would hold (one query: the rows, for their
    sources and checks)."""
    published = [row["id"] for row in content.get("support_resources") or ()]
    today = timezone.localdate()
    found = []
    for line in SupportResource.objects.filter(pk__in=published):
        name = gettext("Support resource “%(line)s”") % names(line)
        url = admin_url(SupportResource, line.pk)
        if problem := phone_problem(line.phone, line.country):
            found.append(Finding(about(name, said(problem)), url, True))
        if problem := web_address_problem(line.url):
            found.append(Finding(about(name, said(problem)), url, True))
        # Nothing to dial or open: nothing to check against a source.
        if warnings and (line.phone or line.url):
            found += source_findings(line, name, url, today)
    return found
