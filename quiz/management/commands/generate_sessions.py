"""Fill a development database with anonymous questionnaire sessions, quickly and in bulk.

For trying out and measuring the editors' statistics (and the pages) with realistic
volumes: `manage.py generate_sessions --count 1000000 --days 90` takes minutes on SQLite
and PostgreSQL. Sessions start at random moments over the last `--days` days; some stop
part-way through the questions (the drop-off the statistics show), the others are
completed with their result summarised exactly as `QuizSession.complete()` does.

Answers follow random "answer paths": each path walks the questions as a reader would
(conditional questions only when their condition was picked), choosing answers with
fixed, uneven odds per question, and is scored once. Every session follows one path,
picked at random, so a million sessions need a few thousand scorings, not a million.

The statistics' daily counts (quiz/daily_counts.py) are added up in memory for each batch
and written with it: a few upserts of a few thousand rows, not one per reader's step.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from quiz import daily_counts, scoring
from quiz.models import (
    Answer,
    DailyCount,
    Questionnaire,
    QuizSession,
    SessionResultItem,
    new_token,
    result_summary,
)
from quiz.snapshot import build_rules

PATHS = 20_000  # distinct answer paths at most; each one is scored once
STOP_BEFORE_FIRST = 0.12  # share of readers who start and answer nothing
STOP_PER_QUESTION = 0.04  # chance to leave at each later question
STOP_AT_REVIEW = 0.08  # answered everything but never asked for the result


@dataclass(frozen=True)
class Path:
    """One walk through the questions: (question id, chosen choice ids) in order."""

    answers: tuple[tuple[int, tuple[int, ...]], ...]
    verdict_slug: str
    result_items: tuple[tuple[str, str], ...]


@dataclass
class Totals:
    sessions: int = 0
    completed: int = 0
    answers: int = 0
    choices: int = 0
    result_items: int = 0


def question_odds(rules: scoring.Rules, rng: random.Random) -> dict[int, list[float]]:
    """Uneven, fixed odds for each question's answers: some answers are far more common."""
    return {
        q.id: [0.05 + rng.random() ** 2 for _ in q.choices] for q in rules.questions if q.choices
    }


def random_path(rules: scoring.Rules, odds, rng: random.Random) -> Path:
    answers: dict[int, frozenset[int]] = {}
    picked: set[int] = set()
    ordered = []
    for question in sorted(rules.questions, key=lambda q: (q.position, q.id)):
        condition = question.show_if_choice_id
        if (condition is not None and condition not in picked) or not question.choices:
            continue
        ids = [c.id for c in question.choices]
        if question.multiple:
            wanted = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
            chosen = set(rng.choices(ids, weights=odds[question.id], k=wanted))
        else:
            chosen = {rng.choices(ids, weights=odds[question.id])[0]}
        answers[question.id] = frozenset(chosen)
        picked |= chosen
        ordered.append((question.id, tuple(sorted(chosen))))
    verdict_slug, items = result_summary(scoring.score(rules, answers))
    return Path(tuple(ordered), verdict_slug, tuple(items))


class Command(BaseCommand):
    help = (
        "Create anonymous questionnaire sessions with random answers, in bulk, for trying "
        "out the editors' statistics. Development and benchmarks only: the sessions look "
        "exactly like real readers' ones, so in production they would falsify the "
        "statistics editors rely on, and could not be told apart and removed again without "
        "deleting real readers' answers too. It therefore refuses to run when DEBUG is off, "
        "unless --i-know-this-is-not-production is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=1000, help="sessions to create (default 1000)"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="spread their start over the last N days (default 30)",
        )
        parser.add_argument("--seed", type=int, help="random seed, for repeatable answers")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be created; write nothing"
        )
        parser.add_argument(
            "--questionnaire",
            help="slug of the questionnaire (default: the one the site shows readers)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="sessions written per transaction (default 5000)",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="run although DEBUG is off (a throwaway or benchmark database)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "DEBUG is off, so this may be a production database: generated sessions "
                "would be mixed up with real readers' ones for good. Run it on a "
                "development database, or add --i-know-this-is-not-production."
            )
        count, days, batch_size = options["count"], options["days"], options["batch_size"]
        if count < 0 or days < 1 or batch_size < 1:
            raise CommandError("--count must be 0 or more, --days and --batch-size 1 or more.")
        questionnaire = self.questionnaire(options["questionnaire"])
        rules = build_rules(questionnaire)
        if not any(q.choices for q in rules.questions):
            raise CommandError(f"“{questionnaire}” has no questions with answers yet.")

        rng = random.Random(options["seed"])
        odds = question_odds(rules, rng)
        paths = [random_path(rules, odds, rng) for _ in range(min(count, PATHS) or 1)]
        now = timezone.now()
        started = time.monotonic()
        totals = Totals()
        for offset in range(0, count, batch_size):
            size = min(batch_size, count - offset)
            sessions = [self.random_session(paths, rng, now, days) for _ in range(size)]
            if not options["dry_run"]:
                self.write(questionnaire.pk, sessions)
            self.add_up(totals, sessions)
            if options["verbosity"] > 1:
                self.stdout.write(f"  {totals.sessions} sessions…")

        verb = "Would create" if options["dry_run"] else "Created"
        self.stdout.write(
            f"{verb} {totals.sessions} sessions ({totals.completed} completed) with "
            f"{totals.answers} answers ({totals.choices} chosen answers) and "
            f"{totals.result_items} result items for “{questionnaire}”, started over the "
            f"last {days} days, in {time.monotonic() - started:.1f} s."
        )

    def questionnaire(self, slug: str | None) -> Questionnaire:
        if slug:
            found = Questionnaire.objects.filter(slug=slug).first()
        else:
            found = Questionnaire.objects.published().order_by("pk").first()
        if found is None:
            raise CommandError(
                f"No questionnaire with the slug “{slug}”."
                if slug
                else "No published questionnaire: name one with --questionnaire."
            )
        return found

    @staticmethod
    def random_session(paths: list[Path], rng: random.Random, now, days: int) -> dict:
        path = rng.choice(paths)
        steps = len(path.answers)
        # Where she stopped: None when she saw her result.
        if rng.random() < STOP_BEFORE_FIRST:
            stop = 0
        else:
            stop = next((n for n in range(1, steps) if rng.random() < STOP_PER_QUESTION), None)
            if stop is None and rng.random() < STOP_AT_REVIEW:
                stop = steps
        # Start early enough that every answer (a few minutes at most) is in the past.
        start = now - timedelta(seconds=rng.uniform(15 * 60, days * 86400))
        moment, answers = start, []
        for question_id, choice_ids in path.answers[:stop]:
            moment += timedelta(seconds=rng.uniform(4, 50))
            answers.append((question_id, choice_ids, moment))
        completed_at = moment + timedelta(seconds=rng.uniform(5, 60)) if stop is None else None
        return {
            "started_at": start,
            "last_activity_at": completed_at or moment,
            "completed_at": completed_at,
            "answers": answers,
            "path": path if stop is None else None,
        }

    @staticmethod
    def add_up(totals: Totals, sessions: list[dict]) -> None:
        for s in sessions:
            totals.sessions += 1
            totals.answers += len(s["answers"])
            totals.choices += sum(len(choice_ids) for _q, choice_ids, _t in s["answers"])
            if s["path"] is not None:
                totals.completed += 1
                totals.result_items += len(s["path"].result_items)

    @staticmethod
    def write(questionnaire_id: int, sessions: list[dict]) -> None:
        """One batch in one transaction: sessions, answers, chosen answers, result items,
        and what they add to the daily counts."""
        Through = Answer.choices.through
        with transaction.atomic():
            writer = BulkWriter(connection)
            session_ids = writer.reserve_ids(QuizSession, len(sessions))
            answer_ids = iter(writer.reserve_ids(Answer, sum(len(s["answers"]) for s in sessions)))
            session_rows, answer_rows, chosen_rows, item_rows = [], [], [], []
            counts, zone = daily_counts.Tally(), timezone.get_current_timezone()
            for session_id, s in zip(session_ids, sessions, strict=True):
                path = s["path"]
                daily_counts.contribution(
                    daily_counts.local_day(s["started_at"], zone),
                    {question_id: choice_ids for question_id, choice_ids, _at in s["answers"]},
                    daily_counts.local_day(s["completed_at"], zone) if path else None,
                    path.verdict_slug if path else None,
                    path.result_items if path else (),
                    into=counts,
                )
                session_rows.append(
                    (
                        session_id,
                        new_token(),
                        questionnaire_id,
                        writer.moment(s["started_at"]),
                        writer.moment(s["last_activity_at"]),
                        writer.moment(s["completed_at"]),
                        len(s["answers"]),
                        path.verdict_slug if path else None,
                    )
                )
                for question_id, choice_ids, moment in s["answers"]:
                    answer_id = next(answer_ids)
                    answer_rows.append((answer_id, session_id, question_id, writer.moment(moment)))
                    chosen_rows.extend((answer_id, choice_id) for choice_id in choice_ids)
                if path is not None:
                    completed_at = writer.moment(s["completed_at"])
                    item_rows.extend(
                        (session_id, questionnaire_id, completed_at, kind, slug)
                        for kind, slug in path.result_items
                    )
            writer.insert(
                QuizSession,
                [
                    "id",
                    "token",
                    "questionnaire_id",
                    "started_at",
                    "last_activity_at",
                    "completed_at",
                    "revision",
                    "verdict_slug",
                ],
                session_rows,
            )
            writer.insert(Answer, ["id", "session_id", "question_id", "answered_at"], answer_rows)
            writer.insert(Through, ["answer_id", "choice_id"], chosen_rows)
            writer.insert(
                SessionResultItem,
                ["session_id", "questionnaire_id", "completed_at", "kind", "slug"],
                item_rows,
            )
            DailyCount.objects.add(questionnaire_id, counts)


class BulkWriter:
    """Many rows into a table, in as few round trips as the database allows.

    Django's bulk_create builds a model instance and compiles every value of every row:
    about 1.5 ms per generated session here, 25 minutes a million. This writes the same
    rows straight through the DB-API, as Django itself would store them: COPY on
    PostgreSQL, one prepared INSERT with executemany elsewhere (SQLite).

    Primary keys are reserved first, so answers can name their session and chosen answers
    their answer without reading anything back: from the table's sequence on PostgreSQL
    (safe alongside other writers); on SQLite the transaction holds the write lock
    (IMMEDIATE), so the ids after the highest one are free.
    """

    def __init__(self, connection):
        self.connection = connection
        self.postgresql = connection.vendor == "postgresql"
        if connection.vendor == "sqlite":
            # SQLite's default page cache is 2 MB: with millions of rows, every index insert
            # would read its page from disk again. 256 MB, for this connection only.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")

    def reserve_ids(self, model, count: int):
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.postgresql:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(table)}"
            )
            highest = cursor.fetchone()[0]
        return range(highest + 1, highest + 1 + count)

    def moment(self, value: datetime | None):
        """A datetime as the column stores it: psycopg adapts it; SQLite keeps UTC text."""
        if value is None or self.postgresql:
            return value
        return str(value.astimezone(UTC).replace(tzinfo=None))

    def insert(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
