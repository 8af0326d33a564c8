"""The emergency numbers' part of a release (advice/releases.py): one per country.

The safety panel's first line is the emergency number of the country the reader says she
is in (quiz/places.py picks it). Like the support lines (quiz/support_lines.py), the
numbers are content: editors keep them in admin with their source, and readers see them
only once published. A release
from before they existed has no such part: its result pages show the support lines as
they were, with no choice of country.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from advice.checks import Problem, emergency_number_problem
from advice.content_checks import Finding, about, admin_url, said, source_findings
from advice.omissions import Omission, omission

from .models import EmergencyNumber, SupportResource

FIELDS = ("id", "country", "place", "number", "note")


@dataclass(frozen=True)
class PublishedEmergencyNumber:
    id: int
    country: str  # ISO 3166 code, or "EU" for every EU country
    place: str
    number: str
    note: str = ""


def build_part() -> list[dict]:
    """Every published emergency number, in readers' order (one query)."""
    return list(EmergencyNumber.objects.published().values(*FIELDS))


def read_part(data: list[dict] | None) -> tuple[PublishedEmergencyNumber, ...]:
    return tuple(PublishedEmergencyNumber(**{k: row[k] for k in FIELDS}) for row in data or ())


def numbers_in(content) -> tuple[PublishedEmergencyNumber, ...]:
    """A version's emergency numbers (a parsed release): none in one from before them."""
    return content.parts.get("emergency_numbers") or ()


def names(number) -> dict:
    return {"place": number.place, "number": number.number}


def describe_changes(old, new) -> list[Problem]:
    """What publishing would change in the emergency numbers, in editors' words (`Problem`s,
    said in the language of whoever reads them)."""
    before = {n.country: n for n in old or ()}
    found = []
    for number in new or ():
        was = before.pop(number.country, None)
        if was is None:
            found.append(
                Problem(gettext_noop("New emergency number: %(place)s, %(number)s"), names(number))
            )
        elif was != number:
            found.append(
                Problem(
                    gettext_noop("Emergency number changed: %(place)s, %(number)s"), names(number)
                )
            )
    found += [
        Problem(gettext_noop("No longer shown: emergency number of %(place)s"), names(n))
        for n in before.values()
    ]
    return found


def omissions() -> list[Omission]:
    """Emergency numbers marked unpublished: no reader can choose their country (one query)."""
    return [
        omission(
            number,
            gettext("Emergency number of %(place)s is not published: left out.") % names(number),
        )
        for number in EmergencyNumber.objects.filter(is_published=False)
    ]


def findings(content: dict, warnings: bool = True) -> list[Finding]:
    """A number that does not reach emergency services blocks publishing; one not checked
    against its source for six months, or not confirmed by it, is a warning; so is a
    support line for a country readers cannot choose (it has no emergency number). One
    query: the rows, for their sources."""
    published = {row["id"] for row in content["emergency_numbers"]}
    rows = EmergencyNumber.objects.filter(pk__in=published)
    today = timezone.localdate()
    found = []
    for row in rows:
        name = gettext("Emergency number of %(place)s") % {"place": row.place}
        url = admin_url(EmergencyNumber, row.pk)
        if problem := emergency_number_problem(row.number, row.country):
            found.append(Finding(about(name, said(problem)), url, True))
        if warnings:
            found += source_findings(row, name, url, today)
    if warnings:
        found += lines_nobody_can_choose(content, {row.country for row in rows})
    return found


def lines_nobody_can_choose(content: dict, countries: set[str]) -> list[Finding]:
    """Support lines of a country with no published emergency number: readers choose a
    country from the emergency numbers, so nobody would be shown these."""
    if not countries:
        return []  # no numbers at all: every line shows, as in releases before them
    return [
        Finding(
            gettext(
                "Support resource “%(line)s” is for %(country)s, which has no "
                "published emergency number: no reader can choose it."
            )
            % {"line": line["name"], "country": line["country"]},
            admin_url(SupportResource, line["id"]),
            False,
        )
        for line in content.get("support_resources") or ()
        if line["country"] and line["country"] not in countries
    ]
