"""Fill the Spanish of fixtures/questionnaire.json and fixtures/support_resources.json
from fixtures/questionnaire.es.json.

The Spanish file maps each English text of the questionnaire (its texts, questions,
answers, verdicts and support resources) to its translation, so it reads as a glossary a
reviewer can check line by line, and survives changes to the fixture's other fields. Run
after changing either file (or after scripts/write_questionnaire_fixture.py), from the
project's folder: `python -m scripts.translate_questionnaire_fixture`. The questionnaire's
Spanish is marked unpublished and needing review by a native-speaking editor.
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "questionnaire.json"
LINES = ROOT / "fixtures" / "support_resources.json"
SPANISH = ROOT / "fixtures" / "questionnaire.es.json"

# The translated fields of each model (as in quiz/models.py's TranslatedCopies).
TRANSLATED = {
    "quiz.questionnaire": ("title", "intro", "cannot_know", "safety_title", "safety_text"),
    "quiz.question": ("text", "help_text"),
    "quiz.choice": ("text",),
    "quiz.verdict": ("title", "body"),
    "quiz.supportresource": ("name", "description", "hours"),
}
STATE = {
    "model": "quiz.questionnairetranslation",
    "pk": 1,
    "fields": {"questionnaire": 1, "language": "es", "is_published": False, "needs_review": True},
}


def translated(records: list[dict], spanish: dict[str, str]) -> list[dict]:
    """The records with the Spanish of every text in their `copies`; raises naming any
    English text the Spanish file lacks."""
    missing = []
    for record in records:
        if record["model"] not in TRANSLATED:
            continue
        texts = {}
        for name in TRANSLATED[record["model"]]:
            english = record["fields"].get(name, "")
            if english and english not in spanish:
                missing.append(english)
            if english and spanish.get(english):
                texts[name] = spanish[english]
        # The row's copies (advice/translation.py): {language: {field: text}}, texts only.
        record["fields"]["copies"] = {"es": texts} if texts else {}
    if missing:
        raise SystemExit("No Spanish for:\n" + "\n".join(missing))
    return records


def main() -> None:
    spanish = json.loads(SPANISH.read_text(encoding="utf-8"))
    for path in (FIXTURE, LINES):
        records = translated(json.loads(path.read_text(encoding="utf-8")), spanish)
        if path == FIXTURE:
            records = [*[r for r in records if r["model"] != STATE["model"]], STATE]
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.name}")
    print(f"Spanish for {len(spanish)} texts")


if __name__ == "__main__":
    main()
