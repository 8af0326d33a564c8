"""How an article's text splits into sections and items (advice/paste.py): the seed, Markdown,
and any text at all. No database: the parser is plain Python."""

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from advice.paste import ParsedArticle, parse
from scripts.seed_to_fixture import FIXTURE, SEED_ES, build_records

from .seed import SEED_PATH

LETTERS = re.compile(r"[^\W\d_]+")


def test_the_seed_splits_into_an_introduction_three_lists_and_final_thoughts():
    article = parse(SEED_PATH.read_text(encoding="utf-8"))
    assert article.title == "Why is he pushing me away when he loves me?"
    assert [section.title for section in article.sections] == [
        "",
        "5 reasons he is pushing you away even though he loves you",
        "How to handle your man pulling away",
        "Signs it’s time to walk away from your relationship",
        "Final thoughts",
    ]
    assert [len(section.items) for section in article.sections] == [0, 5, 14, 8, 0]
    assert article.item_count == 27
    assert article.heading_count == 31  # four section headings and 27 items


def test_the_seed_keeps_each_line_as_a_paragraph_where_it_belongs():
    introduction, reasons, ways, signs, final = parse(SEED_PATH.read_text("utf-8")).sections
    assert introduction.intro_paragraphs[0] == "Are you asking yourself this question?"
    assert len(introduction.intro_paragraphs) == 5
    assert reasons.items[1].title == "He’s stressed and none of this is about you"
    assert reasons.items[1].body.startswith("Continuing with our theme")
    assert ways.items[13].title == "Be sure you even want him back"
    assert signs.intro.startswith("Whether you’ve been dating a guy for two months")
    assert len(signs.intro_paragraphs) == 4
    assert signs.items[7].title == "He’s gaslighting you"
    assert final.intro.startswith("I know that this situation is tough for you.")
    assert not final.items


def test_the_seed_fixture_is_what_its_generator_makes_from_the_seed_with_this_parser():
    records = build_records(
        SEED_PATH.read_text(encoding="utf-8"), SEED_ES.read_text(encoding="utf-8")
    )
    assert records == json.loads(FIXTURE.read_text(encoding="utf-8"))


MARKDOWN = """# Why he went quiet

He stopped answering. Here is why.

## Reasons

Two of them.

### 1. He is tired

Work, **mostly**.

- long days
- short nights

### He is scared

Of what comes next.

#### A smaller heading

Stays in the item.

---

After the reasons.

## Final thoughts

Look after yourself.
"""


def test_markdown_headings_start_sections_and_items():
    article = parse(MARKDOWN)
    assert article.markdown
    assert article.title == "Why he went quiet"
    assert [section.title for section in article.sections] == ["", "Reasons", "Final thoughts"]
    introduction, reasons, final = article.sections
    assert introduction.intro == "He stopped answering. Here is why."
    assert reasons.intro == "Two of them."
    assert [item.title for item in reasons.items] == ["He is tired", "He is scared"]
    assert reasons.items[0].body == "Work, **mostly**.\n\n- long days\n- short nights"
    assert reasons.items[1].paragraphs == [
        "Of what comes next.",
        "#### A smaller heading",
        "Stays in the item.",
    ]
    assert reasons.outro == "After the reasons."
    assert final.intro == "Look after yourself."


def test_markdown_sections_can_be_one_level_down_from_the_title_or_at_it():
    text = "Title line\n\n# First\n\nText.\n\n## An item\n\nIts body.\n\n# Second\n"
    article = parse(text)
    assert article.title == "Title line"
    assert [(s.title, [i.title for i in s.items]) for s in article.sections] == [
        ("First", ["An item"]),
        ("Second", []),
    ]


def test_numbered_markdown_headings_alone_are_items_of_one_section():
    article = parse("# Ten ways\n\nIntro.\n\n## 1. Breathe\n\nIn.\n\n## 2) Walk\n\nOut.\n")
    (section,) = article.sections
    assert section.intro == "Intro."
    assert [item.title for item in section.items] == ["Breathe", "Walk"]


def test_a_heading_inside_a_code_block_starts_nothing():
    text = "# T\n\n## S\n\n### I\n\n```\n## not a section\n\nstill code\n```\n"
    article = parse(text)
    assert [section.title for section in article.sections] == ["S"]
    assert article.sections[0].items[0].body == "```\n## not a section\n\nstill code\n```"


def test_plain_text_takes_numbered_lines_as_items_and_short_unfinished_lines_as_sections():
    text = "“My title”\nA first paragraph.\nWhat to do\n1. Rest\nSleep more.\n2) Talk\n---\nDone.\n"
    article = parse(text)
    assert not article.markdown
    assert article.title == "My title"
    introduction, what_to_do = article.sections
    assert introduction.title == "" and introduction.intro == "A first paragraph."
    assert what_to_do.title == "What to do"
    assert [item.title for item in what_to_do.items] == ["Rest", "Talk"]
    assert what_to_do.items[0].body == "Sleep more."
    assert what_to_do.outro == "Done."


def test_a_line_in_lower_case_or_ending_like_a_sentence_is_a_paragraph():
    article = parse("Title\nIntro\nand so it goes on\nHe left.\nWhy?\n")
    assert [section.title for section in article.sections] == ["Intro"]
    assert article.sections[0].intro_paragraphs == ["and so it goes on", "He left.", "Why?"]


def test_a_text_without_headings_has_none_to_report():
    assert parse("").title == ""
    assert parse("").sections == []
    assert parse("Only a title").heading_count == 0
    assert parse("Title\nA paragraph, nothing more.").heading_count == 0


def test_a_text_starting_with_an_item_has_no_title():
    assert parse("1) First\nBody.").title == ""
    assert parse("## Section\n\nText.").title == ""


def letters(text: str) -> str:
    return "".join(LETTERS.findall(text))


def written_out(article: ParsedArticle) -> str:
    """Every text the article holds, in reading order."""
    parts = [article.title]
    for section in article.sections:
        parts += [section.title, section.intro]
        for item in section.items:
            parts += [item.title, item.body]
        parts.append(section.outro)
    return "\n".join(parts)


# Texts built from what the parser looks for, so that examples hit its rules often.
LINES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "---", "```", "~~~", "Final thoughts", "He left.", "and then"]),
    st.builds(lambda marks, text: f"{marks} {text}", st.sampled_from(["#", "##", "###", "####"]),
              st.text(max_size=20)),
    st.builds(lambda n, text: f"{n}) {text}", st.integers(0, 999), st.text(max_size=20)),
    st.builds(lambda n, text: f"{n}. {text}", st.integers(0, 99), st.text(max_size=20)),
)  # fmt: skip
TEXTS = st.one_of(st.text(), st.lists(LINES, max_size=30).map("\n".join))


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_any_text_parses_without_an_error_and_loses_no_word(text):
    """Every line ends up somewhere: the letters of the text, in order, are those of the
    title, section and item titles and texts (numbers, "#" marks and quotes go)."""
    assert letters(written_out(parse(text))) == letters(text)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_an_article_written_out_in_markdown_splits_the_same_again(text):
    article = parse(text)
    again = parse(article.as_markdown())
    assert again.title == article.title
    assert again.sections == article.sections
