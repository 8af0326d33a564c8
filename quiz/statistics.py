"""Anonymous statistics for editors: what readers did, as counts over a date range.

Everything is counted by the database (COUNT with GROUP BY), in five queries whatever the
number of sessions; Python only loops over the grouped rows (days, questions, answers,
items), never over sessions. No single session is ever read, shown or exported.

What is counted, for the days from `first` to `last` in the site's time zone:

- started per day, and the funnel (how many of those sessions answered each question, and
  how many saw their result) and the answer distribution: sessions *started* in the range;
- completed per day, verdicts, likely reasons and signs: sessions *completed* in the range.

Verdicts, reasons and signs come from scoring, which the database cannot do. So
`QuizSession.complete()` stores the result's summary once, when the reader finishes: the
verdict's slug on the session, each likely reason and sign as a `SessionResultItem` row
(with the questionnaire and completion time copied, so this table's index alone answers
the count). The statistics show results as readers saw them then; later rule changes do
not rewrite them.

Privacy: every count below `MASK_BELOW` becomes "fewer than 10" here, before any page,
chart or CSV sees it (a `Figure` then has no number at all), and masked rows are listed
by name, not by size. This hides small groups; it cannot stop someone subtracting one
shown count from another (a question's answers minus its other choices, or two ranges a
day apart). Editors are trusted staff and the sessions hold no identities.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic

from django import forms
from django.db import OperationalError, connection
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import scoring
from .models import Answer, Questionnaire, QuizSession, SessionResultItem
from .snapshot import rules_for

MASK_BELOW = 10
MASKED = "fewer than 10"
DEFAULT_DAYS = 30
MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
# The aggregates stop after this long and the page says so: gunicorn gives a request 30 s.
TIME_BUDGET_SECONDS = 20.0


@dataclass(frozen=True)
class Figure:
    """A count as editors may see it. Below MASK_BELOW it carries no number at all."""

    value: int | None

    @classmethod
    def of(cls, count: int) -> Figure:
        return cls(count if count >= MASK_BELOW else None)

    @property
    def masked(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return MASKED if self.value is None else f"{self.value:,}"

    @property
    def csv(self) -> str:
        return MASKED if self.value is None else str(self.value)


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

    @property
    def start(self) -> datetime:
        """The first day's midnight in the site's time zone."""
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """Midnight after the last day: the range is [start, end)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    def fixed_utc_offset(self) -> timedelta | None:
        """The time zone's UTC offset if it is the same at every midnight of the range."""
        zone = timezone.get_current_timezone()
        offsets = {
            zone.utcoffset(datetime.combine(day, time.min))
            for day in [*self.days, self.last + timedelta(days=1)]
        }
        return offsets.pop() if len(offsets) == 1 else None


class LocalDate(TruncDate):
    """TruncDate in the site's time zone, without a Python call per row on SQLite.

    Django's TruncDate on SQLite calls a Python function for every row (seconds for a
    million sessions). When the zone's offset does not change within the range (UTC, or
    no daylight-saving change), SQLite's own date() with that offset gives the same days.
    Other databases use TruncDate unchanged.
    """

    def __init__(self, expression, utc_offset: timedelta | None = None, **extra):
        self.utc_offset = utc_offset
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.utc_offset is None:
            return super().as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        minutes = int(self.utc_offset.total_seconds() // 60)
        return f"date({sql}, %s)", (*params, f"{minutes:+d} minutes")


class RangeForm(forms.Form):
    """The date range, from the query string; both days default to the last 30 days."""

    def __init__(self, query, today: date):
        default = DateRange.ending(today)
        data = {"from": default.first.isoformat(), "to": default.last.isoformat()}
        data.update({k: query[k] for k in ("from", "to") if query.get(k)})
        super().__init__(data)
        messages = {"invalid": "Enter a real date, like 2026-11-24."}
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
                f"Choose days between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}."
            )
        if first > last:
            raise forms.ValidationError("The first day must not be after the last day.")
        if (last - first).days + 1 > MAX_DAYS:
            raise forms.ValidationError(f"Choose at most {MAX_DAYS} days.")
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


class TooSlow(Exception):
    """The counts took longer than TIME_BUDGET_SECONDS."""


def most_frequent(counts: dict[str, int], label) -> tuple[Row, ...]:
    """Most frequent first. Masked rows come last, by name: their order would tell sizes."""
    rows = [Row(label(key), Figure.of(n), key) for key, n in counts.items()]
    return tuple(
        sorted(rows, key=lambda r: (r.figure.masked, -(r.figure.value or 0), r.label.lower()))
    )


def compute(questionnaire: Questionnaire, dates: DateRange) -> Statistics:
    """Every count on the statistics page, in five aggregate queries (and the rules)."""
    rules = rules_for(questionnaire)
    start, end = dates.start, dates.end
    offset = dates.fixed_utc_offset()
    sessions = QuizSession.objects.filter(questionnaire=questionnaire).order_by()
    with time_budget(TIME_BUDGET_SECONDS):
        # 1. Sessions started per day, and how many of them were completed (at any time).
        by_start = {
            row["day"]: row
            for row in sessions.filter(started_at__gte=start, started_at__lt=end)
            .annotate(day=LocalDate("started_at", offset))
            .values("day")
            .annotate(n=Count("*"), completed=Count("completed_at"))
        }
        # 2. Sessions completed per day, by verdict ("" none reached, None not summarised).
        by_completion = list(
            sessions.filter(completed_at__gte=start, completed_at__lt=end)
            .annotate(day=LocalDate("completed_at", offset))
            .values("day", "verdict_slug")
            .annotate(n=Count("*"))
        )
        # 3. Likely reasons and signs on results completed in the range.
        items = list(
            SessionResultItem.objects.filter(
                questionnaire=questionnaire, completed_at__gte=start, completed_at__lt=end
            )
            .order_by()
            .values("kind", "slug")
            .annotate(n=Count("*"))
        )
        # 4. The funnel: answers per question, from sessions started in the range.
        cohort = {"questionnaire": questionnaire, "started_at__gte": start, "started_at__lt": end}
        answered = dict(
            Answer.objects.filter(**{f"session__{k}": v for k, v in cohort.items()})
            .order_by()
            .values("question_id")
            .annotate(n=Count("*"))
            .values_list("question_id", "n")
        )
        # 5. How often each answer was chosen, by the same sessions.
        chosen = dict(
            Answer.choices.through.objects.filter(
                **{f"answer__session__{k}": v for k, v in cohort.items()}
            )
            .order_by()
            .values("choice_id")
            .annotate(n=Count("*"))
            .values_list("choice_id", "n")
        )

    completed_on: dict[date, int] = {}
    verdict_counts: dict[str, int] = {}
    unsummarised = 0
    for row in by_completion:
        completed_on[row["day"]] = completed_on.get(row["day"], 0) + row["n"]
        if row["verdict_slug"] is None:
            unsummarised += row["n"]
        else:
            slug = row["verdict_slug"]
            verdict_counts[slug] = verdict_counts.get(slug, 0) + row["n"]

    days = tuple(
        Day(
            day,
            Figure.of(by_start[day]["n"] if day in by_start else 0),
            Figure.of(completed_on.get(day, 0)),
        )
        for day in dates.days
    )
    started = sum(row["n"] for row in by_start.values())
    saw_result = sum(row["completed"] for row in by_start.values())

    questions = sorted(rules.questions, key=lambda q: (q.position, q.id))
    funnel = (
        Row("Started the questionnaire", Figure.of(started), "started"),
        *(
            Row(question_label(rules, q), Figure.of(answered.get(q.id, 0)), str(n))
            for n, q in enumerate(questions, 1)
        ),
        Row("Saw their result", Figure.of(saw_result), "completed"),
    )
    per_question = tuple(
        QuestionAnswers(
            number=n,
            text=q.text,
            multiple=q.multiple,
            answered=Figure.of(answered.get(q.id, 0)),
            choices=tuple(Row(c.text, Figure.of(chosen.get(c.id, 0))) for c in q.choices),
        )
        for n, q in enumerate(questions, 1)
    )

    verdict_titles = {v.slug: v.title for v in rules.verdicts}
    reasons = dict.fromkeys(slugs_of(rules, scoring.REASON), 0)
    signs = dict.fromkeys(slugs_of(rules, scoring.SIGN), 0)
    for row in items:
        counts = reasons if row["kind"] == SessionResultItem.Kind.REASON else signs
        counts[row["slug"]] = counts.get(row["slug"], 0) + row["n"]
    verdicts = dict.fromkeys(verdict_titles, 0) | verdict_counts

    def item_title(slug: str) -> str:
        item = rules.items_by_slug.get(slug)
        return f"{item.number}) {item.title}" if item else slug

    return Statistics(
        range=dates,
        days=days,
        started=Figure.of(started),
        completed=Figure.of(sum(completed_on.values())),
        funnel=funnel,
        questions=per_question,
        verdicts=most_frequent(
            verdicts, lambda s: verdict_titles.get(s, s) if s else "No verdict reached"
        ),
        reasons=most_frequent(reasons, item_title),
        signs=most_frequent(signs, item_title),
        unsummarised=Figure.of(unsummarised),
    )


def slugs_of(rules: scoring.Rules, kind: str) -> list[str]:
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


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula (editors' text is copied in)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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
                left = max(1, int((deadline - monotonic()) * 1000))
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
