"""Every version ever published keeps rendering: a release captured in the first format
(tests/golden, never regenerated) still shows its article and its readers' results."""

import hashlib
import json
from pathlib import Path

import pytest
from django.urls import resolve, reverse

from advice.models import Article, Release
from advice.releases import SCHEMA_VERSION, publish, schema_of
from quiz.models import Questionnaire, QuizSession

from .html import soup, text_of
from .moments import SEED_PUBLISHED_AT

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parent / "golden"
# The files exactly as captured: a failure here means a golden file was edited.
CAPTURED = {
    "release-1.json": "09992d5daea64aa541926d1599a5c47d8e8bd16dd282254e066924af45213183",
    "results-1.json": "abb22bb201bdd580cd669065410bf232bfbaa725703c776ca3515fefa6785697",
}


def golden(name: str):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture
def release_1():
    """The golden release, live, with the draft rows its readers' sessions point at: made
    here from the release itself, so the test does not depend on today's seed files."""
    content = golden("release-1.json")
    article = content["articles"][0]
    draft_article = Article.objects.create(
        id=article["id"], title=article["title"], slug=article["slug"], is_home=True
    )
    for questionnaire in content["questionnaires"]:
        Questionnaire.objects.create(
            id=questionnaire["id"],
            article=draft_article,
            title=questionnaire["title"],
            slug=questionnaire["slug"],
        )
    return Release.objects.create(content=content, go_live_at=SEED_PUBLISHED_AT)


def completed_session(release, name: str) -> QuizSession:
    results = golden("results-1.json")
    return QuizSession.objects.create(
        questionnaire_id=results["questionnaire_id"],
        release=release,
        final_answers=results["results"][name]["final_answers"],
        completed_at=SEED_PUBLISHED_AT,
    )


def shown_on(page) -> dict:
    """What a result page shows, in the terms results-1.json records."""
    groups = {
        section["aria-labelledby"].removesuffix("-title"): [
            text_of(heading) for heading in section.find_all("h3")
        ]
        for section in page.main.select("section.result__group")
    }
    safety = page.main.select_one("section.panel--safety")
    return {
        "verdict": text_of(page.main.h1),
        **groups,
        "safety": text_of(safety.h2) if safety else None,
    }


@pytest.mark.parametrize("name", CAPTURED)
def test_the_golden_files_are_as_captured(name):
    assert hashlib.sha256((GOLDEN / name).read_bytes()).hexdigest() == CAPTURED[name]


def test_the_golden_release_is_in_the_first_format():
    assert schema_of(golden("release-1.json")) == 1 <= SCHEMA_VERSION


def test_its_article_renders_every_heading_it_holds(client, release_1):
    article = release_1.content["articles"][0]
    response = client.get(reverse("advice:home"))
    assert response.status_code == 200
    page = soup(response)
    assert text_of(page.h1) == article["title"]
    headings = {text_of(h) for h in page.main.select("h2, h3")}
    for section in article["sections"]:
        if section["show_title"]:
            assert section["title"] in headings
        for number, item in enumerate(section["items"], start=1):
            assert f"{number}) {item['title']}" in headings


@pytest.mark.parametrize("name", golden("results-1.json")["results"])
def test_an_old_result_link_shows_what_it_showed(client, release_1, name):
    session = completed_session(release_1, name)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    assert shown_on(soup(response)) == golden("results-1.json")["results"][name]["shown"]


def test_old_result_links_keep_their_version_after_new_ones_go_live(client, release_1):
    """Editors publish a new version (here: the article emptied); her link is unchanged."""
    session = completed_session(release_1, "left-with-warning-signs")
    Article.objects.filter(pk=release_1.content["articles"][0]["id"]).update(is_published=True)
    publish()
    assert Release.objects.live().first() != release_1
    page = soup(client.get(session.get_absolute_url()))
    expected = golden("results-1.json")["results"]["left-with-warning-signs"]["shown"]
    assert shown_on(page) == expected


def test_a_reader_can_still_take_the_questionnaire_under_it(client, release_1):
    """A run started while the golden release is live is asked and scored under it."""
    results = golden("results-1.json")["results"]["stressed-but-together"]
    response = client.post(reverse("quiz:start"))
    while resolve(response["Location"]).url_name == "question":
        url = response["Location"]
        question_id = resolve(url).kwargs["question_id"]
        page = client.get(url)
        assert page.status_code == 200
        revision = soup(page).find("input", attrs={"name": "revision"})["value"]
        chosen = [str(c) for c in results["final_answers"][str(question_id)]]
        response = client.post(url, {"revision": revision, "choice": chosen})
        assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("quiz:review")
    result = client.post(reverse("quiz:review"))
    assert QuizSession.objects.get().release == release_1
    assert shown_on(soup(client.get(result["Location"]))) == results["shown"]
