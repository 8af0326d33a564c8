"""Content checks before publishing: plain functions over texts, numbers and dates.

No Django here: the publish page (advice/content_checks.py, quiz/checks.py) reads the rows
and the draft, calls these, and names the row each finding is about. Each function answers
with what is wrong in editors' words (a `Problem`: a catalog message and its values), or
nothing.

Readers may be in a controlling or abusive relationship: a helpline number that does not
work, or a link that leads nowhere, fails her at the worst moment. Those block publishing.
What only makes a text harder to read is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import phonenumbers
import textstat
from phonenumbers import shortnumberinfo


def gettext_noop(message: str) -> str:
    """Marks `message` for the translation catalogs (makemessages looks for this name)
    without translating it: translating is the caller's, in the page's language."""
    return message


@dataclass(frozen=True)
class Problem:
    """What is wrong, as a whole English sentence with named placeholders (the catalog's
    message id) and their values. Django code says it in the page's language with
    `advice.content_checks.said`; `str()` is the English, for logs and tests.

    The module stays free of Django, so it returns the message and its values rather than
    translating: whoever shows the problem knows the language.

    Texts kept in the database for editors to read later (a support-line check's detail, a
    review's list of changes) are Problems too, stored as `as_json()`: read back with
    `from_json()`, they are said in the language of whoever reads them, not of whoever
    wrote them. A value that is itself a catalog message (a language's name, a quoted
    title) is a Problem of its own; a list of values reads joined with commas; any other
    value (a title, an address, an error a library gave) stays as written."""

    message: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % {name: english(value) for name, value in self.params.items()}

    def as_json(self) -> dict:
        """The message and its values as JSON-ready data (`from_json` reads it back)."""
        return {"message": self.message, "params": {k: to_json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        return cls(data["message"], {k: from_json(v) for k, v in data.get("params", {}).items()})


def english(value):
    """A Problem's value as its English sentence says it."""
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, Problem):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(english(item)) for item in value)
    return value


def to_json(value):
    if isinstance(value, Problem):
        return value.as_json()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(value):
    if isinstance(value, dict) and "message" in value:
        return Problem.from_json(value)
    if isinstance(value, list):
        return [from_json(item) for item in value]
    return value


# -- Support lines --------------------------------------------------------------------------


def phone_problem(phone: str, country: str) -> Problem | None:
    """Why `phone` would not reach a line in `country` (ISO 3166 alpha-2), or None.

    A national number ("0808 2000 247") is read as dialled in its country; a line for
    readers anywhere has no country and must be written internationally ("+44 808 ...").
    Short codes (116 123, 181, 016) count when they are valid short numbers there: many
    helplines are. A "+" number given a country must belong to that country."""
    phone, country = phone.strip(), country.strip().upper()
    if not phone:
        return None
    if not country and not phone.startswith("+"):
        return Problem(
            gettext_noop(
                "The number has no country: choose its country, or write the number "
                "with “+” and its country code."
            )
        )
    if country and country not in phonenumbers.SUPPORTED_REGIONS:
        return Problem(
            gettext_noop("The number’s country, “%(country)s”, is not a country code."),
            {"country": country},
        )
    try:
        number = phonenumbers.parse(phone, country or None)
    except phonenumbers.NumberParseException:
        return Problem(gettext_noop("“%(phone)s” is not a phone number."), {"phone": phone})
    if country and shortnumberinfo.is_valid_short_number_for_region(number, country):
        return None
    if not phonenumbers.is_valid_number(number):
        if not country:
            return Problem(
                gettext_noop("The number “%(phone)s” is not a valid number internationally."),
                {"phone": phone},
            )
        return Problem(
            gettext_noop("The number “%(phone)s” is not a valid number in %(country)s."),
            {"phone": phone, "country": country},
        )
    belongs_to = phonenumbers.region_code_for_number(number)
    if country and belongs_to != country:
        return Problem(
            gettext_noop(
                "The number “%(phone)s” is a number in %(belongs_to)s, not in %(country)s."
            ),
            {"phone": phone, "belongs_to": belongs_to, "country": country},
        )
    return None


# "EU" is not a country, but the emergency numbers' data has a row for every EU country
# (112): a reader elsewhere in the EU chooses it. Its number must work in each of them.
EVERY_EU_COUNTRY = "EU"
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def emergency_number_problem(number: str, country: str) -> Problem | None:
    """Why `number` would not reach emergency services in `country` (or, for "EU", in every
    EU country), or None. It must be dialable there and known as an emergency number."""
    number, country = number.strip(), country.strip().upper()
    if not number:
        return Problem(gettext_noop("The number is missing."))
    regions = sorted(EU_COUNTRIES) if country == EVERY_EU_COUNTRY else [country]
    for region in regions:
        if problem := phone_problem(number, region):
            return problem
        if not shortnumberinfo.is_emergency_number(number, region):
            return Problem(
                gettext_noop("The number “%(number)s” is not an emergency number in %(country)s."),
                {"number": number, "country": region},
            )
    return None


def web_address_problem(url: str) -> Problem | None:
    """Why a reader should not be sent to `url`, or None: only https keeps what she reads
    (and that she reads it) from whoever watches her network."""
    url = url.strip()
    if url and not url.lower().startswith("https://"):
        return Problem(
            gettext_noop("The web address “%(url)s” is not an https address."), {"url": url}
        )
    return None


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


CHECK_AGAIN_MONTHS = 6


def check_due(checked_on: date | None, today: date) -> Problem | None:
    """Why a support line needs checking against its source again, or None. The sentence
    names the line as %(row)s: the caller gives its name (`said(problem, row=...)`)."""
    if checked_on is None:
        return Problem(
            gettext_noop(
                "%(row)s has never been checked against a source: check it against its source."
            ),
            {"row": "It"},
        )
    if checked_on < months_before(today, CHECK_AGAIN_MONTHS):
        return Problem(
            gettext_noop(
                "%(row)s was last checked on %(checked_on)s, more than %(months)s months ago: "
                "check it against its source."
            ),
            {"row": "It", "checked_on": checked_on, "months": CHECK_AGAIN_MONTHS},
        )
    return None


# -- Rendered Markdown ------------------------------------------------------------------------


BLOCKS = {"p", "li", "br", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}


class _Reader(HTMLParser):
    """Links, images and paragraphs of one text's HTML (as the release stores it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images_without_alt: list[str] = []
        self.paragraphs: list[str] = []
        self._paragraph: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.text.append(" ")  # "end.</p><p>Next" is two sentences, not "end.Next"
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"].strip())
        elif tag == "img" and not (attributes.get("alt") or "").strip():
            self.images_without_alt.append(attributes.get("src") or "")
        elif tag in ("p", "li"):
            self._close_paragraph()
            self._paragraph = []

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append(" ")
        if tag in ("p", "li"):
            self._close_paragraph()

    def handle_data(self, data):
        self.text.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)

    def _close_paragraph(self):
        if self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
        self._paragraph = None

    def close(self):
        super().close()
        self._close_paragraph()


@dataclass(frozen=True)
class HtmlFacts:
    links: tuple[str, ...]  # every href, as written
    images_without_alt: tuple[str, ...]  # their src
    paragraphs: tuple[str, ...]  # the text of each paragraph and list entry
    text: str  # all its words, without markup


def read_html(html: str) -> HtmlFacts:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return HtmlFacts(
        links=tuple(reader.links),
        images_without_alt=tuple(reader.images_without_alt),
        paragraphs=tuple(reader.paragraphs),
        text=" ".join("".join(reader.text).split()),
    )


def split_link(href: str) -> tuple[str, str] | None:
    """A link inside the site as (path, anchor); None for one that leaves it (https, mail,
    phone) or is relative to the page, which the checks do not follow."""
    if href.startswith("#"):
        return "", href[1:]
    if href.startswith("/") and not href.startswith("//"):
        path, _, anchor = href.partition("#")
        return path.partition("?")[0], anchor
    return None


def link_scheme_problem(href: str) -> Problem | None:
    """An http link sends her off the site unencrypted: the same rule as support lines.
    The sentence names the text as %(row)s (`said(problem, row=...)`)."""
    if href.lower().startswith("http://"):
        return Problem(
            gettext_noop("%(row)s links to “%(href)s”, which is not an https address."),
            {"row": "A text", "href": href},
        )
    return None


WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def count_words(text: str) -> int:
    return len(WORD.findall(text))


# A paragraph past this many words is a wall on a phone: about 13 lines at 390 pixels wide,
# over half the screen without a break, for a reader who may have to look away at any
# moment and find her place again.
LONG_PARAGRAPH_WORDS = 100


def long_paragraphs(facts: HtmlFacts) -> list[int]:
    """The word counts of the paragraphs longer than LONG_PARAGRAPH_WORDS."""
    counts = [count_words(paragraph) for paragraph in facts.paragraphs]
    return [count for count in counts if count > LONG_PARAGRAPH_WORDS]


# -- Reading ease ------------------------------------------------------------------------------

# Flesch Reading Ease: 60-70 is "plain English" (understood by most 13-15 year olds), below
# 60 "fairly difficult". Readers of an advice page in distress read less well than usual:
# below 60 an item is flagged for rewording.
EASY_READING = 60
# The formula counts sentences and syllables: under this many words one long word or one
# long sentence swings it wildly, so shorter texts get no figure.
READING_EASE_MIN_WORDS = 30


def reading_ease(text: str) -> float | None:
    """The Flesch Reading Ease of an English text (higher is easier), or None when it is
    too short for the figure to mean anything."""
    if count_words(text) < READING_EASE_MIN_WORDS:
        return None
    return round(textstat.flesch_reading_ease(text), 1)
