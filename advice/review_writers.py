"""Who wrote the pending changes: the editors history recorded (advice/review.py).

Each test below errs on the side of counting a change: counting one too many only means
the reviewer who made it asks someone else to approve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from simple_history.utils import get_history_manager_for_model

from .history import tracked_models
from .kinds import ItemKind
from .models import Item, Section


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
    "quiz.emergencynumber": lambda record: True,
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
