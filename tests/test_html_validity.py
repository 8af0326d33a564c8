"""Every public page is valid HTML: the Nu HTML Checker (vnu.jar) reports no error.

The checker comes from the npm package vnu-jar (`make test` installs it into node_modules/
and Debian's Java to run it). Pages are fetched with Django's test client as a reader meets
them, then checked together in one run, because the Java checker is slow to start.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from advice.models import Article
from advice.releases import publish

from .factories import make_article, make_item, make_questionnaire, make_section
from .quiz_helpers import (
    LEFT_WITH_WARNING_SIGNS,
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    revision_on,
    start,
)
from .test_quiz_check_ins import WORSE_PATH, check_in

NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.django_db


def html_of(client, url, status=200):
    """The page at `url` as this reader's browser gets it."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response["Content-Type"].startswith("text/html"), url
    return response.content.decode()


def take_and_collect(client, path, pages, who):
    """Take the questionnaire along `path`, keeping each page she sees; returns the result URL."""
    response = start(client)
    for number, (question_start, choice_start) in enumerate(path, start=1):
        chosen = choice(question_start, choice_start)
        url = response["Location"]
        assert url == f"{START}question/{chosen.question_id}/", (url, question_start)
        pages[f"{who}: question {number}"] = html_of(client, url)
        response = answer(client, chosen.question, chosen)
    pages[f"{who}: the review page"] = html_of(client, REVIEW)
    response = client.post(REVIEW)
    assert response.status_code == 302
    pages[f"{who}: the result page"] = html_of(client, response["Location"])
    return response["Location"]


def every_public_page(client):
    """The HTML of every page a reader can meet, by a short name."""
    pages = {}
    call_command("loaddata", "article", verbosity=0)
    publish()
    pages["the article, alone"] = html_of(client, "/")
    home = Article.objects.get(is_home=True)
    another = make_item(section=make_section(article=make_article(slug="another"))).section.article
    home.related.add(another)
    another.related.add(home)
    make_article(is_published=True)  # no sections: listed all the same
    publish()
    pages["the article, with related and more articles"] = html_of(client, "/")
    pages["another article, with breadcrumbs"] = html_of(client, "/read/another/")
    pages["the list of articles"] = html_of(client, "/articles/")
    pages["search, empty"] = html_of(client, "/search/")
    pages["search results"] = html_of(client, "/search/?q=give+him+space")
    pages["search results for a misspelt word"] = html_of(client, "/search/?q=gaslightnig")
    pages["search without results"] = html_of(client, "/search/?q=zebra")
    pages["search too long"] = html_of(client, "/search/?q=" + "a" * 201, status=400)
    pages["the questionnaire, before it is published"] = html_of(client, "/questionnaire/")
    call_command("loaddata", "questionnaire", "support_resources", verbosity=0)
    second = make_questionnaire(article=another, slug="another-questionnaire", questions=2)
    publish()
    pages["the questionnaire's start page"] = html_of(client, START)
    pages["another article, with its questionnaire's invitation"] = html_of(
        client, "/read/another/"
    )
    elsewhere = Client()  # a reader of the second article only
    pages["the second questionnaire's start page"] = html_of(elsewhere, second.get_absolute_url())
    first = start(elsewhere, second.get_absolute_url())["Location"]
    assert first.startswith(second.get_absolute_url() + "question/"), first
    pages["the second questionnaire's first question"] = html_of(elsewhere, first)

    first = start(client)["Location"]
    response = client.post(first, {"revision": revision_on(client.get(first))})  # no answer
    assert response.status_code == 400
    assert "Please pick an answer" in response.content.decode()
    pages["question 1 showing an error"] = response.content.decode()
    chosen = choice("Where do things stand", "We’re together")
    answer(client, chosen.question, chosen)
    pages["the start page offering to continue"] = html_of(client, START)

    result = take_and_collect(client, STRESSED_BUT_TOGETHER, pages, "stressed but together")
    pages["the start page after finishing"] = html_of(client, START)
    item = "reason-stressed"
    response = client.post(result + "feedback/", {"item": item, "helpful": "yes"})
    assert response.status_code == 303
    pages["the result page after saying an item helped"] = html_of(client, result)
    pages["her result in Spanish"] = html_of(client, f"/es{result}")
    refused = Client().post(result + "feedback/", {"item": item, "helpful": "yes"})
    assert refused.status_code == 403
    pages["voting from another browser"] = refused.content.decode()
    pages["someone else's result, read-only"] = html_of(Client(), result)
    pages["the article with her answers in mind"] = html_of(client, result + "article/")
    pages["her plan to print"] = html_of(client, result + "plan/")
    pages["her plan, a choice refused"] = html_of(client, result + "plan/?choose=1", status=400)
    pages["the calendar reminder"] = html_of(client, result + "reminder/")
    refused = client.post(result + "reminder/", {"day": "next tuesday", "title": "x" * 81})
    assert refused.status_code == 400
    pages["the calendar reminder, its day and title refused"] = refused.content.decode()
    pages["deleting from another browser"] = html_of(Client(), result + "delete/", status=403)
    pages["check in again"] = html_of(client, result + "check-in/")
    first_step = client.post(result + "check-in/")["Location"]
    pages["a check-in's question, her last answer picked"] = html_of(client, first_step)
    checked_in = check_in(client, result, WORSE_PATH)
    pages["a check-in's result: what moved, her timeline"] = html_of(client, checked_in)
    pages["deleting one check-in or all"] = html_of(client, checked_in + "delete/")

    other = Client()
    result = take_and_collect(other, LEFT_WITH_WARNING_SIGNS, pages, "left, with warning signs")
    assert "panel--safety" in pages["left, with warning signs: the result page"]
    pages["the delete confirmation"] = html_of(other, result + "delete/")
    response = other.post(result + "delete/", follow=True)
    assert response.redirect_chain == [("/questionnaire/deleted/", 302)]
    pages["the page saying her answers are deleted"] = response.content.decode()
    pages["the 404 page"] = html_of(client, "/no-such-page/", status=404)
    pages["the article in Spanish"] = html_of(client, "/es/")
    pages["no questionnaire at this address"] = html_of(
        client, "/questionnaire/no-such-quiz/", status=404
    )
    return pages


def nu_html_checker_errors(files: list[Path]) -> list[dict]:
    """Run vnu.jar once over all files; its JSON report (on stderr) lists the errors."""
    if not shutil.which("java"):
        pytest.fail("Java is missing: run `make checkers` (make test installs it).")
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make checkers` (make test does it).")
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=100,
    )
    report = json.loads(run.stderr)
    assert run.returncode == (1 if report["messages"] else 0), run.stderr
    return report["messages"]


# A page with a known fault goes into every run: the checker must find it, or it did not
# really check the others.
CONTROL = """<!doctype html><html lang="en"><title>Control</title><p id="twice"><p id="twice">"""


def test_every_public_page_passes_the_nu_html_checker(client, tmp_path):
    """0 errors from the Nu HTML Checker on every page of the article and the questionnaire."""
    pages = every_public_page(client)
    assert len(pages) >= 30  # every step of two full paths, and the pages around them
    names = {}
    for number, (name, html) in enumerate(pages.items(), start=1):
        path = tmp_path / f"page-{number:02}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    control = tmp_path / "control.html"
    control.write_text(CONTROL, encoding="utf-8")

    errors = nu_html_checker_errors(sorted(tmp_path.glob("*.html")))
    assert any(
        e.get("url", "").endswith("/control.html") and "Duplicate ID" in e["message"]
        for e in errors
    ), errors
    report = [
        f"{names.get(e.get('url', '').rpartition('/')[2], e.get('url'))}, "
        f"line {e.get('lastLine')}: "
        f"{e['message']}\n    {e.get('extract', '').strip()}"
        for e in errors
        if not e.get("url", "").endswith("/control.html")
    ]
    assert report == [], "The Nu HTML Checker found errors:\n" + "\n".join(report)
