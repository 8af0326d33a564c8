"""Daily counts for the editors' statistics, kept up to date as readers act.

Counting a million sessions' answers when an editor opens the statistics took 17-25 s on
SQLite and 6 s on PostgreSQL. So each reader's step adds to a few counters instead: one
`DailyCount` row per questionnaire, day, kind and key, moved by one upsert per step. The
statistics page then sums a few thousand rows, however many sessions there are.

What each kind counts, and on which day (in the site's time zone when it was counted):

| kind | key | day |
| --- | --- | --- |
| `started` | "" | the day the session started |
| `answered` | question id | the day the session started (the funnel) |
| `chose` | choice id | the day the session started (the answer distribution) |
| `saw_result` | "" | the day the session started (the funnel's last step) |
| `completed` | "" | the day it was completed |
| `verdict` | verdict slug, "" for none reached | the day it was completed |
| `reasons`, `signs` | article item slug | the day it was completed |

Sessions completed before result summaries were kept count as `completed` with no
`verdict` until `manage.py summarise_sessions` adds one.

Who changes the counts:

- `QuizSession` itself: starting (`save`), answering or changing an answer
  (`record_answer`: a first answer adds `answered`; the choices dropped are subtracted and
  the ones added are added), completing (`complete`);
- `QuizSession.forget()`, when a reader deletes her answers: everything she added is
  subtracted in the same transaction, since she asked to be forgotten;
- `generate_sessions` and `summarise_sessions` (the results it fills in), in bulk;
  migration `0006_daily_counts` counted the rows there were then.

Retention (`delete_old_sessions`) and editors deleting sessions in admin leave the counts
alone: they are anonymous totals that point to no session, and keeping them keeps the
statistics' history. So the statistics can show days whose sessions are gone.

If the site's TIME_ZONE changes, days already counted stay as they were counted.

This module imports no models (quiz/models.py calls it), so it reaches the table through
the app registry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Answer, QuizSession

# Rows per INSERT: SQLite allows 999 parameters per statement, five per row.
ROWS_PER_STATEMENT = 190


class Kind(models.TextChoices):
    STARTED = "started", "sessions started"
    ANSWERED = "answered", "of them answered the question"
    CHOSE = "chose", "of them chose the answer"
    SAW_RESULT = "saw_result", "of them saw their result"
    COMPLETED = "completed", "sessions completed"
    VERDICT = "verdict", "of them were given the verdict"
    REASONS = "reasons", "of them were given the likely reason"
    SIGNS = "signs", "of them were shown the sign"


# (day, kind, key) → how much to add (negative: to subtract). Combine tallies with
# update(), not +, which drops what is not positive.
Tally = Counter[tuple[date, str, str]]


def local_day(moment: datetime, zone: tzinfo | None = None) -> date:
    """The day of an aware moment in the site's time zone. Bulk counting passes the zone:
    looking it up costs ten times more than converting."""
    return moment.astimezone(zone or timezone.get_current_timezone()).date()


# --- What readers' steps add: plain functions over plain data -----------------------------


def result_tally(
    completed: date,
    verdict_slug: str | None,
    result_items: Iterable[tuple[str, str]],
    into: Tally | None = None,
) -> Tally:
    """A completed result's verdict ("" none reached; None: not summarised, not counted),
    and its likely reasons and signs as (kind, slug), on the day it was completed.
    Added to `into` when given (cheaper than merging tallies, for bulk counting)."""
    tally = Tally() if into is None else into
    if verdict_slug is not None:
        tally[(completed, Kind.VERDICT, verdict_slug)] += 1
    for kind, slug in result_items:  # SessionResultItem's kinds are Kind.REASONS and SIGNS
        tally[(completed, kind, slug)] += 1
    return tally


def contribution(
    started: date,
    answers: Mapping[int, Iterable[int]],
    completed: date | None = None,
    verdict_slug: str | None = None,
    result_items: Iterable[tuple[str, str]] = (),
    into: Tally | None = None,
) -> Tally:
    """Everything one session adds: started on `started`, `answers` (question id → chosen
    choice ids) and, when completed on `completed`, its result. Added to `into` when given."""
    tally = Tally() if into is None else into
    tally[(started, Kind.STARTED, "")] += 1
    for question_id, choice_ids in answers.items():
        tally[(started, Kind.ANSWERED, str(question_id))] += 1
        for choice_id in choice_ids:
            tally[(started, Kind.CHOSE, str(choice_id))] += 1
    if completed is not None:
        tally[(started, Kind.SAW_RESULT, "")] += 1
        tally[(completed, Kind.COMPLETED, "")] += 1
        result_tally(completed, verdict_slug, result_items, into=tally)
    return tally


def answer_change(
    started: date, question_id: int, before: frozenset[int] | None, after: Iterable[int]
) -> Tally:
    """An answer given (`before` None: the first answer to the question) or changed: the
    choices no longer chosen are taken away, the new ones added."""
    after = frozenset(after)
    tally = Tally()
    if before is None:
        tally[(started, Kind.ANSWERED, str(question_id))] += 1
        before = frozenset()
    for choice_id in after - before:
        tally[(started, Kind.CHOSE, str(choice_id))] += 1
    for choice_id in before - after:
        tally[(started, Kind.CHOSE, str(choice_id))] -= 1
    return tally


# --- Called by QuizSession ----------------------------------------------------------------


def session_started(session: QuizSession) -> None:
    add(session.questionnaire_id, Tally({(local_day(session.started_at), Kind.STARTED, ""): 1}))


def chosen_before(answer: Answer, created: bool) -> frozenset[int] | None:
    """The answer's choices before it is changed; None for a new answer (and no query)."""
    if created:
        return None
    return frozenset(answer.choices.values_list("pk", flat=True))


def answer_recorded(
    session: QuizSession, question_id: int, before: frozenset[int] | None, after: Iterable[int]
) -> None:
    add(
        session.questionnaire_id,
        answer_change(local_day(session.started_at), question_id, before, after),
    )


def session_completed(
    session: QuizSession, verdict_slug: str, result_items: Iterable[tuple[str, str]]
) -> None:
    completed = local_day(session.completed_at)
    tally = result_tally(completed, verdict_slug, result_items)
    tally.update({(local_day(session.started_at), Kind.SAW_RESULT, ""): 1})
    tally.update({(completed, Kind.COMPLETED, ""): 1})
    add(session.questionnaire_id, tally)


def session_forgotten(session: QuizSession) -> None:
    """Take away everything the session added (two reads, one upsert)."""
    answers: dict[int, list[int]] = {}
    for question_id, choice_id in session.answers.order_by().values_list("question_id", "choices"):
        answers.setdefault(question_id, [])
        if choice_id is not None:  # an answer without choices still counts as answered
            answers[question_id].append(choice_id)
    completed = None
    items: list[tuple[str, str]] = []
    if session.completed_at is not None:
        completed = local_day(session.completed_at)
        items = list(session.result_items.order_by().values_list("kind", "slug"))
    tally = contribution(
        local_day(session.started_at), answers, completed, session.verdict_slug, items
    )
    add(session.questionnaire_id, Tally({key: -n for key, n in tally.items()}))


# --- Writing ------------------------------------------------------------------------------


def add(questionnaire_id: int, tally: Tally) -> None:
    """Add the tally to the daily counts: one statement (per ROWS_PER_STATEMENT rows).

    Raw SQL, because the counts must be *added* to in the database: two readers finishing
    at once both read "41" and write "42" with any read-then-write. Django's
    bulk_create(update_conflicts=True) can only overwrite a conflicting row with the new
    values, not add to it. INSERT ... ON CONFLICT DO UPDATE with count + excluded.count
    is one atomic statement on SQLite (3.24+) and PostgreSQL.

    Rows are sorted, so two transactions always lock shared rows in the same order and
    cannot deadlock on PostgreSQL; a key appears once per statement, as PostgreSQL requires.
    """
    rows = sorted((day, kind, key, n) for (day, kind, key), n in tally.items() if n)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(apps.get_model("quiz", "DailyCount")._meta.db_table)
    columns = ("questionnaire_id", "day", "kind", "key", "count")
    conflict = ", ".join(quote(c) for c in columns[:4])
    head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES "
    tail = (
        f" ON CONFLICT ({conflict}) DO UPDATE "
        f"SET {quote('count')} = {table}.{quote('count')} + excluded.{quote('count')}"
    )
    with connection.cursor() as cursor:
        for first in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[first : first + ROWS_PER_STATEMENT]
            params = []
            for day, kind, key, n in chunk:
                day = connection.ops.adapt_datefield_value(day)
                params += [questionnaire_id, day, str(kind), key, n]
            cursor.execute(head + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk)) + tail, params)
