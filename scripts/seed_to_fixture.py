"""Turn the seed article (plain text) into the `advice` fixture, fixtures/article.json.

Run once when the seed changes: `python scripts/seed_to_fixture.py`. Editors' later changes
live in the database, never here; `make run` loads this fixture only into an empty database.

The seed's layout: line 1 is the title, then the introduction's paragraphs; a known
section heading starts each section; "N) Title" starts a numbered item; every other
non-empty line is a paragraph of whatever came last (a section's text before its first
item, an item, or the section's text after its last item).
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "article-seed.txt"
FIXTURE = ROOT / "fixtures" / "article.json"
STAMP = "2026-11-24T00:00:00Z"

SECTIONS = [
    # (heading in the seed, kind, slug, title shown on the page)
    (None, "introduction", "introduction", "Introduction"),
    ("5 reasons he is pushing you away even though he loves you", "reasons", "reasons", None),
    ("How to handle your man pulling away", "ways", "how-to-handle-it", None),
    ("Signs it’s time to walk away from your relationship", "signs", "signs-to-walk-away", None),
    ("Final thoughts", "closing", "final-thoughts", None),
]
ITEM_HEADING = re.compile(r"^(\d+)\) (.+)$")
# In the "ways" section, the paragraphs from this one on lead into the signs: they are the
# section's text after its items, not part of item 14.
OUTRO_STARTS = {2: "If the above strategies"}
# Item slugs are anchors on the page and the names the questionnaire's rules use: short,
# readable, and stable whatever editors later do to the titles.
ITEM_SLUGS = [
    "reason-falling-for-you",
    "reason-stressed",
    "reason-not-sure-about-relationship",
    "reason-unsure-of-next-move",
    "reason-moving-too-fast",
    "way-dont-make-it-about-you",
    "way-give-him-space",
    "way-keep-communicating",
    "way-listen-and-learn",
    "way-dont-annoy-him",
    "way-dont-introduce-family-yet",
    "way-is-he-scared-of-commitment",
    "way-get-on-with-your-life",
    "way-love-your-own-life",
    "way-pretend-its-no-big-deal",
    "way-smile",
    "way-tell-him-youre-busy",
    "way-go-on-a-date",
    "way-be-sure-you-want-him-back",
    "sign-says-he-doesnt-deserve-you",
    "sign-old-flame",
    "sign-keeps-ditching-you",
    "sign-book-him-weeks-ahead",
    "sign-keeping-things-from-you",
    "sign-story-changes",
    "sign-no-make-up-sex",
    "sign-gaslighting",
]


def main() -> None:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    title, lines = lines[0].strip('“”"'), lines[1:]
    headings = {heading: index for index, (heading, *_rest) in enumerate(SECTIONS) if heading}

    sections = [{"intro": [], "outro": [], "items": []} for _ in SECTIONS]
    current = 0
    for line in lines:
        if not line:
            continue
        if line in headings:
            current = headings[line]
            continue
        section = sections[current]
        if match := ITEM_HEADING.match(line):
            section["items"].append({"title": match.group(2), "paragraphs": []})
        elif section["items"]:
            outro_start = OUTRO_STARTS.get(current)
            if section["outro"] or (outro_start and line.startswith(outro_start)):
                section["outro"].append(line)
            else:
                section["items"][-1]["paragraphs"].append(line)
        else:
            section["intro"].append(line)

    records = [
        {
            "model": "advice.article",
            "pk": 1,
            "fields": {
                "title": title,
                "slug": "why-is-he-pushing-me-away",
                "meta_description": (
                    "Why a man who loves you may pull away: five likely reasons, fourteen "
                    "ways to handle it, eight signs it is time to walk away, and a short "
                    "anonymous questionnaire."
                ),
                "is_published": True,
                "is_home": True,
                "published_at": STAMP,
                "updated_at": STAMP,
            },
        }
    ]
    item_pk = 0
    assert sum(len(s["items"]) for s in sections) == len(ITEM_SLUGS)
    for index, ((heading, kind, slug, shown_title), content) in enumerate(
        zip(SECTIONS, sections, strict=True), start=1
    ):
        records.append(
            {
                "model": "advice.section",
                "pk": index,
                "fields": {
                    "article": 1,
                    "kind": kind,
                    "title": shown_title or heading,
                    "show_title": heading is not None,
                    "slug": slug,
                    "intro": "\n\n".join(content["intro"]),
                    "outro": "\n\n".join(content["outro"]),
                    "position": index * 10,
                    "is_published": True,
                },
            }
        )
        for position, item in enumerate(content["items"], start=1):
            item_pk += 1
            records.append(
                {
                    "model": "advice.item",
                    "pk": item_pk,
                    "fields": {
                        "section": index,
                        "title": item["title"],
                        "slug": ITEM_SLUGS[item_pk - 1],
                        "body": "\n\n".join(item["paragraphs"]),
                        "position": position * 10,
                        "is_published": True,
                    },
                }
            )
    FIXTURE.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.name}: {len(SECTIONS)} sections, {item_pk} items")


if __name__ == "__main__":
    main()
