"""The seed article as the tests read it: independent of how the fixture was made."""

import re
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "article-seed.txt"
ITEM_HEADING = re.compile(r"^\d+\) ")
# A heading in the seed is a line that does not end like a sentence does.
SENTENCE_END = re.compile(r"[.?!:…”’)]$")


def seed_lines() -> list[str]:
    return [line.strip() for line in SEED_PATH.read_text(encoding="utf-8").splitlines()]


def seed_title() -> str:
    return seed_lines()[0].strip('“”"')


def seed_headings() -> list[str]:
    """Every section and item heading, in order (not the title)."""
    return [
        line
        for line in seed_lines()[1:]
        if line and (ITEM_HEADING.match(line) or not SENTENCE_END.search(line))
    ]


def seed_word_count() -> int:
    return sum(len(line.split()) for line in seed_lines())
