"""One all-day event as an iCalendar file (RFC 5545), written by hand: no library needed.

Plain functions, no Django. The file says only what it is given: whoever opens the reader's
calendar sees her title on her day, and the address of her result only when she asked for
it. Nothing in it names the site (its PRODID is generic on purpose).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
# RFC 5545 3.1: lines longer than 75 octets are folded; the continuation starts with a space.
LINE_OCTETS = 75
# Required by RFC 5545, and read by nobody but a calendar program: says nothing about us.
PRODID = "-//Calendar//Reminder//EN"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
    written as \\n, and other control characters dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(c for c in value if c >= " " and c != "\x7f")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    parts, current, size = [], "", 0
    for character in line:
        octets = len(character.encode())
        # Continuation lines start with a space, which counts towards their 75.
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
        current += character
        size += octets
    parts.append(current)
    return (CRLF + " ").join(parts)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC ("Z" form), as DTSTAMP requires."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def all_day_event(
    *, day: date, summary: str, now: datetime, url: str | None = None, uid: str | None = None
) -> str:
    """The calendar file: one event on `day` (all day, not busy) with a reminder that
    morning. `now` is an aware datetime. `url`, when given, goes in URL and DESCRIPTION."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid or uuid.uuid4()}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        # All-day: the end is exclusive, so the next day.
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        "TRANSP:TRANSPARENT",
    ]
    if url:
        lines += [f"URL:{url}", f"DESCRIPTION:{escape_text(url)}"]
    lines += [
        # At nine that morning, showing only her title.
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER;RELATED=START:PT9H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
