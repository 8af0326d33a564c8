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
| `check_in` | days since the check-in before, as a bucket (`AFTER_DAYS`) | the day completed |
| `returned` | "" (a reader's first check-in after her first result) | the day completed |
| `level_moved` | "lower:", "same:", "higher:" and a way slug ("" for all) | the day completed |
| `verdict_moved` | the same, for the verdict | the day the check-in was completed |

A check-in (quiz/check_ins.py) is a run that follows her earlier result. Completing one
counts how long after the check-in before it, and how her walk-away level and verdict
moved since, once overall and once for each way the earlier result recommended: editors
learn whether readers told to give him space came back better or worse.

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

This module holds what each step adds, as plain functions over plain data (a `Tally`),
and `DailyCountManager.add`, which writes a tally. `QuizSession` calls them with what it
read, so this module imports no models.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advice.kinds import ItemKind

# Rows per INSERT: SQLite allows 999 parameters per statement, five per row.
ROWS_PER_STATEMENT = 190


class CountKind(models.TextChoices):
    """What a daily count counts (the table above)."""

    STARTED = "started", _("sessions started")
    ANSWERED = "answered", _("of them answered the question")
    CHOSE = "chose", _("of them chose the answer")
    SAW_RESULT = "saw_result", _("of them saw their result")
    COMPLETED = "completed", _("sessions completed")
    VERDICT = "verdict", _("of them were given the verdict")
    # A result's items are counted under their item kind, as `SessionResultItem` stores it.
    REASONS = ItemKind.REASONS.value, _("of them were given the likely reason")
    SIGNS = ItemKind.SIGNS.value, _("of them were shown the sign")
    CHECK_IN = "check_in", _("check-ins completed, by days since the one before")
    RETURNED = "returned", _("readers who checked in again for the first time")
    LEVEL_MOVED = "level_moved", _("check-ins whose walk-away level moved")
    VERDICT_MOVED = "verdict_moved", _("check-ins whose verdict moved")


# How long after her check-in before: each bucket named by its first day. Weekly at
# first (a relationship changes week by week), then coarser.
AFTER_DAYS = (0, 7, 14, 28, 56)


def after_bucket(days: int) -> str:
    """The `check_in` key for a check-in `days` after the one before."""
    return str(max(first for first in AFTER_DAYS if first <= max(0, days)))


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
        tally[(completed, CountKind.VERDICT, verdict_slug)] += 1
    for kind, slug in result_items:  # SessionResultItem's kinds are CountKind.REASONS and SIGNS
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
    tally[(started, CountKind.STARTED, "")] += 1
    for question_id, choice_ids in answers.items():
        tally[(started, CountKind.ANSWERED, str(question_id))] += 1
        for choice_id in choice_ids:
            tally[(started, CountKind.CHOSE, str(choice_id))] += 1
    if completed is not None:
        completion(started, completed, verdict_slug, result_items, into=tally)
    return tally


def completion(
    started: date,
    completed: date,
    verdict_slug: str | None,
    result_items: Iterable[tuple[str, str]],
    into: Tally | None = None,
) -> Tally:
    """What completing adds: the funnel's last step on the day the session started, and
    the completion and its result on the day it was completed."""
    tally = result_tally(completed, verdict_slug, result_items, into=into)
    tally[(started, CountKind.SAW_RESULT, "")] += 1
    tally[(completed, CountKind.COMPLETED, "")] += 1
    return tally


def check_in_tally(
    completed: date,
    days_since_last: int,
    first_return: bool,
    level_moved: str,
    verdict_moved: str,
    ways_before: Iterable[str],
) -> Tally:
    """What completing a check-in adds, on the day it was completed: how long after the
    one before, and how level and verdict moved ("lower", "same", "higher") overall and
    for each way her earlier result recommended (`ways_before`, slugs)."""
    tally = Tally()
    tally[(completed, CountKind.CHECK_IN, after_bucket(days_since_last))] += 1
    if first_return:
        tally[(completed, CountKind.RETURNED, "")] += 1
    for way in ("", *ways_before):
        tally[(completed, CountKind.LEVEL_MOVED, f"{level_moved}:{way}")] += 1
        tally[(completed, CountKind.VERDICT_MOVED, f"{verdict_moved}:{way}")] += 1
    return tally


def answer_change(
    started: date, question_id: int, before: frozenset[int] | None, after: Iterable[int]
) -> Tally:
    """An answer given (`before` None: the first answer to the question) or changed: the
    choices no longer chosen are taken away, the new ones added."""
    after = frozenset(after)
    tally = Tally()
    if before is None:
        tally[(started, CountKind.ANSWERED, str(question_id))] += 1
        before = frozenset()
    for choice_id in after - before:
        tally[(started, CountKind.CHOSE, str(choice_id))] += 1
    for choice_id in before - after:
        tally[(started, CountKind.CHOSE, str(choice_id))] -= 1
    return tally


def negated(tally: Tally) -> Tally:
    """The tally to subtract: a forgotten session takes back what it added."""
    return Tally({key: -n for key, n in tally.items()})


# --- Writing ------------------------------------------------------------------------------


class DailyCountManager(models.Manager):
    def add(self, questionnaire_id: int, tally: Tally) -> None:
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
        table = quote(self.model._meta.db_table)
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
                cursor.execute(
                    head + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk)) + tail, params
                )
