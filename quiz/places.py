"""Which emergency number and support lines the safety panel shows: those of where she is.

She says where she is by choosing a country on the panel (a plain GET form). Nothing else
is looked up: no IP address, no location. Before she chooses, the region her own browser
names in its languages (Accept-Language "en-AU") stands in, and the panel says so; with no
region we have lines for, the panel asks her, and shows no other country's numbers.

Plain functions over the page's published data: no query, whatever the number of countries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation.trans_real import parse_accept_lang_header

from advice.checks import EU_COUNTRIES, EVERY_EU_COUNTRY

from .emergency import PublishedEmergencyNumber
from .snapshot import PublishedResource

CHOSEN = "chosen"  # she chose it on the panel (now, or earlier in this browser)
FROM_BROWSER = "browser"  # her browser's language settings name it

# A region subtag: "en-GB" → GB. Script subtags ("zh-Hant-TW") come before it.
REGION = re.compile(r"^[a-z]{2,3}(?:-[a-z]{4})?-([a-z]{2})(?:-|$)", re.IGNORECASE)


@dataclass(frozen=True)
class SafetyLines:
    """The safety panel's lines for one place."""

    # The emergency number to show first; None: she has not said where she is (or her
    # version predates emergency numbers).
    emergency: PublishedEmergencyNumber | None
    # A number that works in every EU country, for the words shown when she has not
    # chosen ("112 works in every EU country"); None when the data has none.
    every_eu_country: PublishedEmergencyNumber | None
    resources: tuple[PublishedResource, ...]
    # What she can choose from, in readers' order; empty: no choice (an older version).
    places: tuple[PublishedEmergencyNumber, ...]
    how: str = ""  # CHOSEN or FROM_BROWSER when `emergency` is shown

    @property
    def country(self) -> str:
        return self.emergency.country if self.emergency else ""


def known(code: str, numbers: Sequence[PublishedEmergencyNumber]) -> str | None:
    """`code` as one of the places in `numbers` (any case), or None."""
    code = (code or "").strip().upper()
    return code if any(n.country == code for n in numbers) else None


def place_from_browser(accept_language: str, numbers) -> str | None:
    """The first region her browser names in its preferred languages that we have lines
    for, or the EU's line for a region in the EU that has none of its own."""
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        if match := REGION.match(tag):
            region = match.group(1).upper()
            if found := known(region, numbers):
                return found
            if region in EU_COUNTRIES and known(EVERY_EU_COUNTRY, numbers):
                return EVERY_EU_COUNTRY
    return None


def lines_for(
    numbers: Sequence[PublishedEmergencyNumber],
    resources: Sequence[PublishedResource],
    place: str | None,
    how: str = "",
) -> SafetyLines:
    """The panel for a reader in `place` (a code from `numbers`, or None): its emergency
    number first, then its own lines, then the lines for readers anywhere.

    With no emergency numbers (a version published before them) every line shows, as it
    did then. With no place, only the lines for readers anywhere: a wall of other
    countries' numbers would only be in her way."""
    numbers = tuple(numbers)
    every_eu = next((n for n in numbers if n.country == EVERY_EU_COUNTRY), None)
    if not numbers:
        return SafetyLines(None, None, tuple(resources), ())
    emergency = next((n for n in numbers if n.country == place), None) if place else None
    country = emergency.country if emergency else None
    own = tuple(r for r in resources if country and r.country == country)
    anywhere = tuple(r for r in resources if not r.country)
    return SafetyLines(emergency, every_eu, own + anywhere, numbers, how if emergency else "")


def places_without_a_line(numbers: Sequence, resources: Sequence) -> list:
    """The places readers can choose (`numbers`, each with a `country`) for which no line
    of `resources` has that country: a reader there gets her emergency number and only the
    lines for readers anywhere. In readers' order."""
    served = {resource.country for resource in resources if resource.country}
    return [number for number in numbers if number.country not in served]
