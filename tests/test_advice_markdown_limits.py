"""No body an editor writes can take a page down: Markdown renders within limits of
length, nesting and time, in the preview as everywhere else, or is refused with a message."""

import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from advice import markdown
from advice.markdown import (
    MAX_CHARACTERS,
    MAX_DEPTH,
    SECONDS_PER_BODY,
    RefusedMarkdown,
    nesting_depth,
    render_all,
    render_markdown,
)
from advice.models import Item, Release

from .admin_forms import submit

PREVIEW = "/markdownx/markdownify/"
# The bodies that took the site down: every `GET /` answered 500 or hung its worker.
NESTED_LISTS = "- " * 600 + "deeper"
BRACKETS = "[" * 100_000
EMPHASIS = "_a*" * 57_000
# Within the length limit, but Python-Markdown would take seconds on them.
SLOW_BUT_SHORT = "[" * 5_000
NESTED_HTML = '<div markdown="1">\n' * 600 + "x" + "\n</div>" * 600
# Refused before rendering: well under this, however busy the machine.
MARGIN = 0.5
# What a refusal at the time limit takes on top of it (forking, killing the child): up to
# a second or more when every core is busy (a clock run beside another suite took 0.9 s),
# and still well under SLOW_BUT_SHORT's 4.5 s left to render to its end.
KILL_MARGIN = 2.0


def refusal(text: str) -> str:
    with pytest.raises(RefusedMarkdown) as refused:
        render_markdown(text)
    return refused.value.message


def test_a_600_level_nested_list_is_refused_with_a_message():
    assert f"nested more than {MAX_DEPTH} levels" in refusal(NESTED_LISTS)
    indented = "".join("    " * level + "- deeper\n" for level in range(600))
    assert "characters long" in refusal(indented)


@pytest.mark.parametrize("bomb", [BRACKETS, EMPHASIS], ids=["brackets", "emphasis"])
def test_long_bombs_are_refused_at_once(bomb):
    started = time.perf_counter()
    assert f"keep it under {MAX_CHARACTERS:,}" in refusal(bomb)
    assert time.perf_counter() - started < MARGIN


def test_a_short_body_that_renders_too_slowly_is_stopped_at_the_time_limit():
    started = time.perf_counter()
    assert "takes too long" in refusal(SLOW_BUT_SHORT)
    assert time.perf_counter() - started < SECONDS_PER_BODY + KILL_MARGIN


def test_nesting_that_would_exhaust_the_stack_is_refused():
    assert "nested too deeply" in refusal(NESTED_HTML)


def test_the_refusal_names_which_text_broke_the_limits():
    with pytest.raises(RefusedMarkdown) as refused:
        render_all(["*fine*", "also fine", SLOW_BUT_SHORT, "never reached"])
    assert refused.value.position == 2


def test_the_refusal_names_its_text_when_texts_before_it_were_rendered_already():
    render_all(["*kept from before*"])
    with pytest.raises(RefusedMarkdown) as refused:
        render_all(["*kept from before*", "", SLOW_BUT_SHORT])
    assert refused.value.position == 2
    assert refused.value.rendered == ["<p><em>kept from before</em></p>", ""]


def test_a_text_rendered_once_is_not_rendered_again_in_the_same_process(monkeypatch):
    text = f"*once* {uuid.uuid4()}"
    first = render_markdown(text)

    def no_child(*args, **kwargs):
        raise AssertionError("a second child process was started for the same text")

    monkeypatch.setattr(markdown.multiprocessing, "get_context", no_child)
    assert render_all([text, "", text]) == [first, "", first]


def test_a_refused_text_is_tried_again_and_refused_again():
    for _attempt in range(2):
        started = time.perf_counter()
        assert "takes too long" in refusal(SLOW_BUT_SHORT)
        assert time.perf_counter() - started < SECONDS_PER_BODY + KILL_MARGIN


def test_the_memo_forgets_the_least_recently_used_text_beyond_its_budget():
    memo = markdown.RenderedMemo(budget=25)
    memo.put("a" * 5, "b" * 5)
    memo.put("c" * 5, "d" * 5)
    assert memo.get("a" * 5) == "b" * 5  # now the most recently used
    memo.put("e" * 5, "f" * 5)
    assert memo.get("c" * 5) is None
    assert memo.get("a" * 5) == "b" * 5
    assert memo.size == 20


def test_ordinary_markdown_renders_as_before():
    assert render_all(["**hi**", "", "- a\n    - b"]) == [
        "<p><strong>hi</strong></p>",
        "",
        "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>",
    ]


def test_nesting_counts_markers_and_indentation_not_the_spaces_between_markers():
    assert nesting_depth("> > > x") == 3
    assert nesting_depth("- a\n    - b") == 2
    assert nesting_depth("- - - x") == 3
    assert nesting_depth("* * * * * * * * * *") == 0  # a rule, not lists
    assert nesting_depth("plain\n\n-1 degrees") == 0


MARKDOWN_PIECES = st.lists(
    st.sampled_from(
        ["[", "]", "(", ")", "*", "_", "`", ">", "<", "-", "1.", "    ", "\n", "a", "!"]
    ),
    max_size=600,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN_PIECES)
def test_any_mix_of_brackets_and_nesting_renders_or_is_refused_in_time(text):
    started = time.perf_counter()
    try:
        html = render_markdown(text)
    except RefusedMarkdown as refused:
        assert refused.message
    else:
        assert "<script" not in html
    assert time.perf_counter() - started < SECONDS_PER_BODY + KILL_MARGIN


NESTINGS = {
    "indented lists": lambda levels: "".join("    " * n + "- x\n" for n in range(levels)),
    "lists on one line": lambda levels: "- " * levels + "x",
    "quotes": lambda levels: "> " * levels + "x",
    "quoted lists": lambda levels: "> 1. " * (levels // 2 + 1) + "x",
}


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=MAX_DEPTH + 1, max_value=300), st.sampled_from(list(NESTINGS)))
def test_any_nesting_beyond_the_limit_is_refused_before_rendering(levels, nesting):
    text = NESTINGS[nesting](levels)
    started = time.perf_counter()
    with pytest.raises(RefusedMarkdown):
        render_markdown(text)
    assert time.perf_counter() - started < MARGIN


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bomb",
    [NESTED_LISTS, BRACKETS, EMPHASIS, SLOW_BUT_SHORT],
    ids=["nested lists", "brackets", "emphasis", "slow but short"],
)
def test_the_live_preview_answers_400_with_a_message(editor_client, bomb):
    response = editor_client.post(PREVIEW, {"content": bomb})
    assert response.status_code == 400
    assert b'class="markdown-refused"' in response.content


# -- Refused when saved and when published -------------------------------------------------


@pytest.mark.django_db
def test_an_editor_saving_such_a_body_is_told_what_to_change(editor_client, seeded):
    item = Item.objects.get(slug="reason-stressed")
    response = submit(editor_client, f"/admin/advice/item/{item.pk}/change/", body=NESTED_LISTS)
    assert response.status_code == 200  # the form again, with the message
    assertContains(response, f"Lists or quotes are nested more than {MAX_DEPTH} levels deep")
    assert Item.objects.get(pk=item.pk).body == item.body


@pytest.mark.django_db
def test_the_publish_page_names_a_body_saved_past_the_limits(editor_client, seeded):
    """Saved some other way (a script, a restored backup): publishing refuses it."""
    Item.objects.filter(slug="reason-stressed").update(body=SLOW_BUT_SHORT)
    page = editor_client.get("/admin/advice/release/add/")
    assertContains(page, "To fix before publishing")
    assertContains(page, "“He’s stressed and none of this is about you”: This text takes too long")
    response = editor_client.post("/admin/advice/release/add/", {"note": "", "go_live_at": ""})
    assertContains(response, "Nothing was published.", status_code=400)
    assert Release.objects.count() == 1
