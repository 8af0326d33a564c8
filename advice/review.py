"""A second editor's review before safety-critical changes reach readers.

A wrong helpline number is worse than none, so changes to what keeps a reader safe are
published only once an editor who did not write them has approved them:

- What is safety-critical (`critical_part`): support resources, answers that raise the
  safety notice, the questionnaire's safety title, text and level, its verdicts, and the
  walk-away signs (items of "signs" sections) with the rules that score them and the
  score at which a sign counts. With `settings.REVIEW_ALL_CONTENT`, everything is.
- "That exact set of changes" (`Pending.digest`): a hash of the safety-critical part of
  the live version and of the draft. An approval stores it; any later edit changes the
  draft, so the digest, so the approval no longer applies. The parts compared are those
  readers would see, built by the same code as a release, so the check looks at exactly
  what publishing would freeze (`publish_reviewed` checks the content being published).
- Who wrote it (`writers_since`): the editors history recorded changing safety-critical
  rows since the live version was published. None of them may approve it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from . import releases
from .history import tracked_models
from .kinds import ItemKind
from .models import Item, Release, Review, ReviewedRow, Section

PUBLISH_PERMISSION = "advice.publish_release"
REVIEW_PERMISSION = "advice.review_release"


class ReviewRefused(Exception):
    """A review step or a publish the rules do not allow; `message` says why."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status  # for a page: 403 refused to this editor, 400 to fix and resend


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


def critical_changes(old: dict, new: dict) -> list[str]:
    """The safety-critical changes between two `critical_part`s, in editors' words."""
    if old == new:
        return []
    found = sign_lines(old.get("signs", []), new.get("signs", []))
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


# -- Who wrote the pending changes ------------------------------------------------------------


def was_or_is(record, test) -> bool:
    """Whether `test` holds for a history record or the version before it."""
    previous = record.prev_record if record.history_type != "+" else None
    return test(record) or (previous is not None and test(previous))


def in_signs_section(section_id) -> bool:
    kind = Section.objects.filter(pk=section_id).values_list("kind", flat=True).first()
    return kind is None or kind == ItemKind.SIGNS  # a deleted section: count it, to be safe


def item_is_sign(item_id) -> bool:
    section = Item.objects.filter(pk=item_id).values_list("section_id", flat=True).first()
    return section is None or in_signs_section(section)


def asks_a_safety_answer(question_id) -> bool:
    """Whether a question has an answer that raises the safety notice: readers read that
    answer in its words. By label: the article app does not import the questionnaire's."""
    choices = apps.get_model("quiz", "Choice").objects
    return choices.filter(question_id=question_id, raises_safety_notice=True).exists()


SAFETY_FIELDS = ("safety_title", "safety_text", "safety_min_level", "sign_score", "is_published")


def questionnaire_safety_changed(record) -> bool:
    previous = record.prev_record if record.history_type == "~" else None
    if previous is None:
        return True
    return any(getattr(record, name) != getattr(previous, name) for name in SAFETY_FIELDS)


# A history record is a safety-critical change when… (models not named: never). Each errs
# on the side of counting a change: counting one too many only means the reviewer who
# made it asks someone else.
CRITICAL_RECORDS = {
    "quiz.supportresource": lambda record: True,
    "quiz.verdict": lambda record: True,
    "quiz.questionnaire": questionnaire_safety_changed,
    "quiz.question": lambda record: asks_a_safety_answer(record.id),
    "quiz.choice": lambda record: was_or_is(record, lambda r: r.raises_safety_notice),
    "quiz.choicerule": lambda record: was_or_is(record, lambda r: item_is_sign(r.item_id)),
    "advice.item": lambda record: was_or_is(record, lambda r: in_signs_section(r.section_id)),
    "advice.section": lambda record: was_or_is(record, lambda r: r.kind == ItemKind.SIGNS),
}


def is_critical(model, record) -> bool:
    if settings.REVIEW_ALL_CONTENT:
        return True
    test = CRITICAL_RECORDS.get(model._meta.label_lower)
    return test is not None and test(record)


@dataclass
class Writers:
    """Rows changed since the live version, and who changed them."""

    users: set[int] = field(default_factory=set)
    rows: dict[tuple[type[models.Model], str], set[int]] = field(default_factory=dict)


def writers_since(since: datetime | None, *, critical_only: bool) -> Writers:
    found = Writers()
    for model in tracked_models():
        history = get_history_manager_for_model(model).all()
        if since is not None:
            history = history.filter(history_date__gt=since)
        pk_name = model._meta.pk.attname
        for record in history.order_by("history_id"):
            if critical_only and not is_critical(model, record):
                continue
            users = found.rows.setdefault((model, str(getattr(record, pk_name))), set())
            if record.history_user_id is not None:
                users.add(record.history_user_id)
                found.users.add(record.history_user_id)
    return found


# -- The pending changes and their review ---------------------------------------------------


@dataclass
class Pending:
    """The safety-critical changes the draft holds over the live version."""

    changes: list[str]
    digest: str  # "" when there are none
    writers: Writers
    since: datetime | None
    last: Review | None  # the latest review step for exactly these changes

    @property
    def needs_review(self) -> bool:
        return bool(self.digest)

    @property
    def approval(self) -> Review | None:
        """The approval of exactly these changes, by an editor who made none of them (one
        who edited and then undid their edit is a writer now, so theirs no longer counts)."""
        last = self.last
        if last is not None and last.decision == Review.Decision.APPROVED:
            return last if last.by_id not in self.writers.users else None
        return None

    @property
    def approved(self) -> bool:
        return not self.needs_review or self.approval is not None

    def wrote(self, user) -> bool:
        return user.pk in self.writers.users


def live_since(live: Release | None) -> datetime | None:
    return live.created_at if live is not None else None


def pending(draft: releases.PublishedContent | None = None, live: Release | None = None) -> Pending:
    """The pending safety-critical changes (from the draft given, or the current one)."""
    live = live or releases.live_release()
    before = releases.published(live) if live is not None else None
    draft = draft if draft is not None else releases.preview_content()
    old, new = critical_part(before), critical_part(draft)
    digest = digest_of(old, new) if old != new else ""
    since = live_since(live)
    if settings.REVIEW_ALL_CONTENT:  # every change: the list readers would see change
        described = releases.changes(before, draft) if digest else []
    else:
        described = critical_changes(old, new)
    return Pending(
        changes=described,
        digest=digest,
        writers=writers_since(since, critical_only=True) if digest else Writers(),
        since=since,
        last=Review.objects.filter(digest=digest).select_related("by").first() if digest else None,
    )


def steps_since(since: datetime | None):
    """Review steps since the live version, the latest first: what admin tells editors."""
    steps = Review.objects.select_related("by")
    return steps.filter(created_at__gt=since) if since is not None else steps


@transaction.atomic
def record_step(found: Pending, user, decision: str, comment: str = "") -> Review:
    """Ask for a review of, approve or send back the pending changes. Refused (raises
    ReviewRefused) when there is nothing to review, when the user may not review, or
    approves changes they wrote."""
    if not found.needs_review:
        raise ReviewRefused(
            "Nothing waits for review: no safety-critical changes are pending.", status=400
        )
    if decision != Review.Decision.ASKED:
        if not user.has_perm(REVIEW_PERMISSION):
            raise ReviewRefused("Only reviewers may approve or send back changes.")
        if decision == Review.Decision.APPROVED and found.wrote(user):
            raise ReviewRefused(
                "You cannot approve these changes: you made some of them. Another reviewer "
                "has to approve them."
            )
        if decision == Review.Decision.SENT_BACK and not comment.strip():
            raise ReviewRefused("Say what to change when sending changes back.", status=400)
    step = Review.objects.create(
        decision=decision, digest=found.digest, changes=found.changes, comment=comment, by=user
    )
    ReviewedRow.objects.bulk_create(
        ReviewedRow(
            review=step,
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
        )
        for model, pk in found.writers.rows
    )
    return step


def steps_about(model: type[models.Model], pk) -> models.QuerySet:
    """Review steps concerning one content row (deleted or not), the latest first."""
    return (
        Review.objects.filter(
            rows__content_type=ContentType.objects.get_for_model(model),
            rows__object_id=str(pk),
        )
        .select_related("by")
        .distinct()
    )


@transaction.atomic
def publish_reviewed(user, *, note: str = "", go_live_at=None) -> Release:
    """Publish the draft, if what it would change that needs review was approved by an
    editor who did not write it. Checked against the content being published, in the
    same transaction, so an edit saved meanwhile cannot slip past the approval."""
    live = releases.live_release()
    checked = {}

    def check(content: dict) -> None:
        frozen = releases.published(Release(content=content, go_live_at=timezone.now()))
        found = checked["pending"] = pending(frozen, live)
        if not found.approved:
            raise ReviewRefused(
                "Nothing was published: the safety-critical changes need a second editor’s "
                "approval first."
            )

    release = releases.publish(user=user, note=note, go_live_at=go_live_at, check=check)
    release.approval = checked["pending"].approval
    release.save(update_fields=["approval"])
    writers = writers_since(live_since(live), critical_only=False).users
    release.written_by.set(get_user_model().objects.filter(pk__in=writers))
    return release
