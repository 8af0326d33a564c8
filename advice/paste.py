"""How an article's text splits into sections and items: the one reading of it.

Admin's "New article from text" page (advice/admin_paste.py) and the seed fixture's
generator (scripts/seed_to_fixture.py) both call `parse`, so a pasted article and the seed
are split the same way. Plain Python, no Django: the generator runs without settings.

Two layouts are read. A text with at least one Markdown heading ("## ..." outside a code
block) is **Markdown**:
- the first line is the article's title ("# Title", or a line that is no heading);
- the shallowest heading level after it starts sections, the next level starts items
  ("## Section", "### Item"); deeper headings stay in the item's text. When that one level
  holds only numbered headings ("## 1. Title"), they are items and there are no sections;
- text between headings keeps its Markdown, a paragraph (or list, or code block) at a time.

Any other text is **plain**, laid out like the seed (fixtures/article-seed.txt):
- the first line is the title (quotes around all of it dropped);
- "1) Title" or "1. Title" starts a numbered item;
- a short line that does not end like a sentence does ("Final thoughts", not "He left.")
  and does not start in lower case starts a section;
- every other line is one paragraph.

In both, an item's number is dropped from its title (the page numbers items by position).
Text before the first section heading makes a section with no title (the introduction).
A section's paragraphs after its last item belong to that item, unless a line "---" (three
or more dashes alone on a line; in Markdown after a blank line) ends the items: what
follows is the section's text after its items.

Nothing raises: any text gives an article, perhaps with no title or no headings, which
the caller reports (`ParsedArticle.title`, `ParsedArticle.heading_count`).
"""

import re
from dataclasses import dataclass, field

# The longest title a section or an item may have (their `title` fields).
MAX_TITLE = 200
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
NUMBERED = re.compile(r"^(\d{1,3})[.)][ \t]+(?=\S)")
END_OF_ITEMS = re.compile(r"^ {0,3}-{3,}[ \t]*$")
# How a sentence (or a paragraph quoting one) ends; a heading ends otherwise.
SENTENCE_END = ".?!:;,…)]\"”’'"
QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“"}


@dataclass
class ParsedItem:
    title: str
    # A paragraph each (in Markdown, a paragraph, a list or a code block).
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class ParsedSection:
    title: str  # "" for the text before the first section heading
    intro_paragraphs: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    outro_paragraphs: list[str] = field(default_factory=list)

    @property
    def intro(self) -> str:
        return "\n\n".join(self.intro_paragraphs)

    @property
    def outro(self) -> str:
        return "\n\n".join(self.outro_paragraphs)


@dataclass
class ParsedArticle:
    title: str
    sections: list[ParsedSection] = field(default_factory=list)
    markdown: bool = False  # which layout the text was read as
    # The heading levels that started sections and items ("##" and "###" for plain text).
    section_level: int | None = 2
    item_level: int | None = 3

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def heading_count(self) -> int:
        """Section and item headings found (not the title)."""
        return self.item_count + sum(1 for section in self.sections if section.title)

    def as_markdown(self) -> str:
        """The article written out in Markdown, which `parse` splits the same way."""
        blocks = [heading(1, self.title)] if self.title else []
        for section in self.sections:
            if section.title:
                blocks.append(heading(self.section_level, section.title))
            blocks += section.intro_paragraphs
            for number, item in enumerate(section.items, start=1):
                # Numbered, so that items with no sections above them read as items.
                blocks += [heading(self.item_level, f"{number}. {item.title}"), *item.paragraphs]
            if section.outro_paragraphs:
                blocks += ["---", *section.outro_paragraphs]
        return "\n\n".join(blocks) + "\n"


def parse(text: str) -> ParsedArticle:
    lines = text.splitlines()
    if any(heading_level(line.strip()) or FENCE.match(line.strip()) for line in lines):
        return parse_markdown(lines)
    return parse_plain(lines)


class Builder:
    """Collects paragraphs into the part that is open: a section's intro, an item, or the
    section's text after its items."""

    def __init__(self, article: ParsedArticle):
        self.article = article
        self.section: ParsedSection | None = None
        self.in_outro = False

    def start_section(self, title: str) -> None:
        self.section = ParsedSection(title=title)
        self.article.sections.append(self.section)
        self.in_outro = False

    def start_item(self, title: str) -> None:
        # An item after a section's closing text cannot belong to that section; after a
        # "---" with no text below it, the items just go on.
        if self.section is None or (self.in_outro and self.section.outro_paragraphs):
            self.start_section("")
        self.in_outro = False
        self.section.items.append(ParsedItem(title=title))

    def end_items(self) -> bool:
        """A "---" line: ends the section's items, if it has any to end."""
        if self.section is None or not self.section.items or self.in_outro:
            return False
        self.in_outro = True
        return True

    def add(self, paragraph: str) -> None:
        if self.section is None:
            self.start_section("")
        if self.in_outro:
            self.section.outro_paragraphs.append(paragraph)
        elif self.section.items:
            self.section.items[-1].paragraphs.append(paragraph)
        else:
            self.section.intro_paragraphs.append(paragraph)


def parse_plain(lines: list[str]) -> ParsedArticle:
    lines = [line.strip() for line in lines if line.strip()]
    title = ""
    if lines and item_title(lines[0]) is None:
        title, lines = without_quotes(lines[0]), lines[1:]
    builder = Builder(ParsedArticle(title=title))
    for line in lines:
        if (title := item_title(line)) is not None:
            builder.start_item(title)
        elif END_OF_ITEMS.match(line):
            if not builder.end_items():
                builder.add(line)
        elif is_plain_heading(line):
            builder.start_section(line)
        else:
            builder.add(line)
    return builder.article


def item_title(line: str) -> str | None:
    """The title of a plain-text item heading ("1) Title"), None for any other line."""
    number = NUMBERED.match(line)
    if number and len(line) - number.end() <= MAX_TITLE:
        return line[number.end() :]
    return None


def is_plain_heading(line: str) -> bool:
    return (
        len(line) <= MAX_TITLE
        and line[-1] not in SENTENCE_END
        and not line[0].islower()
        and any(character.isalpha() for character in line)
    )


def parse_markdown(lines: list[str]) -> ParsedArticle:
    code = in_code(lines)
    levels = [0 if code[n] else heading_level(line) for n, line in enumerate(lines)]
    first = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    title = ""
    if first < len(lines) and (levels[first] == 1 or not (levels[first] or code[first])):
        title = (
            heading_text(lines[first]) if levels[first] else without_quotes(lines[first].strip())
        )
        first += 1
    lines, levels, code = lines[first:], levels[first:], code[first:]
    section_level, item_level = heading_levels(lines, levels)
    builder = Builder(ParsedArticle(title, markdown=True, section_level=section_level,
                                    item_level=item_level))  # fmt: skip
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            builder.add("\n".join(paragraph))
            paragraph.clear()

    for line, level, is_code in zip(lines, levels, code, strict=True):
        if level and level == section_level:
            flush()
            builder.start_section(heading_text(line))
        elif level and level == item_level:
            flush()
            builder.start_item(NUMBERED.sub("", heading_text(line), count=1))
        elif not is_code and not line.strip():
            flush()
        elif not (paragraph or is_code) and END_OF_ITEMS.match(line) and builder.end_items():
            continue
        else:
            paragraph.append(line)
    flush()
    return builder.article


def heading_levels(lines: list[str], levels: list[int]) -> tuple[int | None, int | None]:
    """The levels that start sections and items: the two shallowest in use."""
    used = sorted(set(levels) - {0})
    if not used:
        return None, None
    if len(used) == 1:
        texts = [heading_text(line) for line, level in zip(lines, levels, strict=True) if level]
        if all(NUMBERED.match(text) for text in texts):
            return None, used[0]
        return used[0], None
    return used[0], used[1]


def in_code(lines: list[str]) -> list[bool]:
    """For each line, whether it is a fenced code block's (a fence or inside one)."""
    fence = ""
    code = []
    for line in lines:
        opening = FENCE.match(line)
        code.append(bool(fence or opening))
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
    return code


def heading_level(line: str) -> int:
    match = ATX_HEADING.match(line)
    return len(match.group(1)) if match else 0


def heading_text(line: str) -> str:
    return ATX_HEADING.match(line).group(2)


def heading(level: int, text: str) -> str:
    marks = "#" * level
    # A closing "#" would be read as part of the heading's marks, not of its text.
    return f"{marks} {text} {marks}" if text.endswith("#") else f"{marks} {text}"


def without_quotes(title: str) -> str:
    """“A title in quotes” without them; quotes inside a title stay."""
    closing = QUOTES.get(title[:1])
    inner = title[1:-1]
    if closing and len(title) > 2 and title.endswith(closing) and title[0] not in inner:
        return inner.strip() or title
    return title
