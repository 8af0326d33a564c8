"""The release format: versioned, and read leniently, so no release ever stops rendering."""

from dataclasses import dataclass

import pytest

from advice import releases
from advice.models import Release
from advice.releases import SCHEMA_VERSION, from_json, publish, schema_of, upgraded


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
