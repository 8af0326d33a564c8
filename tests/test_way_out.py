"""A way out on every page: "Exit this page" is the first thing the keyboard reaches.

Every page a reader can meet (the article, each step of the questionnaire, her results,
the problem and error pages, even the 400 answered before Django reads the request)
starts with the exit button, leading to the neutral site the settings name, and loads the
script that keeps the page out of the browser's history when she leaves. How the bar
stays on the screen while the page scrolls is the browser tests' job
(tests/browser/test_way_out.py).
"""

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from advice import views

from .html import soup, text_of
from .quiz_helpers import REVIEW, START, STRESSED_BUT_TOGETHER, question, start, take

pytestmark = pytest.mark.django_db

EXIT = "https://news.example.org/today"
FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"


def first_stop(response):
    """The first element Tab reaches on the page."""
    page = soup(response)
    stops = [e for e in page.body.select(FOCUSABLE) if e.get("tabindex") != "-1"]
    return page, stops[0]


def every_page(client, settings, monkeypatch) -> dict:
    """One response for each kind of page a reader can meet, by a short name."""
    result = take(client, STRESSED_BUT_TOGETHER)
    fresh = Client()
    start(fresh)
    step = f"{START}question/{question('Where do things stand').pk}/"
    pages = {
        "the article": client.get("/"),
        "the questionnaire's start page": client.get(START),
        "a question": fresh.get(step),
        "the review": fresh.get(REVIEW),
        "her results": client.get(result),
        "the delete confirmation": client.get(result + "delete/"),
        "a problem page": Client().post(step),
        "the 404 page": client.get("/no-such-page/"),
        "the CSRF page": Client(enforce_csrf_checks=True).post(REVIEW),
        "the 400 page": client.generic(
            "POST",
            START,
            data=b"choice=1",
            content_type="application/x-www-form-urlencoded; charset=rot13",
        ),
    }
    settings.QUIZ_POST_RATE = "2/m"
    for _ in range(3):
        pages["the 429 page"] = fresh.post(START)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views, "render_article", broken)
    caches["pages"].clear()  # the article was kept whole: it must be rendered again to fail
    client.raise_request_exception = False
    pages["the 500 page"] = client.get("/")
    return pages


def test_every_page_starts_with_the_exit_button(
    client, questionnaire, settings, monkeypatch, clock
):
    clock.move_to(timezone.now(), tick=False)  # stopped: one rate-limit window
    settings.QUIZ_EXIT_URL = EXIT
    pages = every_page(client, settings, monkeypatch)
    statuses = {name: response.status_code for name, response in pages.items()}
    assert sorted(set(statuses.values())) == [200, 400, 403, 404, 429, 500], statuses
    for name, response in pages.items():
        page, stop = first_stop(response)
        assert "exit-button" in stop.get("class", []), name
        assert text_of(stop) == "Exit this page", name
        assert stop["href"] == EXIT, name
        assert "Leaves at once for news.example.org." in text_of(page.select_one(".exit-hint"))
        scripts = [script["src"] for script in page.select("script[src]")]
        assert "/static/js/exit.js" in scripts, name


def test_the_article_keeps_its_contents_in_reach_from_the_exit_bar(client, seeded):
    """A plain link beside the exit button leads to the contents from anywhere in the
    article; every section with items ends with a link back to them too."""
    page = soup(client.get("/"))
    bar = page.select_one(".exit-bar")
    assert [(text_of(a), a["href"]) for a in bar.find_all("a")] == [
        ("Exit this page", "https://www.bbc.co.uk/weather"),
        ("Contents", "#toc-title"),
    ]
    assert page.select_one("#toc-title").find_parent("nav")["class"] == ["toc"]
    for section in page.select("section.section"):
        if section.select(".item"):
            back = section.select(".back-to-top a")[-1]
            assert (text_of(back), back["href"]) == ("Back to contents", "#toc-title")


def test_the_shortcut_hint_is_its_own_part_of_the_line(client, seeded):
    """The stylesheet shows the Shift hint only where a keyboard is likely, so it must be
    apart from the words every reader gets."""
    hint = soup(client.get("/")).select_one(".exit-hint")
    keys = hint.select_one(".exit-hint__keys")
    assert text_of(keys) == "Or press Shift three times."
    keys.extract()
    assert text_of(hint) == "Leaves at once for bbc.co.uk."
