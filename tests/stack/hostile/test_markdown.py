"""Script in editors' Markdown never runs: in any field readers see, or in the preview."""

import json

import pytest

from ...quiz_helpers import START
from ..editors import admin_save
from .readers import finish_questionnaire
from .script_probes import Markup, assert_no_script_ran, open_in_chromium, payload
from .wire import cookie_header, form_body, host_of

PREVIEW = "/markdownx/markdownify/"


RESULT = "the result page"
# Each Markdown field editors write, and the public page that shows it.
FIELDS = {
    "item_body": "/",
    "section_intro": "/",
    "section_outro": "/",
    "questionnaire_intro": START,
    "cannot_know": START,
    "safety_text": RESULT,
    "verdict_body": RESULT,
}

CONTENT_STATE = """
from django.core import serializers
from advice.models import Article, Item, Section
from quiz.models import Question, Questionnaire, ReasonRule, SupportResource, Verdict
rows = serializers.serialize("python", [
    *Article.objects.all(), *Section.objects.all(), *Item.objects.all(),
    *Questionnaire.objects.all(), *Question.objects.all(), *ReasonRule.objects.all(),
    *Verdict.objects.all(), *SupportResource.objects.all(),
])
result = {
    f"{row['model']}:{row['pk']}": {
        name: value for name, value in row["fields"].items()
        if name not in ("updated_at", "published_at")
    }
    for row in rows
}
"""

# The probes change the safety text and a verdict: a second editor has to approve them
# before they can be published (advice/review.py).
SECOND_EDITOR_APPROVES = """
from django.contrib.auth.models import User
from advice import review
from advice.models import Review
second = User.objects.filter(username="second-editor").first() or User.objects.create_superuser(
    "second-editor", "second@example.org", "a long second editor password"
)
result = str(review.record_step(review.pending(), second, Review.Decision.APPROVED, "probes"))
"""

RESTORE = """
from django.apps import apps
restored = []
for key, fields in ORIGINAL.items():
    label, pk = key.rsplit(":", 1)
    model = apps.get_model(label)
    row = model.objects.get(pk=pk)
    # Links to other rows (an article's related articles) are left as they are: no probe
    # goes there, and they cannot be assigned like a column.
    columns = {
        name: value for name, value in fields.items()
        if not model._meta.get_field(name).many_to_many
    }
    differs = {
        model._meta.get_field(name).attname: value
        for name, value in columns.items()
        if getattr(row, model._meta.get_field(name).attname) != value
    }
    for attname, value in differs.items():
        setattr(row, attname, value)
    if differs:
        row.save()  # the models' own save(): cached pages and rules are keyed afresh
        restored.append(key)
result = restored
"""

TARGETS = """
from advice.models import Article
from quiz.models import Questionnaire
article = Article.objects.get(is_home=True)
section = (
    article.sections.filter(is_published=True, items__is_published=True)
    .order_by("position").first()
)
item = section.items.filter(is_published=True).order_by("position").first()
questionnaire = Questionnaire.objects.published().order_by("pk").first()
result = {"section": section.pk, "item": item.pk, "questionnaire": questionnaire.pk}
"""


@pytest.fixture(scope="module")
def hostile_content(stack, shell, editor, catalogue):
    """Every Markdown field carries the payload, saved through the admin as an editor would,
    and published; the result pages are a reader's who finished after that.

    Put back (and published again) when the module ends: the stack is shared with other
    test files.
    """
    original = shell.query(CONTENT_STATE)
    targets = shell.query(TARGETS)
    try:
        admin_save(
            editor,
            f"/admin/advice/section/{targets['section']}/change/",
            "section_form",
            {"intro": payload("section_intro"), "outro": payload("section_outro")},
        )
        admin_save(
            editor,
            f"/admin/advice/item/{targets['item']}/change/",
            "item_form",
            {"body": payload("item_body")},
        )
        admin_save(
            editor,
            f"/admin/quiz/questionnaire/{targets['questionnaire']}/change/",
            "questionnaire_form",
            {
                "intro": payload("questionnaire_intro"),
                "cannot_know": payload("cannot_know"),
                "safety_text": payload("safety_text"),
                r"verdicts-\d+-body": payload("verdict_body"),
            },
        )
        edited = shell.query(CONTENT_STATE)
        assert edited.keys() == original.keys()
        changed = {
            (key, name): value
            for key, fields in edited.items()
            for name, value in fields.items()
            if original[key][name] != value
        }
        # The round trip through the admin forms changed the payload fields, nothing else.
        assert len(changed) > len(FIELDS)
        assert all(str(value).startswith("xss-probe-") for value in changed.values()), changed
        shell.query(SECOND_EDITOR_APPROVES)  # the safety text and a verdict are safety-critical
        admin_save(editor, "/admin/advice/release/add/", "publish_form", {"note": "probes"})
        finished = finish_questionnaire(stack, catalogue)
        yield {field: finished if page == RESULT else page for field, page in FIELDS.items()}
    finally:
        shell.query(f"import json\nORIGINAL = json.loads({json.dumps(original)!r})\n{RESTORE}")
        assert shell.query(CONTENT_STATE) == original
        shell.query("from advice.releases import publish\nresult = str(publish(note='restored'))")


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one Chromium (tests/conftest.py)."""
    return browser


CSP_MODES = [pytest.param(True, id="with-csp"), pytest.param(False, id="csp-stripped")]


@pytest.mark.parametrize("keep_csp", CSP_MODES)
@pytest.mark.parametrize("field", FIELDS)
def test_markdown_fields_run_no_script_in_chromium(
    stack, chromium, hostile_content, field, keep_csp
):
    path = hostile_content[field]
    served = stack.client().get(path)
    assert served.status == 200
    assert f"xss-probe-{field}" in served.text
    findings = open_in_chromium(chromium, stack, path, keep_csp=keep_csp)
    assert_no_script_ran(findings, f"xss-probe-{field}", keep_csp)


@pytest.mark.parametrize("keep_csp", CSP_MODES)
def test_the_editor_preview_runs_no_script_in_chromium(stack, chromium, editor, keep_csp):
    body = form_body({"csrfmiddlewaretoken": editor.csrf_token(), "content": payload("preview")})
    served = editor.post(PREVIEW, body=body)
    assert served.status == 200
    assert "xss-probe-preview" in served.text
    assert Markup(served.text).found == []
    post = {
        "body": body,
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            "cookie": cookie_header(editor.cookies),
            "origin": f"https://{host_of(stack)}",
        },
    }
    findings = open_in_chromium(chromium, stack, PREVIEW, keep_csp=keep_csp, post=post)
    assert_no_script_ran(findings, "xss-probe-preview", keep_csp)
