"""Turn the seed article (plain text) into the `advice` fixture, fixtures/article.json.

The Spanish translation, fixtures/article-seed.es.txt, is laid out exactly like the English
(the same sections and numbered items, in the same order) and fills each row's Spanish
fields; the article's Spanish is marked as needing review by a native-speaking editor, and
unpublished, until an editor has read it.

Run once when the seed changes, from the project's folder: `python -m scripts.seed_to_fixture`.
Editors' later changes live in the database, never here; `make run` loads this fixture
only into an empty database.

The seed is split by advice/paste.py, the parser behind admin's "New article from text":
line 1 is the title, then the introduction's paragraphs; a line that does not end like a
sentence starts a section; "N) Title" starts a numbered item; every other line is a
paragraph. What the parser cannot know (each section's kind, slugs, where the "ways" end
and their closing text starts) is said here.
"""

import json
from pathlib import Path

from advice.paste import ParsedSection, parse

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "article-seed.txt"
SEED_ES = ROOT / "fixtures" / "article-seed.es.txt"
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
# In the "ways" section, the paragraphs from this one on lead into the signs: they are the
# section's text after its items, not part of item 14.
OUTRO_STARTS = {2: "If the above strategies"}
# The Spanish seed: its section headings, and where its "ways" section's closing text starts.
SECTIONS_ES = [
    (None, "Introducción"),
    ("5 razones por las que te aleja aunque te quiere", None),
    ("Cómo actuar cuando tu pareja se aleja", None),
    ("Señales de que es momento de dejar la relación", None),
    ("Reflexiones finales", None),
]
OUTRO_STARTS_ES = {2: "Si las estrategias anteriores"}
META_DESCRIPTION_ES = (
    "Por qué un hombre que te quiere puede alejarse: cinco razones probables, catorce formas "
    "de afrontarlo, ocho señales de que es momento de irte y un breve cuestionario anónimo."
)
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


def build_records(seed: str, seed_es: str | None = None) -> list[dict]:
    """The fixture's records for the seed's text, with its Spanish when given."""
    article = parse(seed)
    headings = [section.title or None for section in article.sections]
    assert headings == [heading for heading, *_rest in SECTIONS], headings
    for index, start in OUTRO_STARTS.items():
        end_items_at(article.sections[index], start)
    assert article.item_count == len(ITEM_SLUGS)

    records = [
        {
            "model": "advice.article",
            "pk": 1,
            "fields": {
                "title": article.title,
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
    for index, ((heading, kind, slug, shown_title), content) in enumerate(
        zip(SECTIONS, article.sections, strict=True), start=1
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
                    "intro": content.intro,
                    "outro": content.outro,
                    "position": index * 10,
                    "is_published": True,
                },
            }
        )
        for position, item in enumerate(content.items, start=1):
            item_pk += 1
            records.append(
                {
                    "model": "advice.item",
                    "pk": item_pk,
                    "fields": {
                        "section": index,
                        "title": item.title,
                        "slug": ITEM_SLUGS[item_pk - 1],
                        "body": item.body,
                        "position": position * 10,
                        "is_published": True,
                    },
                }
            )
    if seed_es is not None:
        records += translate(records, seed_es)
    return records


def translate(records: list[dict], seed_es: str) -> list[dict]:
    """Fill the records' Spanish (their `copies`) from the Spanish seed, row by row, and
    return the record marking the article's Spanish as unpublished and needing review."""
    article = parse(seed_es)
    headings = [section.title or None for section in article.sections]
    assert headings == [heading for heading, _title in SECTIONS_ES], headings
    for index, start in OUTRO_STARTS_ES.items():
        end_items_at(article.sections[index], start)
    assert article.item_count == len(ITEM_SLUGS)
    rows = {model: [r["fields"] for r in records if r["model"] == model] for model in MODELS}
    spanish(rows["advice.article"][0], title=article.title, meta_description=META_DESCRIPTION_ES)
    items = iter(rows["advice.item"])
    for (heading, shown_title), section, fields in zip(
        SECTIONS_ES, article.sections, rows["advice.section"], strict=True
    ):
        spanish(fields, title=shown_title or heading, intro=section.intro, outro=section.outro)
        for item in section.items:
            spanish(next(items), title=item.title, body=item.body)
    return [
        {
            "model": "advice.articletranslation",
            "pk": 1,
            "fields": {"article": 1, "language": "es", "is_published": False, "needs_review": True},
        }
    ]


MODELS = ("advice.article", "advice.section", "advice.item")


def spanish(fields: dict, **texts: str) -> None:
    """A row's Spanish, as its `copies` hold it (advice/translation.py): texts only."""
    written = {name: text for name, text in texts.items() if text}
    fields["copies"] = {"es": written} if written else {}


def end_items_at(section: ParsedSection, start: str) -> None:
    """Move the last item's paragraphs from the one beginning with `start` on to the
    section's text after its items."""
    paragraphs = section.items[-1].paragraphs
    cut = next(n for n, paragraph in enumerate(paragraphs) if paragraph.startswith(start))
    section.outro_paragraphs[:0] = paragraphs[cut:]
    del paragraphs[cut:]


def main() -> None:
    records = build_records(SEED.read_text(encoding="utf-8"), SEED_ES.read_text(encoding="utf-8"))
    FIXTURE.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = [record["model"] for record in records]
    print(
        f"wrote {FIXTURE.name}: {counts.count('advice.section')} sections, "
        f"{counts.count('advice.item')} items"
    )


if __name__ == "__main__":
    main()
