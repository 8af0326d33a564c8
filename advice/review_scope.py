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

from . import releases
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
        "resources": plain(questionnaire.resources),
    }


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
    }


# -- The changes, in editors' words ---------------------------------------------------------

QUESTIONNAIRE_LABELS = {
    "safety_title": "safety notice title",
    "safety_text": "safety text",
    "safety_min_level": "walk-away level of a safety-critical answer",
    "sign_score": "points at which a walk-away sign shows",
    "safety_answers": "answers that raise the safety notice",
    "sign_rules": "rules scoring the walk-away signs",
    "verdicts": "verdicts",
}


def resource_lines(name: str, old: list[dict], new: list[dict]) -> list[str]:
    """Support resources, with the old and new number and address: the reviewer checks
    the very digits readers would call."""

    def shown(resource: dict) -> str:
        details = ", ".join(v for v in (resource["phone"], resource["url"]) if v)
        return f"“{resource['name']}” ({details or 'no number or address'})"

    was = {r["name"]: r for r in old}
    found = []
    for resource in new:
        before = was.pop(resource["name"], None)
        if before is None:
            found.append(f"{name}: new support resource {shown(resource)}")
        elif before != resource:
            found.append(f"{name}: support resource {shown(before)} becomes {shown(resource)}")
    found += [f"{name}: support resource {shown(r)} no longer shown" for r in was.values()]
    if not found and old != new:
        found.append(f"{name}: support resources reordered")
    return found


def answer_lines(name: str, old: list[dict], new: list[dict]) -> list[str]:
    was = {a["id"]: a for a in old}
    now = {a["id"]: a for a in new}
    found = [
        f"{name}: “{a['answer']}” now raises the safety notice" for a in new if a["id"] not in was
    ]
    found += [
        f"{name}: “{a['answer']}” no longer raises the safety notice"
        for a in old
        if a["id"] not in now
    ]
    found += [
        f"{name}: safety-critical answer reworded: “{a['answer']}”"
        for a in new
        if a["id"] in was and was[a["id"]] != a
    ]
    return found


def sign_lines(old: list[dict], new: list[dict]) -> list[str]:
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
                lines.append(f"New walk-away sign “{item['title']}”")
            elif previous != item:
                lines.append(f"Walk-away sign changed: “{item['title']}”")
        lines += [f"Walk-away sign no longer shown: “{i['title']}”" for i in before_items.values()]
        found += lines or [f"Walk-away signs section “{section['title']}”: text or order changed"]
    found += [f"Walk-away signs section no longer shown: “{s['title']}”" for s in was.values()]
    return found


def emergency_lines(old: list[dict], new: list[dict]) -> list[str]:
    """Emergency numbers, with the old and new digits: the reviewer checks what she dials."""
    was = {n["country"]: n for n in old}
    found = []
    for number in new:
        before = was.pop(number["country"], None)
        if before is None:
            found.append(f"New emergency number: {number['place']}, {number['number']}")
        elif before != number:
            found.append(
                f"Emergency number of {number['place']}: {before['number']} "
                f"({before['note'] or 'no note'}) becomes {number['number']} "
                f"({number['note'] or 'no note'})"
            )
    found += [f"Emergency number no longer shown: {n['place']}" for n in was.values()]
    return found


def critical_changes(old: dict, new: dict) -> list[str]:
    """The safety-critical changes between two `critical_part`s, in editors' words."""
    if old == new:
        return []
    found = sign_lines(old.get("signs", []), new.get("signs", []))
    found += emergency_lines(old.get("emergency_numbers", []), new.get("emergency_numbers", []))
    old_qs, new_qs = old.get("questionnaires", {}), new.get("questionnaires", {})
    for key, questionnaire in new_qs.items():
        name = f"“{questionnaire['title']}”"
        before = old_qs.get(key)
        if before is None:
            found.append(f"New questionnaire {name}, with its safety text, verdicts and resources")
            continue
        found += resource_lines(name, before["resources"], questionnaire["resources"])
        found += answer_lines(name, before["safety_answers"], questionnaire["safety_answers"])
        found += [
            f"{name}: {label} changed"
            for key_, label in QUESTIONNAIRE_LABELS.items()
            if key_ != "safety_answers" and before[key_] != questionnaire[key_]
        ]
    found += [
        f"Questionnaire “{q['title']}” no longer shown, with its safety text and resources"
        for key, q in old_qs.items()
        if key not in new_qs
    ]
    return found or ["Safety-critical content changed"]


def digest_of(old: dict, new: dict) -> str:
    encoded = json.dumps([old, new], sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()
