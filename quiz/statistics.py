"""Anonymous statistics for editors: what readers did, as counts over a date range.

Everything is read from the daily counts (`DailyCount`, kept by quiz/daily_counts.py as
readers act): two queries summing a few thousand rows, whatever the number of sessions
(with a million sessions, counting their rows took 25 s on SQLite and 6 s on PostgreSQL).
No single session is ever read, shown or exported.

What is counted, for the days from `first` to `last` in the site's time zone:

- started per day, and the funnel (how many of those sessions answered each question, and
  how many saw their result) and the answer distribution: sessions *started* in the range;
- completed per day, verdicts, likely reasons and signs: sessions *completed* in the range.

Verdicts, reasons and signs come from scoring, which the database cannot do. So
`QuizSession.complete()` counts the result once, when the reader finishes (and stores its
summary on the session and as `SessionResultItem` rows). The statistics show results as
readers saw them then; later rule changes do not rewrite them.

Deleted sessions: a reader who deletes her answers is taken out of the counts too. The
retention command deletes old sessions but keeps the counts (anonymous totals that point
to no session), so the statistics keep their history beyond the 90 days sessions are kept.

Privacy: every count below `MASK_BELOW` becomes "fewer than 10" here, before any page,
chart or CSV sees it (a `Figure` then has no number at all), and masked rows are listed
by name, not by size. This hides small groups; it cannot stop someone subtracting one
shown count from another (a question's answers minus its other choices, or two ranges a
day apart). Editors are trusted staff and the sessions hold no identities.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil
from time import monotonic

from django import forms
from django.db import OperationalError, connection
from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advice.kinds import ItemKind

from . import check_in_statistics, scoring
from .daily_counts import CountKind
from .masking import MASK_BELOW, MASKED, Figure  # noqa: F401 (charts and admin read them here)
from .models import DailyCount, Questionnaire
from .snapshot import rules_for

DEFAULT_DAYS = 30
MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
# The aggregates stop after this long and the page says so: gunicorn gives a request 30 s.
TIME_BUDGET_SECONDS = 20.0


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date

    @classmethod
    def ending(cls, last: date, days: int = DEFAULT_DAYS) -> DateRange:
        return cls(last - timedelta(days=days - 1), last)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


class RangeForm(forms.Form):
    """The date range, from the query string; both days default to the last 30 days."""

    def __init__(self, query, today: date):
        default = DateRange.ending(today)
        data = {"from": default.first.isoformat(), "to": default.last.isoformat()}
        data.update({k: query[k] for k in ("from", "to") if query.get(k)})
        super().__init__(data)
        messages = {"invalid": _("Enter a real date, like 2026-11-24.")}
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                label=label,
                error_messages=messages,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first is None or last is None:
            return cleaned
        if not (EARLIEST <= first <= LATEST and EARLIEST <= last <= LATEST):
            raise forms.ValidationError(
                _("Choose days between %(first)s and %(last)s.")
                % {"first": f"{EARLIEST:%Y-%m-%d}", "last": f"{LATEST:%Y-%m-%d}"}
            )
        if first > last:
            raise forms.ValidationError(_("The first day must not be after the last day."))
        if (last - first).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("Choose at most %(days)d days.") % {"days": MAX_DAYS})
        cleaned["range"] = DateRange(first, last)
        return cleaned


@dataclass(frozen=True)
class Day:
    day: date
    started: Figure
    completed: Figure


@dataclass(frozen=True)
class Row:
    """One labelled count: a question, an answer, a verdict, a reason or a sign."""

    label: str
    figure: Figure
    key: str = ""  # a slug, or a question's number


@dataclass(frozen=True)
class QuestionAnswers:
    number: int
    text: str
    multiple: bool
    answered: Figure
    choices: tuple[Row, ...]


@dataclass(frozen=True)
class Statistics:
    range: DateRange
    days: tuple[Day, ...]
    started: Figure
    completed: Figure
    funnel: tuple[Row, ...]  # started, each question in order, saw their result
    questions: tuple[QuestionAnswers, ...]
    verdicts: tuple[Row, ...]
    reasons: tuple[Row, ...]
    signs: tuple[Row, ...]
    # Completed in the range before summaries were stored: not in verdicts, reasons, signs.
    unsummarised: Figure
    # Check-ins completed in the range, and what moved for them.
    check_ins: check_in_statistics.CheckInStatistics | None = None


class TooSlow(Exception):
    """The counts took longer than TIME_BUDGET_SECONDS."""


def most_frequent(counts: dict[str, int], label) -> tuple[Row, ...]:
    """Most frequent first. Masked rows come last, by name: their order would tell sizes."""
    rows = [Row(label(key), Figure.of(n), key) for key, n in counts.items()]
    return tuple(
        sorted(rows, key=lambda r: (r.figure.masked, -(r.figure.value or 0), r.label.lower()))
    )


def compute(questionnaire: Questionnaire, dates: DateRange) -> Statistics:
    """Every count on the statistics page, from the daily counts in two queries."""
    rules = rules_for(questionnaire)
    counts = DailyCount.objects.filter(
        questionnaire=questionnaire, day__gte=dates.first, day__lte=dates.last
    ).order_by()
    with time_budget(TIME_BUDGET_SECONDS):
        # 1. Sessions started per day, and completed per day.
        per_day = {
            (row["day"], row["kind"]): row["n"]
            for row in counts.filter(kind__in=[CountKind.STARTED, CountKind.COMPLETED])
            .values("day", "kind")
            .annotate(n=Sum("count"))
        }
        # 2. Everything else over the whole range: (kind, key) → count.
        totals = {
            (row["kind"], row["key"]): row["n"]
            for row in counts.values("kind", "key").annotate(n=Sum("count"))
        }

    def total(kind: str, key: str = "") -> int:
        return totals.get((kind, key), 0)

    def of_kind(kind: str) -> dict[str, int]:
        return {key: n for (k, key), n in totals.items() if k == kind}

    days = tuple(
        Day(
            day,
            Figure.of(per_day.get((day, CountKind.STARTED), 0)),
            Figure.of(per_day.get((day, CountKind.COMPLETED), 0)),
        )
        for day in dates.days
    )
    started, completed = total(CountKind.STARTED), total(CountKind.COMPLETED)
    verdict_counts = of_kind(CountKind.VERDICT)
    # Completed before summaries were stored: counted as completed, with no verdict.
    unsummarised = completed - sum(verdict_counts.values())

    questions = sorted(rules.questions, key=lambda q: (q.position, q.id))
    funnel = (
        Row(gettext("Started the questionnaire"), Figure.of(started), "started"),
        *(
            Row(question_label(rules, q), Figure.of(total(CountKind.ANSWERED, str(q.id))), str(n))
            for n, q in enumerate(questions, 1)
        ),
        Row(gettext("Saw their result"), Figure.of(total(CountKind.SAW_RESULT)), "completed"),
    )
    per_question = tuple(
        QuestionAnswers(
            number=n,
            text=q.text,
            multiple=q.multiple,
            answered=Figure.of(total(CountKind.ANSWERED, str(q.id))),
            choices=tuple(
                Row(c.text, Figure.of(total(CountKind.CHOSE, str(c.id)))) for c in q.choices
            ),
        )
        for n, q in enumerate(questions, 1)
    )

    verdict_titles = {v.slug: v.title for v in rules.verdicts}
    reasons = dict.fromkeys(slugs_of(rules, ItemKind.REASONS), 0) | of_kind(CountKind.REASONS)
    signs = dict.fromkeys(slugs_of(rules, ItemKind.SIGNS), 0) | of_kind(CountKind.SIGNS)
    verdicts = dict.fromkeys(verdict_titles, 0) | verdict_counts

    def item_title(slug: str) -> str:
        item = rules.items_by_slug.get(slug)
        return f"{item.number}) {item.title}" if item else slug

    return Statistics(
        range=dates,
        days=days,
        started=Figure.of(started),
        completed=Figure.of(completed),
        funnel=funnel,
        questions=per_question,
        verdicts=most_frequent(
            verdicts, lambda s: verdict_titles.get(s, s) if s else gettext("No verdict reached")
        ),
        reasons=most_frequent(reasons, item_title),
        signs=most_frequent(signs, item_title),
        unsummarised=Figure.of(unsummarised),
        check_ins=check_in_statistics.compute(totals, rules),
    )


def slugs_of(rules: scoring.Rules, kind: ItemKind) -> list[str]:
    return [item.slug for item in rules.items if item.kind == kind]


def question_label(rules: scoring.Rules, question: scoring.Question) -> str:
    condition = rules.choice(question.show_if_choice_id) if question.show_if_choice_id else None
    if condition is None:
        return question.text
    return f"{question.text} (asked after “{condition.text}”)"


CSV_HEADER = ("section", "date", "question", "answer", "result", "count")


def csv_rows(stats: Statistics):
    """The page's counts as CSV rows: aggregates only, masked as on the page."""
    yield CSV_HEADER
    for day in stats.days:
        yield ("started", day.day.isoformat(), "", "", "", day.started.csv)
    for day in stats.days:
        yield ("completed", day.day.isoformat(), "", "", "", day.completed.csv)
    for row in stats.funnel:
        yield ("funnel", "", row.label, "", "", row.figure.csv)
    for question in stats.questions:
        for choice in question.choices:
            yield ("answer", "", question.text, choice.label, "", choice.figure.csv)
    for section, rows in (
        ("verdict", stats.verdicts),
        ("likely reason", stats.reasons),
        ("sign", stats.signs),
    ):
        for row in rows:
            yield (section, "", "", "", row.label, row.figure.csv)
    yield from check_in_statistics.csv_rows(stats.check_ins)


# Where a spreadsheet may start a cell: the start of the text, or after any character some
# spreadsheet splits on (",", ";", tab, a line break), quotes and spaces skipped. The CSV
# quotes every field, but a spreadsheet told to split on ";" splits inside one.
CELL_START = re.compile(r"""(^|[,;\t\r\n])(["\s]*)(?=[=+\-@\t\r])""")


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula (editors' text is copied in), whatever
    separator it splits on: an apostrophe before every place a cell could start with one."""
    return CELL_START.sub(r"\1\2'", value)


@contextmanager
def time_budget(seconds: float):
    """Stop the database work after `seconds` with TooSlow, instead of a killed worker.

    SQLite: a progress handler interrupts the running statement. PostgreSQL: each
    statement gets the budget that is left as its statement_timeout.
    """
    deadline = monotonic() + seconds
    connection.ensure_connection()
    try:
        if connection.vendor == "sqlite":
            raw = connection.connection
            raw.set_progress_handler(lambda: monotonic() > deadline, 10_000)
            try:
                yield
            finally:
                raw.set_progress_handler(None, 0)
        elif connection.vendor == "postgresql":

            def limit(execute, sql, params, many, context):
                # Rounded up, so PostgreSQL stops a statement after the deadline, never a
                # fraction of a millisecond before it: then the error is known as TooSlow.
                left = max(1, ceil((deadline - monotonic()) * 1000))
                context["cursor"].cursor.execute(f"SET statement_timeout = {left}")
                return execute(sql, params, many, context)

            try:
                with connection.execute_wrapper(limit):
                    yield
            finally:
                # Straight to the driver, like the SETs: not one of the page's queries.
                try:
                    with connection.cursor() as cursor:
                        cursor.cursor.execute("RESET statement_timeout")
                except connection.Database.Error:
                    pass  # a failed transaction: its rollback undoes the SETs as well
        else:
            yield
    except OperationalError as error:
        if monotonic() >= deadline:
            raise TooSlow from error
        raise
