"""Every version ever published keeps rendering: a release captured in each format
(tests/golden, never regenerated) still shows its article and its readers' results."""

import hashlib
import json
from pathlib import Path

import pytest
from django.urls import resolve, reverse

from advice.models import Article, Release
from advice.releases import SCHEMA_VERSION, publish, schema_of
from quiz.models import Questionnaire, QuizSession, SupportResource

from .html import soup, text_of
from .moments import SEED_PUBLISHED_AT

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parent / "golden"
# The files exactly as captured: a failure here means a golden file was edited.
CAPTURED = {
    "release-4.json": "18f8caaa836b410b2cc44b7d9f29713716ec803dfa5f568499f3534dce3d73be",
    "results-4.json": "23457ce76aef59780d462b31c5d70b87b3840f6c9e67adc25017baab9ffe3805",
    "release-3.json": "98db2ad0ed8ed968953759e4d3ec4b5068696e49d625456f67790fe792f54989",
    "results-3.json": "fc22294d4c44cd38a379d96d8c9d9e6c0a27186523c15969a09a86d7bd2b32e4",
    "release-2.json": "ac7626aac5dfb9369030d75025469d35f92fef5e35e1671d1bcc3398a8c7a6cc",
    "results-2.json": "644f3a2ee197f4b73d12663c9c1167dde05590d7e54dd7cd174bc9afe2babe30",
    "release-1.json": "09992d5daea64aa541926d1599a5c47d8e8bd16dd282254e066924af45213183",
    "results-1.json": "abb22bb201bdd580cd669065410bf232bfbaa725703c776ca3515fefa6785697",
}


def golden(name: str):
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


# Every format a release was ever published in, oldest first.
FORMATS = [1, 2, 3, 4]


@pytest.fixture(params=FORMATS, ids=lambda version: f"format {version}")
def version(request) -> int:
    return request.param


@pytest.fixture
def golden_release(version):
    """The golden release, live, with the draft rows its readers' sessions point at: made
    here from the release itself, so the test does not depend on today's seed files."""
    content = golden(f"release-{version}.json")
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


def results_of(release) -> dict:
    return golden(f"results-{schema_of(release.content)}.json")


def completed_session(release, name: str) -> QuizSession:
    results = results_of(release)
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


def test_there_is_a_golden_release_in_every_format():
    assert list(range(1, SCHEMA_VERSION + 1)) == FORMATS
    assert [schema_of(golden(f"release-{version}.json")) for version in FORMATS] == FORMATS


def test_its_article_renders_every_heading_it_holds(client, golden_release):
    article = golden_release.content["articles"][0]
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


def test_the_list_of_articles_shows_its_article_and_its_questionnaire(client, golden_release):
    """Versions from before the list (and before related articles) are listed all the same."""
    article = golden_release.content["articles"][0]
    assert not article.get("related")  # formats 1 and 2 have no such key; 3 and 4 list none
    response = client.get(reverse("advice:list"))
    assert response.status_code == 200
    cards = soup(response).select("main .article-card")
    assert [text_of(card.h2) for card in cards] == [article["title"]]
    assert "With a questionnaire" in text_of(cards[0])
    assert soup(client.get(reverse("advice:home"))).select_one("#related-title") is None


@pytest.mark.parametrize("name", ["left-with-warning-signs", "stressed-but-together"])
def test_an_old_result_link_shows_what_it_showed(client, golden_release, name):
    session = completed_session(golden_release, name)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    assert shown_on(soup(response)) == results_of(golden_release)["results"][name]["shown"]


def test_old_result_links_keep_their_version_after_new_ones_go_live(client, golden_release):
    """Editors publish a new version (here: the article emptied); her link is unchanged."""
    session = completed_session(golden_release, "left-with-warning-signs")
    Article.objects.filter(pk=golden_release.content["articles"][0]["id"]).update(is_published=True)
    publish()
    assert Release.objects.live().first() != golden_release
    page = soup(client.get(session.get_absolute_url()))
    expected = results_of(golden_release)["results"]["left-with-warning-signs"]["shown"]
    assert shown_on(page) == expected


def lines_held_by(content: dict, country: str) -> list[str]:
    """The names of the lines a release holds for a reader in `country` (and for everyone),
    as the panel shows them: site-wide from format 4 on, each questionnaire's before."""
    if "support_resources" in content:
        lines = [r for r in content["support_resources"] if r["country"] in (country, "")]
    else:
        lines = content["questionnaires"][0]["resources"]  # every line, no country asked
    return [r["name"] + (f" ({r['area']})" if r.get("area") else "") for r in lines]


def test_an_old_result_s_safety_panel_shows_the_lines_its_release_held(client, golden_release):
    """Lines added (or made site-wide) since do not reach a result of an older version."""
    SupportResource.objects.create(name="A line published since", phone="+44 808 2000 247")
    Article.objects.filter(pk=golden_release.content["articles"][0]["id"]).update(is_published=True)
    publish()
    session = completed_session(golden_release, "left-with-warning-signs")
    panel = soup(client.get(session.get_absolute_url(), {"country": "GB"})).select_one(
        ".panel--safety"
    )
    shown = [text_of(li.strong).rstrip(":") for li in panel.select(".resources li")]
    expected = lines_held_by(golden_release.content, "GB")
    assert expected and shown[-len(expected) :] == expected
    assert "A line published since" not in text_of(panel)


def test_a_reader_can_still_take_the_questionnaire_under_it(client, golden_release):
    """A run started while the golden release is live is asked and scored under it."""
    results = results_of(golden_release)["results"]["stressed-but-together"]
    slug = golden_release.content["questionnaires"][0]["slug"]
    response = client.post(reverse("quiz:start", args=[slug]))
    while resolve(response["Location"]).url_name == "question":
        url = response["Location"]
        question_id = resolve(url).kwargs["question_id"]
        page = client.get(url)
        assert page.status_code == 200
        revision = soup(page).find("input", attrs={"name": "revision"})["value"]
        chosen = [str(c) for c in results["final_answers"][str(question_id)]]
        response = client.post(url, {"revision": revision, "choice": chosen})
        assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("quiz:review", args=[slug])
    result = client.post(reverse("quiz:review", args=[slug]))
    assert QuizSession.objects.get().release == golden_release
    assert shown_on(soup(client.get(result["Location"]))) == results["shown"]


@pytest.mark.parametrize("name", ["release-3.json", "release-4.json"])
def test_a_release_with_translations_still_shows_its_spanish(client, name):
    """Formats 3 on hold every published language: Spanish readers keep their Spanish."""
    content = golden(name)
    Release.objects.create(content=content, go_live_at=SEED_PUBLISHED_AT)
    page = soup(client.get("/es/"))
    assert text_of(page.h1) == content["articles"][0]["translations"]["es"]["title"]
