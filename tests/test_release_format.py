"""The release format: versioned, and read leniently, so no release ever stops rendering."""

from dataclasses import dataclass

import pytest

from advice import releases
from advice.markdown import RefusedMarkdown
from advice.models import Item, Release
from advice.releases import (
    SCHEMA_VERSION,
    from_json,
    preview_content,
    publish,
    schema_of,
    upgraded,
)

from .moments import SEED_PUBLISHED_AT
from .quiz_helpers import START


@dataclass(frozen=True)
class Shape:
    name: str
    colour: str = "none given"


def test_a_field_the_release_lacks_takes_its_default():
    assert from_json(Shape, {"name": "old"}) == Shape(name="old", colour="none given")


def test_keys_this_code_does_not_know_are_ignored():
    """A release written by a newer worker during a deploy still reads."""
    assert from_json(Shape, {"name": "new", "sparkle": True}) == Shape(name="new")


def test_parts_replace_the_raw_values():
    assert from_json(Shape, {"name": "raw", "colour": "red"}, colour="RED").colour == "RED"


def test_a_release_without_a_version_is_the_first_format():
    assert schema_of({"articles": []}) == 1


def test_upgrades_run_in_order_from_the_release_s_own_version(monkeypatch):
    monkeypatch.setattr(releases, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(
        releases,
        "UPGRADES",
        {
            1: lambda content: {**content, "schema": 2, "steps": [*content["steps"], "1→2"]},
            2: lambda content: {**content, "schema": 3, "steps": [*content["steps"], "2→3"]},
        },
    )
    assert upgraded({"steps": []})["steps"] == ["1→2", "2→3"]
    assert upgraded({"schema": 2, "steps": []})["steps"] == ["2→3"]
    assert upgraded({"schema": 3, "steps": []})["steps"] == []


@pytest.mark.django_db
def test_a_new_release_names_its_format(seeded):
    publish()
    assert schema_of(Release.objects.live().first().content) == SCHEMA_VERSION


# -- Markdown is rendered once, when publishing -------------------------------------------

BOMB = "- " * 600 + "deeper"  # a 600-level nested list: RecursionError in Python-Markdown


@pytest.mark.django_db
def test_a_release_stores_every_text_as_html(questionnaire):
    content = Release.objects.live().first().content
    section = content["articles"][0]["sections"][1]
    assert section["items"][0]["body_html"].startswith("<p>")
    assert "intro_html" in section and "outro_html" in section
    published = content["questionnaires"][0]
    assert published["safety_html"].startswith("<p>")
    assert all(verdict["body_html"] for verdict in published["verdicts"])


@pytest.mark.django_db
def test_readers_never_run_markdown(questionnaire, client, monkeypatch):
    def no_markdown(*args):
        raise AssertionError("Markdown rendered for a reader")

    monkeypatch.setattr(releases, "render_all", no_markdown)
    assert client.get("/").status_code == 200
    assert client.get(START).status_code == 200


@pytest.mark.django_db
def test_publishing_a_body_that_breaks_the_limits_is_refused_naming_the_item(seeded):
    Item.objects.filter(slug="reason-stressed").update(body=BOMB)
    with pytest.raises(RefusedMarkdown, match="^“He’s stressed and none of this is about you”: "):
        publish()
    assert Release.objects.count() == 1


@pytest.mark.django_db
def test_the_preview_shows_such_a_body_as_plain_text_and_lists_it(seeded):
    Item.objects.filter(slug="reason-stressed").update(body=BOMB)
    problems = []
    item = preview_content(problems).home.items_by_slug["reason-stressed"]
    assert item.body_html.startswith("<p>- - - ")
    assert problems == [f"“{item.title}”: Lists or quotes are nested more than 8 levels deep; "
                        "flatten them."]  # fmt: skip


@pytest.mark.django_db
def test_a_release_from_before_stored_html_renders_a_broken_body_as_plain_text(seeded, client):
    """Old releases are rendered when first read, within the limits, never with a 500."""
    content = Release.objects.get().content
    old = {key: value for key, value in content.items() if key != "schema"}
    for section in old["articles"][0]["sections"]:
        for item in section["items"]:
            del item["body_html"]
            if item["slug"] == "reason-stressed":
                item["body"] = BOMB
    publish()  # a later version, so the old one is read as a result link would read it
    release = Release.objects.create(content=old, go_live_at=SEED_PUBLISHED_AT)
    item = releases.published(release).home.items_by_slug["reason-stressed"]
    assert item.body_html.startswith("<p>- - - ")
    others = releases.published(release).home.items_by_slug.values()
    assert all(other.body_html.startswith("<p>") for other in others)


@pytest.mark.django_db
def test_stored_html_is_cleaned_again_when_read(seeded, client):
    """An allowlist tightened after publishing applies to what was published before."""
    release = Release.objects.get()
    content = release.content
    content["articles"][0]["sections"][1]["items"][0]["body_html"] = "<script>x()</script>ok"
    Release.objects.filter(pk=release.pk).update(content=content)
    releases.forget_parsed_releases()
    assert "<script>" not in client.get("/").content.decode()


# -- Every language in one release (format 3) ----------------------------------------------


def test_a_release_from_before_translations_is_read_as_english_only():
    old = {"schema": 2, "articles": [{"id": 1, "title": "Old", "sections": []}]}
    assert upgraded(old)["articles"][0]["languages"] == ["en"]
    assert "languages" not in old["articles"][0]  # the stored release is never changed


@pytest.mark.django_db
def test_a_release_holds_each_text_s_translation_beside_its_english(questionnaire):
    content = Release.objects.live().first().content
    item = content["articles"][0]["sections"][1]["items"][0]
    assert item["translations"]["es"]["title"] == "Se está enamorando de ti"
    published = content["questionnaires"][0]
    question = published["rules"]["questions"][0]
    assert question["translations"]["es"]["text"].startswith("¿Cómo están las cosas")
    assert (
        question["choices"][0]["translations"]["es"]["text"]
        == "Estamos juntos, pero lo siento lejos"
    )
    assert published["safety_html"] and published["translations"]["es"]["safety_html"].startswith(
        "<p>"
    )
    assert published["languages"] == ["en"]  # the seed's Spanish is not published yet
