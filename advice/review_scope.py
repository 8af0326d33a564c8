"""What of a version is safety-critical, and how its changes read (advice/review.py).

`critical_part` picks out of a version (as readers get it) what must not change without a
second editor's approval; `critical_changes` says how two of them differ, in editors'
words; `digest_of` names one exact set of changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, is_dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_noop

from . import releases
from .checks import Problem
from .kinds import ItemKind

# -- What is safety-critical -----------------------------------------------------------------


def plain(value):
    """Published objects as JSON-ready data, without the HTML made from their Markdown."""
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {
            str(key): plain(item) for key, item in value.items() if not str(key).endswith("_html")
        }
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime):
        return None  # dates follow the wording; they are not what anyone wrote
    return value


def sign_sections(content: releases.PublishedContent) -> list[dict]:
    return [
        {"article": article.title, **plain(section)}
        for article in content.articles
        for section in article.public_sections
        if section.kind == ItemKind.SIGNS
    ]


def questionnaire_safety(questionnaire) -> dict:
    rules = questionnaire.rules
    signs = {item.slug for item in rules.items if item.kind == ItemKind.SIGNS}
    return {
        "title": questionnaire.title,
        "safety_title": questionnaire.safety_title,
        "safety_text": questionnaire.safety_text,
        "safety_min_level": rules.thresholds.safety_min_level,
        "sign_score": rules.thresholds.sign_score,
        "safety_answers": [
            {"question": question.text, "answer": choice.text, "id": choice.id}
            for question in rules.questions
            for choice in question.choices
            if choice.raises_safety_notice
        ],
        "sign_rules": sorted(
            [rule.choice_id, rule.item_slug, rule.weight]
            for rule in rules.choice_rules
            if rule.item_slug in signs
        ),
        "verdicts": [
            {**plain(verdict), "body": questionnaire.verdicts[verdict.slug].body}
            if verdict.slug in questionnaire.verdicts
            else plain(verdict)
            for verdict in rules.verdicts
        ],
    }


def support_lines(content: releases.PublishedContent) -> list:
    """Every support line a version shows readers. A version from before lines were
    site-wide holds each questionnaire's own: each line once, so publishing the same lines
    site-wide reads as no change."""
    lines = content.parts.get("support_resources")
    if lines is None:
        lines = {
            line.id or line: line
            for q in content.parts.get("questionnaires", {}).values()
            for line in q.resources
        }.values()
    # What readers dial and read in English; translations are not safety-critical here,
    # as a questionnaire's are not.
    return [
        {key: value for key, value in plain(line).items() if key != "translations_digest"}
        for line in lines
    ]


def critical_part(content: releases.PublishedContent | None) -> dict:
    """What of a version must not change without a second editor's approval."""
    if content is None:  # nothing published yet: as a version with nothing in it
        parts = {name: part.read(None) for name, part in releases.PARTS.items()}
        content = releases.PublishedContent(stamp="", articles=(), parts=parts)
    if settings.REVIEW_ALL_CONTENT:
        return {"articles": plain(content.articles), "parts": plain(content.parts)}
    return {
        "signs": sign_sections(content),
        "questionnaires": {
            str(q.id): questionnaire_safety(q)
            for q in content.parts.get("questionnaires", {}).values()
        },
        # The first line of the safety panel: the number she dials in danger.
        "emergency_numbers": plain(content.parts.get("emergency_numbers", ())),
        "support_resources": support_lines(content),
    }


# -- The changes, in editors' words ---------------------------------------------------------

QUESTIONNAIRE_LABELS = {
    "safety_title": gettext_noop("“%(questionnaire)s”: safety notice title changed"),
    "safety_text": gettext_noop("“%(questionnaire)s”: safety text changed"),
    "safety_min_level": gettext_noop(
        "“%(questionnaire)s”: walk-away level of a safety-critical answer changed"
    ),
    "sign_score": gettext_noop(
        "“%(questionnaire)s”: points at which a walk-away sign shows changed"
    ),
    "safety_answers": gettext_noop(
        "“%(questionnaire)s”: answers that raise the safety notice changed"
    ),
    "sign_rules": gettext_noop("“%(questionnaire)s”: rules scoring the walk-away signs changed"),
    "verdicts": gettext_noop("“%(questionnaire)s”: verdicts changed"),
}


def resource_lines(old: list[dict], new: list[dict]) -> list[Problem]:
    """Support resources, with the old and new number and address: the reviewer checks
    the very digits readers would call."""

    def shown(resource: dict) -> Problem:
        details = ", ".join(v for v in (resource["phone"], resource["url"]) if v)
        return Problem(
            gettext_noop("“%(line)s” (%(details)s)"),
            {
                "line": resource["name"],
                "details": details or Problem(gettext_noop("no number or address")),
            },
        )

    was = {r["name"]: r for r in old}
    found = []
    for resource in new:
        before = was.pop(resource["name"], None)
        if before is None:
            text = gettext_noop("New support resource %(line)s")
            found.append(Problem(text, {"line": shown(resource)}))
        elif before != resource:
            text = gettext_noop("Support resource %(before)s becomes %(after)s")
            found.append(Problem(text, {"before": shown(before), "after": shown(resource)}))
    found += [
        Problem(gettext_noop("Support resource %(line)s no longer shown"), {"line": shown(r)})
        for r in was.values()
    ]
    if not found and old != new:
        found.append(Problem(gettext_noop("Support resources reordered")))
    return found


def answer_lines(name: str, old: list[dict], new: list[dict]) -> list[Problem]:
    was = {a["id"]: a for a in old}
    now = {a["id"]: a for a in new}
    found = [
        Problem(
            gettext_noop("“%(questionnaire)s”: “%(answer)s” now raises the safety notice"),
            {"questionnaire": name, "answer": a["answer"]},
        )
        for a in new
        if a["id"] not in was
    ]
    found += [
        Problem(
            gettext_noop("“%(questionnaire)s”: “%(answer)s” no longer raises the safety notice"),
            {"questionnaire": name, "answer": a["answer"]},
        )
        for a in old
        if a["id"] not in now
    ]
    found += [
        Problem(
            gettext_noop("“%(questionnaire)s”: safety-critical answer reworded: “%(answer)s”"),
            {"questionnaire": name, "answer": a["answer"]},
        )
        for a in new
        if a["id"] in was and was[a["id"]] != a
    ]
    return found


def sign_lines(old: list[dict], new: list[dict]) -> list[Problem]:
    was = {(s["article"], s["slug"]): s for s in old}
    found = []
    for section in new:
        before = was.pop((section["article"], section["slug"]), None)
        if before == section:
            continue
        lines = []
        before_items = {i["slug"]: i for i in (before or {}).get("public_items", [])}
        for item in section["public_items"]:
            previous = before_items.pop(item["slug"], None)
            if previous is None:
                lines.append(
                    Problem(gettext_noop("New walk-away sign “%(sign)s”"), {"sign": item["title"]})
                )
            elif previous != item:
                lines.append(
                    Problem(
                        gettext_noop("Walk-away sign changed: “%(sign)s”"), {"sign": item["title"]}
                    )
                )
        lines += [
            Problem(
                gettext_noop("Walk-away sign no longer shown: “%(sign)s”"), {"sign": i["title"]}
            )
            for i in before_items.values()
        ]
        found += lines or [
            Problem(
                gettext_noop("Walk-away signs section “%(section)s”: text or order changed"),
                {"section": section["title"]},
            )
        ]
    found += [
        Problem(
            gettext_noop("Walk-away signs section no longer shown: “%(section)s”"),
            {"section": s["title"]},
        )
        for s in was.values()
    ]
    return found


def emergency_lines(old: list[dict], new: list[dict]) -> list[Problem]:
    """Emergency numbers, with the old and new digits: the reviewer checks what she dials."""

    def shown(number: dict) -> Problem | str:
        if not number["note"]:
            return number["number"]
        return Problem(
            gettext_noop("%(number)s (%(note)s)"),
            {"number": number["number"], "note": number["note"]},
        )

    was = {n["country"]: n for n in old}
    found = []
    for number in new:
        before = was.pop(number["country"], None)
        if before is None:
            text = gettext_noop("New emergency number: %(place)s, %(number)s")
            found.append(Problem(text, {"place": number["place"], "number": shown(number)}))
        elif before != number:
            text = gettext_noop("Emergency number of %(place)s: %(before)s becomes %(after)s")
            found.append(
                Problem(
                    text,
                    {"place": number["place"], "before": shown(before), "after": shown(number)},
                )
            )
    found += [
        Problem(gettext_noop("Emergency number no longer shown: %(place)s"), {"place": n["place"]})
        for n in was.values()
    ]
    return found


def critical_changes(old: dict, new: dict) -> list[Problem]:
    """The safety-critical changes between two `critical_part`s, in editors' words (each a
    `Problem`: a catalog message and its values, said in the language of whoever reads it)."""
    if old == new:
        return []
    found = sign_lines(old.get("signs", []), new.get("signs", []))
    found += emergency_lines(old.get("emergency_numbers", []), new.get("emergency_numbers", []))
    found += resource_lines(old.get("support_resources", []), new.get("support_resources", []))
    old_qs, new_qs = old.get("questionnaires", {}), new.get("questionnaires", {})
    for key, questionnaire in new_qs.items():
        name = questionnaire["title"]
        before = old_qs.get(key)
        if before is None:
            found.append(
                Problem(
                    gettext_noop(
                        "New questionnaire “%(questionnaire)s”, with its safety text and verdicts"
                    ),
                    {"questionnaire": name},
                )
            )
            continue
        found += answer_lines(name, before["safety_answers"], questionnaire["safety_answers"])
        found += [
            Problem(label, {"questionnaire": name})
            for key_, label in QUESTIONNAIRE_LABELS.items()
            if key_ != "safety_answers" and before[key_] != questionnaire[key_]
        ]
    found += [
        Problem(
            gettext_noop(
                "Questionnaire “%(questionnaire)s” no longer shown, with its safety text and "
                "verdicts"
            ),
            {"questionnaire": q["title"]},
        )
        for key, q in old_qs.items()
        if key not in new_qs
    ]
    return found or [Problem(gettext_noop("Safety-critical content changed"))]


# What earlier code recorded in review steps (and in the changes a step was for), kept in
# the catalogs so that those steps still read in each editor's language: support lines
# were each questionnaire's until format 4 of releases.
FORMER_MESSAGES = (
    gettext_noop("“%(questionnaire)s”: new support resource %(line)s"),
    gettext_noop("“%(questionnaire)s”: support resource %(before)s becomes %(after)s"),
    gettext_noop("“%(questionnaire)s”: support resource %(line)s no longer shown"),
    gettext_noop("“%(questionnaire)s”: support resources reordered"),
    gettext_noop("“%(questionnaire)s”: support resources changed"),
    gettext_noop(
        "New questionnaire “%(questionnaire)s”, with its safety text, verdicts and resources"
    ),
    gettext_noop(
        "Questionnaire “%(questionnaire)s” no longer shown, with its safety text and resources"
    ),
)


def digest_of(old: dict, new: dict) -> str:
    encoded = json.dumps([old, new], sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()
