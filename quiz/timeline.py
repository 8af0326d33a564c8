"""Her timeline and what moved, as the result page shows them.

`moved.compare` says what moved by slugs; here each slug gets the title her own version
gave it (a sign that went away, in the words of the result it was on), and each check-in
its date, verdict and link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from . import check_ins, moved
from .models import QuizSession
from .snapshot import PublishedQuestionnaire


@dataclass(frozen=True)
class Entry:
    """One check-in on her timeline."""

    on: datetime
    verdict_title: str
    url: str
    current: bool


@dataclass(frozen=True)
class ReasonChange:
    title: str
    before_percent: int
    after_percent: int


@dataclass(frozen=True)
class WhatMoved:
    since: datetime  # when the check-in before was completed
    now: datetime
    since_url: str
    reading: str  # a moved.Reading value
    level: str  # a moved.Direction value
    verdict_changed: bool
    verdict_before: str
    verdict_after: str
    signs_appeared: tuple[str, ...]
    signs_gone: tuple[str, ...]
    reasons_grew: tuple[ReasonChange, ...]
    reasons_faded: tuple[ReasonChange, ...]
    nothing_moved: bool


def verdict_title(questionnaire: PublishedQuestionnaire | None, slug: str | None) -> str:
    verdict = questionnaire.verdicts.get(slug) if questionnaire and slug else None
    return verdict.title if verdict else gettext("No verdict reached")


def entries(timeline: list[QuizSession], current: QuizSession) -> tuple[Entry, ...]:
    """Every completed check-in, oldest first; each verdict as its own version named it."""
    return tuple(
        Entry(
            on=run.completed_at,
            verdict_title=verdict_title(run.published_questionnaire(), run.verdict_slug),
            url=run.get_absolute_url(),
            current=run.pk == current.pk,
        )
        for run in timeline
    )


def title_in(questionnaire: PublishedQuestionnaire, slug: str) -> str:
    item = questionnaire.rules.items_by_slug.get(slug)
    return item.title if item else slug


def what_moved(session: QuizSession, timeline: list[QuizSession]) -> WhatMoved | None:
    """What moved since the check-in before this one; None when it is her first."""
    previous = check_ins.before(session, timeline)
    then = check_ins.scored(previous) if previous is not None else None
    now = check_ins.scored(session)
    if then is None or now is None:
        return None
    (result_then, asked_then), (result_now, asked_now) = then, now
    what = moved.compare(result_then, result_now)

    def reason(move: moved.ReasonMove, asked: PublishedQuestionnaire) -> ReasonChange:
        return ReasonChange(title_in(asked, move.slug), move.before_percent, move.after_percent)

    return WhatMoved(
        since=previous.completed_at,
        now=session.completed_at,
        since_url=previous.get_absolute_url(),
        reading=what.reading.value,
        level=what.level_direction.value,
        verdict_changed=what.verdict_changed,
        verdict_before=verdict_title(asked_then, what.verdict_before),
        verdict_after=verdict_title(asked_now, what.verdict_after),
        signs_appeared=tuple(title_in(asked_now, slug) for slug in what.signs_appeared),
        signs_gone=tuple(title_in(asked_then, slug) for slug in what.signs_gone),
        reasons_grew=tuple(reason(m, asked_now) for m in what.reasons_grew),
        reasons_faded=tuple(reason(m, asked_then) for m in what.reasons_faded),
        nothing_moved=what.nothing_moved,
    )
