"""A reminder that gives nothing away: a calendar file (RFC 5545) for a day she picks,
with a neutral title she can change, nothing about the relationship, and the address of
her result only if she ticks the box. Nothing sent, nothing stored.

Days are counted from the `clock` fixture: 18 June 2031, noon UTC (tests/moments.py).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.calendar_file import escape_text, fold

from .html import soup, text_of
from .moments import CLOCK_START
from .quiz_helpers import STRESSED_BUT_TOGETHER, take

pytestmark = pytest.mark.django_db

TODAY = "2031-06-18"  # CLOCK_START's day
A_YEAR_ON = "2032-06-17"  # the last day a reminder may be set: 365 days on
# Her answers are kept 90 days after her last activity (finishing, at CLOCK_START):
# retention deletes them during 16 September, so the 15th is the last sure day.
KEPT_UNTIL = "2031-09-15"


@pytest.fixture
def result(clock, client, questionnaire):
    """Her result's address, finished at CLOCK_START."""
    return take(client, STRESSED_BUT_TOGETHER)


def download(client, result, **fields):
    data = {"day": "2031-07-01", "title": "Reminder", **fields}
    return client.post(result + "reminder/", {k: v for k, v in data.items() if v is not None})


def content_lines(response) -> list[str]:
    """The file's content lines, unfolded, after checking its physical lines: each ends
    with CRLF (no bare LF or CR) and holds at most 75 octets."""
    raw = response.content
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, line
    text = raw.decode("utf-8")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def properties(lines: list[str], component: str = "VEVENT") -> dict[str, str]:
    """`NAME;PARAMS` → value, for the lines directly inside one component."""
    start, end = lines.index(f"BEGIN:{component}"), lines.index(f"END:{component}")
    found, depth = {}, 0
    for line in lines[start + 1 : end]:
        if line.startswith("BEGIN:"):
            depth += 1
        elif line.startswith("END:"):
            depth -= 1
        elif depth == 0:
            name, _, value = line.partition(":")
            found[name] = value
    return found


def test_the_result_page_offers_a_reminder(client, result):
    link = soup(client.get(result)).find("a", string="Set a reminder")
    assert link["href"] == result + "reminder/"


def test_the_form_asks_for_a_day_a_title_and_whether_to_put_the_link_in(client, result):
    response = client.get(result + "reminder/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = soup(response)
    day = page.select_one("input[name=day]")
    assert (day["type"], day["min"], day["max"]) == ("date", TODAY, A_YEAR_ON)
    assert page.select_one("input[name=title]")["value"] == "Reminder"
    box = page.select_one("input[name=with_link]")
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    help_text = text_of(page.find(id=box["aria-describedby"]))
    assert "anyone who opens the reminder could open your results" in help_text
    assert "15 September 2031" in help_text


def test_the_file_is_one_all_day_event_on_her_day_with_the_default_title(client, result):
    response = download(client, result, title="")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="event.ics"'
    assert "no-store" in response["Cache-Control"]
    lines = content_lines(response)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = properties(lines, "VCALENDAR")
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    event = properties(lines)
    assert event["DTSTART;VALUE=DATE"] == "20310701"
    assert event["DTEND;VALUE=DATE"] == "20310702"
    assert event["SUMMARY"] == "Reminder"
    assert re.fullmatch(r"[0-9a-f-]{36}", event["UID"])
    stamp = event["DTSTAMP"]
    assert re.fullmatch(r"\d{8}T\d{6}Z", stamp) and stamp.startswith(f"{CLOCK_START:%Y%m%dT%H}")
    assert properties(lines, "VALARM")["DESCRIPTION"] == "Reminder"


def test_without_the_box_ticked_the_file_has_no_address_and_nothing_about_anything(client, result):
    response = download(client, result, title="Dentist")
    lines = content_lines(response)
    assert not any(line.startswith(("URL", "DESCRIPTION")) for line in properties(lines))
    text = response.content.decode().lower()
    token = result.strip("/").rpartition("/")[2].lower()
    for words in [
        token,
        "http",
        "/results/",
        "testserver",
        "pushing away",
        "him",
        "relationship",
        "questionnaire",
        "result",
        "answer",
        "abuse",
        "safety",
    ]:
        assert words not in text, words


def test_ticked_the_file_carries_the_address_of_her_results(client, result):
    response = download(client, result, with_link="on")
    event = properties(content_lines(response))
    address = "http://testserver" + result
    assert event["URL"] == address
    assert event["DESCRIPTION"] == address


def test_her_own_title_is_escaped_and_folded_as_rfc_5545_says(client, result):
    title = "Café; with Ana, at 5 — " + "ü" * 40
    event = properties(content_lines(download(client, result, title=title)))
    assert event["SUMMARY"] == title.replace(";", "\\;").replace(",", "\\,")
    assert len(f"SUMMARY:{event['SUMMARY']}".encode()) > 75  # so it had to be folded


@pytest.mark.parametrize("title", ["", "   ", "\x07\x1b", "\n\t"])
def test_a_title_with_nothing_to_show_gets_the_default(client, result, title):
    event = properties(content_lines(download(client, result, title=title)))
    assert event["SUMMARY"] == "Reminder"


def test_each_file_has_its_own_uid(client, result):
    first = properties(content_lines(download(client, result)))["UID"]
    second = properties(content_lines(download(client, result)))["UID"]
    assert first != second


@pytest.mark.parametrize("day", [TODAY, A_YEAR_ON])
def test_today_and_a_year_on_are_both_accepted(client, result, day):
    event = properties(content_lines(download(client, result, day=day)))
    assert event["DTSTART;VALUE=DATE"] == day.replace("-", "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day": "2031-06-17"}, "That day has passed: pick today or a later day."),
        ({"day": "2026-01-01"}, "That day has passed: pick today or a later day."),
        ({"day": "2032-06-18"}, "Pick a day within a year, by 17 June 2032."),
        ({"day": "9999-12-31"}, "Pick a day within a year, by 17 June 2032."),
        ({"day": "2031-02-30"}, "Enter a real day: its year, month and day."),
        ({"day": "next tuesday"}, "Enter a real day: its year, month and day."),
        ({"day": "20310-07-01"}, "Enter a real day: its year, month and day."),
        ({"day": ""}, "Pick the day you want to be reminded."),
        ({"day": None}, "Pick the day you want to be reminded."),
        ({"title": "x" * 81}, "Keep the title to 80 characters or fewer."),
        (
            {"day": "2031-09-16", "with_link": "on"},
            "Your results are kept until 15 September 2031. Pick that day or an earlier one, "
            "or leave their address out.",
        ),
    ],
)
def test_a_day_or_title_it_cannot_use_is_a_400_saying_why(client, result, fields, message):
    response = download(client, result, **fields)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = soup(response)
    assert message in [text_of(li) for li in page.select(".error-summary li")]
    assert text_of(page.select_one(".question__error")) == message
    assert "no-store" in response["Cache-Control"]


def test_the_last_day_her_results_are_kept_is_fine_with_the_link(client, result):
    response = download(client, result, day=KEPT_UNTIL, with_link="on")
    assert response.status_code == 200
    assert properties(content_lines(response))["DTSTART;VALUE=DATE"] == "20310915"


def test_a_day_after_it_is_fine_without_the_link(client, result):
    assert download(client, result, day="2031-09-16").status_code == 200


def test_no_such_result_is_a_404(client, result):
    assert client.get("/results/" + "x" * 43 + "/reminder/").status_code == 404


def test_folding_never_splits_a_character_and_unfolds_to_the_line():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.encode().split(b"\r\n ")
    assert all(len(part) <= 75 for part in parts) and len(parts) == 3
    assert folded.replace("\r\n ", "") == line
    assert escape_text("a\\b;c,d\ne\x07") == "a\\\\b\\;c\\,d\\ne"


# The quiz session by its token (1). Nothing else: the form is built from the clock and
# her session's last activity; her version, for the header's link, is kept parsed.
REMINDER_GET = 1
REMINDER_POST = 1


def test_the_reminder_takes_one_query_to_show_and_one_to_download(client, result):
    client.get(result + "reminder/")
    with CaptureQueriesContext(connection) as shown:
        assert client.get(result + "reminder/").status_code == 200
    with CaptureQueriesContext(connection) as downloaded:
        assert download(client, result).status_code == 200
    assert (len(shown), len(downloaded)) == (REMINDER_GET, REMINDER_POST)
