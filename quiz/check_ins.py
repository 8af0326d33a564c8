"""Check-ins: a reader answers again, and sees what moved since her last result.

From her result ("Check in again"), she starts a new run tied to her earlier ones: her
timeline. All runs of a timeline point at its first run (`QuizSession.timeline`), so the
token of any of them reads the whole timeline in one query. Nothing else ties them
together: no account, cookie, address or name, and the runs hold what any run holds.

Her private link shows the timeline, and each earlier result as it was (each run keeps
the published version that scored it). Deleting offers this check-in or all of them; a
timeline is kept as long as its last activity is recent (`delete_old_sessions`).

The comparison itself is `moved.py`, pure; this module loads the runs and words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from advice.releases import live_release, published

from . import moved, runs, scoring
from .models import QuizSession
from .snapshot import PublishedQuestionnaire

QUESTIONNAIRES = "questionnaires"  # a version's part holding them


def timeline_of(token: str) -> list[QuizSession]:
    """The completed runs of the timeline holding `token`, oldest first, in one query.
    Just the run itself when it was never checked in again; [] when there is none."""
    # Its first run: the one it points at, or itself. Then found by the primary key or
    # the timeline's index, never by a scan of every session.
    first = QuizSession.objects.filter(token=token).order_by()
    root = Subquery(first.annotate(root=Coalesce("timeline_id", "pk")).values("root")[:1])
    return list(
        runs.sessions()
        .filter(Q(pk=root) | Q(timeline_id=root), completed_at__isnull=False)
        .order_by("completed_at", "pk")
    )


def first_run_id(session: QuizSession) -> int:
    return session.timeline_id or session.pk


def owns_any(request: HttpRequest, timeline: list[QuizSession]) -> bool:
    """The browser holds a run of this timeline, completed or in progress: she may
    delete it. (A query only when it holds none of the completed ones.)"""
    if any(runs.owns(request, run.token) for run in timeline):
        return True
    return bool(timeline) and ongoing(request, timeline) is not None


def ongoing(request: HttpRequest, timeline: list[QuizSession]) -> QuizSession | None:
    """The check-in of this timeline this browser started and has not finished, if any."""
    run = runs.run_of(runs.her_runs(request), timeline[0].questionnaire_id)
    if run is None or run.is_completed or run.timeline_id != first_run_id(timeline[0]):
        return None
    return run


def before(session: QuizSession, timeline: list[QuizSession]) -> QuizSession | None:
    """The completed run just before `session` in its timeline."""
    earlier = [run for run in timeline if run.completed_at < session.completed_at]
    return earlier[-1] if earlier else None


def last_completed_before(session: QuizSession) -> QuizSession | None:
    """For a check-in in progress: the latest completed run of its timeline (the one whose
    answers she starts from, and against which what moved is counted). One query."""
    if session.timeline_id is None:
        return None
    return (
        runs.sessions()
        .filter(
            Q(pk=session.timeline_id) | Q(timeline_id=session.timeline_id),
            completed_at__isnull=False,
        )
        .exclude(pk=session.pk)
        .order_by("-completed_at", "-pk")
        .first()
    )


def scored(session: QuizSession) -> tuple[scoring.Result, PublishedQuestionnaire] | None:
    """A completed run's result as its own version scored it, with that questionnaire;
    None when its version no longer holds the questionnaire."""
    questionnaire = session.published_questionnaire()
    if questionnaire is None:
        return None
    return scoring.score(questionnaire.rules, session.scored_answers()), questionnaire


def earlier_for_completion(session: QuizSession) -> moved.Earlier | None:
    """What completing a check-in needs of the run before it."""
    previous = last_completed_before(session)
    found = scored(previous) if previous is not None else None
    if found is None:
        return None
    return moved.Earlier(previous.completed_at, found[0], first_return=previous.timeline_id is None)


@dataclass(frozen=True)
class Answered:
    """Her answers at her last check-in, to show on each question of the new one."""

    on: datetime
    answers: dict[int, frozenset[int]]


def answered_last_time(session: QuizSession) -> Answered | None:
    previous = last_completed_before(session)
    if previous is None:
        return None
    return Answered(previous.completed_at, previous.scored_answers())


@transaction.atomic
def start(session: QuizSession, timeline: list[QuizSession]) -> QuizSession | None:
    """A new check-in after the latest run of the timeline, under the live version; None
    when the live version no longer has the questionnaire."""
    release = live_release()
    if release is None or session.questionnaire_id not in published(release).parts[QUESTIONNAIRES]:
        return None
    return QuizSession.objects.create(
        questionnaire_id=session.questionnaire_id,
        release=release,
        timeline_id=first_run_id(timeline[0]),
    )


@transaction.atomic
def forget_one(session: QuizSession) -> None:
    """Delete one run of a timeline (and what it added to the counts); the others stay
    a timeline. When it is the first run, the next oldest becomes the first."""
    if session.timeline_id is None:
        rest = QuizSession.objects.filter(timeline=session).order_by("started_at", "pk")
        new_first = rest.first()
        if new_first is not None:
            rest.exclude(pk=new_first.pk).update(timeline=new_first)
            QuizSession.objects.filter(pk=new_first.pk).update(timeline=None)
    session.forget()


@transaction.atomic
def forget_all(session: QuizSession) -> list[str]:
    """Delete every run of the timeline, in progress or not; their tokens."""
    first = first_run_id(session)
    every = list(
        QuizSession.objects.filter(Q(pk=first) | Q(timeline_id=first)).order_by("-started_at")
    )
    for run in every:  # check-ins first: deleting the first run would take them with it
        run.forget()
    return [run.token for run in every]
