"""One vocabulary for the article's items: reasons, ways to handle it, warning signs.

Section rows, published releases, result summaries and the statistics' daily counts all
store an item's kind as "reasons", "ways" or "signs". Releases never change once
published, so those strings are part of the site's data and must read the same forever.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from advice.kinds import ItemKind
from advice.models import Release, Section

from .factories import make_section

REPOSITORY = Path(__file__).resolve().parents[1]


def test_the_stored_values_of_the_item_kinds_never_change():
    assert [kind.value for kind in ItemKind] == ["reasons", "ways", "signs"]


def test_scoring_and_the_item_kinds_import_no_django():
    """Scoring stays plain Python: importing it (and the kinds it uses) loads no Django."""
    code = "import sys, quiz.scoring; print(sorted(m for m in sys.modules if 'django' in m))"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"


@pytest.mark.django_db
def test_a_section_row_stores_the_kind_as_its_plain_string():
    make_section(kind=ItemKind.WAYS)
    assert Section.objects.filter(kind="ways").count() == 1


@pytest.mark.django_db
def test_a_release_stores_the_kinds_as_plain_strings(questionnaire):
    content = Release.objects.latest().content
    sections = [section["kind"] for section in content["articles"][0]["sections"]]
    assert sections == ["introduction", "reasons", "ways", "signs", "closing"]
    items = [item["kind"] for item in content["questionnaires"][0]["rules"]["items"]]
    assert set(items) == {"reasons", "ways", "signs"}
    assert all(type(kind) is str for kind in sections + items)
