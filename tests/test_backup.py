"""Editors' content survives a backup round trip: dump, wipe, load, the same pages."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from advice.history import record_first_versions
from advice.models import Item, Release
from advice.releases import publish
from quiz.models import ChoiceRule

from .quiz_helpers import START

# What README's backup command dumps: the article and the questionnaire, their history and
# published versions, and the editors' accounts those name; not readers' anonymous sessions.
CONTENT = [
    "auth.user",
    "advice",
    "quiz.questionnaire",
    "quiz.question",
    "quiz.choice",
    "quiz.choicerule",
    "quiz.reasonrule",
    "quiz.verdict",
    "quiz.supportresource",
    "quiz.emergencynumber",
    *(
        f"quiz.historical{name}"
        for name in (
            "questionnaire",
            "question",
            "choice",
            "choicerule",
            "reasonrule",
            "verdict",
            "supportresource",
            "emergencynumber",
        )
    ),
]

pytestmark = pytest.mark.django_db(transaction=True)


def pages():
    """What a new reader sees: the article, the start page, the first question."""
    from django.test import Client

    reader = Client()
    pages = {"article": reader.get("/"), "start": reader.get(START)}
    pages["question"] = reader.get(reader.post(START)["Location"])
    # Forms carry a per-visitor CSRF token; everything else must be identical.
    return {name: re.sub(rb'value="[A-Za-z0-9]{64}"', b"", r.content) for name, r in pages.items()}


def test_dump_wipe_and_load_gives_the_same_pages(questionnaire, editor, tmp_path):
    record_first_versions()  # as `make run` does
    item = Item.objects.get(slug="reason-stressed")
    item._history_user = editor
    item.body = "An editor’s **own** words."
    item.save()
    publish(user=editor, note="Own words")
    before = pages()
    history = (Item.history.count(), ChoiceRule.history.count())
    assert all(history)

    backup = tmp_path / "content.json"
    call_command(
        "dumpdata", *CONTENT, natural_foreign=True, indent=2, output=str(backup), verbosity=0
    )
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    assert Item.objects.count() == ChoiceRule.objects.count() == Release.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)

    after = pages()
    assert after == before
    assert "An editor’s <strong>own</strong> words.".encode() in after["article"]
    assert Release.objects.live().first().published_by.username == editor.username
    assert (Item.history.count(), ChoiceRule.history.count()) == history
