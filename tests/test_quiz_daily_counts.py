"""The statistics' daily counts: whatever readers do, the statistics page shows what
counting the sessions', answers' and results' rows one by one would show."""

import importlib
from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from quiz import daily_counts, masking, statistics
from quiz.daily_counts import CountKind
from quiz.models import Answer, DailyCount, QuizSession, SessionResultItem
from quiz.snapshot import build_rules

from .quiz_helpers import (
    LEFT_WITH_WARNING_SIGNS,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    question,
    start,
    take,
)

# Every test here is about days: each runs at a fixed noon (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


# --- Two ways to count ----------------------------------------------------------------------


def counted_from_rows(questionnaire, dates: statistics.DateRange) -> dict[str, Counter]:
    """The statistics, counted from the raw rows one by one, in Python."""

    def in_range(moment) -> bool:
        return dates.first <= timezone.localdate(moment) <= dates.last

    sessions = QuizSession.objects.filter(questionnaire=questionnaire)
    started = [s for s in sessions if in_range(s.started_at)]
    completed = [s for s in sessions if s.completed_at and in_range(s.completed_at)]
    answers = Answer.objects.filter(session__in=started).select_related("question")
    items = SessionResultItem.objects.filter(session__in=completed)
    return {
        "started per day": Counter(timezone.localdate(s.started_at) for s in started),
        "completed per day": Counter(timezone.localdate(s.completed_at) for s in completed),
        "answered": Counter(a.question.text for a in answers),
        "chosen": Counter(
            (a.question.text, c.text)
            for a in answers.prefetch_related("choices")
            for c in a.choices.all()
        ),
        "saw their result": Counter(s.completed_at is not None for s in started)[True],
        "verdicts": Counter(s.verdict_slug for s in completed),
        "reasons": Counter(i.slug for i in items if i.kind == "reasons"),
        "signs": Counter(i.slug for i in items if i.kind == "signs"),
    }


def shown_on_the_page(questionnaire, dates: statistics.DateRange) -> dict[str, Counter]:
    """The same figures as quiz/statistics.py computes them for the page."""
    stats = statistics.compute(questionnaire, dates)
    return {
        "started per day": Counter({d.day: d.started.value for d in stats.days}),
        "completed per day": Counter({d.day: d.completed.value for d in stats.days}),
        "answered": Counter({q.text: q.answered.value for q in stats.questions}),
        "chosen": Counter(
            {(q.text, c.label): c.figure.value for q in stats.questions for c in q.choices}
        ),
        "saw their result": stats.funnel[-1].figure.value,
        "verdicts": Counter({r.key: r.figure.value for r in stats.verdicts}),
        "reasons": Counter({r.key: r.figure.value for r in stats.reasons}),
        "signs": Counter({r.key: r.figure.value for r in stats.signs}),
    }


@pytest.fixture
def unmasked(monkeypatch):
    """Every count shown as it is, so small test numbers can be compared exactly."""
    monkeypatch.setattr(masking, "MASK_BELOW", 0)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def reader(number: int) -> Client:
    """A reader's own browser (and address, so the POST rate limit is hers alone)."""
    return Client(REMOTE_ADDR=f"203.0.113.{number}")


def a_session(questionnaire, started: datetime, path, completed: datetime | None = None):
    """A reader on another day: the clock set to when she started, then to when she finished."""
    with time_machine.travel(started, tick=False):
        session = QuizSession.objects.create(
            questionnaire=questionnaire, started_at=started, last_activity_at=started
        )
        for chosen in (choice(*step) for step in path):
            session.record_answer(chosen.question_id, [chosen.pk])
    if completed is not None:
        with time_machine.travel(completed, tick=False):
            session.complete(build_rules(questionnaire))
    return session


def readers_do_everything(questionnaire) -> None:
    """Readers start, answer, change answers, stop, finish and delete, today and before."""
    take(reader(1), STRESSED_BUT_TOGETHER)

    changes_her_mind = reader(2)
    take(changes_her_mind, LEFT_WITH_WARNING_SIGNS)  # her result is final now: no changes

    comes_back = reader(3)
    start(comes_back)
    answer(
        comes_back, question("Where do things stand"), choice("Where do things", "We’re together")
    )
    answer(comes_back, question("How long"), choice("How long", "Around a year"))
    changed = question("What has changed")
    answer(comes_back, changed, choice("What has changed", "He’s working long hours"))
    answer(  # two answers instead of one: one kept, one added
        comes_back,
        changed,
        choice("What has changed", "He’s working long hours"),
        choice("What has changed", "He cancels plans"),
        follow_review=True,
    )
    answer(  # one of them dropped again
        comes_back, changed, choice("What has changed", "He cancels plans"), follow_review=True
    )
    answer(
        comes_back, question("How long"), choice("How long", "Several years"), follow_review=True
    )

    start(reader(4))  # and answers nothing

    forgets = reader(5)
    result = take(forgets, STRESSED_BUT_TOGETHER)
    assert forgets.post(result + "delete/").status_code == 302

    # Other days: finished the next day, shortly after midnight; or never.
    a_session(
        questionnaire, at(days_ago(3), 23, 50), LEFT_WITH_WARNING_SIGNS, at(days_ago(2), 0, 5)
    )
    a_session(questionnaire, at(days_ago(2), 9), STRESSED_BUT_TOGETHER, at(days_ago(2), 9, 20))
    a_session(questionnaire, at(days_ago(2), 10), STRESSED_BUT_TOGETHER[:4])


# --- Readers' steps -------------------------------------------------------------------------


def test_the_page_shows_what_counting_the_rows_shows(questionnaire, unmasked):
    readers_do_everything(questionnaire)
    assert QuizSession.objects.count() == 7  # the one who deleted her answers is gone
    for dates in (
        statistics.DateRange(days_ago(10), timezone.localdate()),
        statistics.DateRange(days_ago(3), days_ago(3)),  # started that day, completed later
        statistics.DateRange(days_ago(2), days_ago(2)),
        statistics.DateRange(timezone.localdate(), timezone.localdate()),
    ):
        assert shown_on_the_page(questionnaire, dates) == counted_from_rows(questionnaire, dates), (
            dates
        )


def test_figures_are_the_real_ones(questionnaire, unmasked):
    """Not only equal to the raw count: equal to what happened."""
    readers_do_everything(questionnaire)
    today = shown_on_the_page(
        questionnaire, statistics.DateRange(timezone.localdate(), timezone.localdate())
    )
    assert today["started per day"][timezone.localdate()] == 4  # the fifth deleted hers
    assert today["saw their result"] == 2
    cancels = choice("What has changed", "He cancels plans")
    long_hours = choice("What has changed", "He’s working long hours")
    changed = cancels.question.text
    assert today["chosen"][(changed, cancels.text)] == 2  # readers 2 and 3
    assert today["chosen"][(changed, long_hours.text)] == 1  # reader 1; reader 3 dropped it
    assert today["answered"][changed] == 3
    three_days_ago = statistics.DateRange(days_ago(3), days_ago(3))
    shown = shown_on_the_page(questionnaire, three_days_ago)
    assert (shown["started per day"][days_ago(3)], shown["saw their result"]) == (1, 1)
    assert shown["completed per day"][days_ago(3)] == 0  # she finished after midnight
    assert sum(shown["verdicts"].values()) == 0


def test_changing_an_answer_moves_its_counts(questionnaire):
    session = QuizSession.objects.create(questionnaire=questionnaire)
    changed = question("What has changed")
    long_hours, cancels, *_ = changed.choices.all()

    def counts() -> dict[str, int]:
        rows = DailyCount.objects.filter(kind__in=[CountKind.ANSWERED, CountKind.CHOSE])
        return {f"{r.kind} {r.key}": r.count for r in rows if r.count}

    session.record_answer(changed.pk, [long_hours.pk])
    assert counts() == {f"answered {changed.pk}": 1, f"chose {long_hours.pk}": 1}
    session.record_answer(changed.pk, [cancels.pk, long_hours.pk])
    assert counts() == {
        f"answered {changed.pk}": 1,
        f"chose {long_hours.pk}": 1,
        f"chose {cancels.pk}": 1,
    }
    session.record_answer(changed.pk, [cancels.pk])
    assert counts() == {f"answered {changed.pk}": 1, f"chose {cancels.pk}": 1}


def test_a_reader_who_deletes_her_answers_leaves_no_trace_in_the_counts(client, questionnaire):
    take(reader(1), STRESSED_BUT_TOGETHER)
    rows = DailyCount.objects.order_by("day", "kind", "key").values_list("kind", "key", "count")
    before = [row for row in rows if row[2]]
    result = take(client, LEFT_WITH_WARNING_SIGNS)
    assert DailyCount.objects.aggregate(n=Sum("count"))["n"] > sum(n for *_, n in before)
    assert client.post(result + "delete/").status_code == 302
    assert [row for row in rows.all() if row[2]] == before


def test_retention_keeps_the_counts_of_the_sessions_it_deletes(questionnaire, unmasked):
    """Sessions go after 90 days; the anonymous counts stay, so the history does too."""
    a_session(questionnaire, at(days_ago(120), 12), STRESSED_BUT_TOGETHER, at(days_ago(120), 13))
    dates = statistics.DateRange(days_ago(121), days_ago(119))
    before = shown_on_the_page(questionnaire, dates)
    call_command("delete_old_sessions", stdout=StringIO())
    assert not QuizSession.objects.exists()
    assert shown_on_the_page(questionnaire, dates) == before
    assert before["started per day"][days_ago(120)] == 1


def test_counts_are_added_in_the_database_not_overwritten(questionnaire):
    """Two upserts of the same row add up (what two readers finishing at once do)."""
    started_today = (timezone.localdate(), CountKind.STARTED, "")
    DailyCount.objects.add(questionnaire.pk, daily_counts.Tally({started_today: 2}))
    DailyCount.objects.add(questionnaire.pk, daily_counts.Tally({started_today: 3}))
    assert DailyCount.objects.get(kind=CountKind.STARTED).count == 5
    DailyCount.objects.add(questionnaire.pk, daily_counts.Tally({started_today: -5}))
    assert DailyCount.objects.get(kind=CountKind.STARTED).count == 0


def test_a_big_tally_is_written_in_several_statements(questionnaire):
    """More rows than one statement may carry (SQLite: 999 parameters)."""
    first = date(2026, 1, 1)
    tally = daily_counts.Tally(
        {(first + timedelta(days=n), CountKind.STARTED, ""): n + 1 for n in range(500)}
    )
    DailyCount.objects.add(questionnaire.pk, tally)
    assert DailyCount.objects.count() == 500
    assert DailyCount.objects.aggregate(n=Sum("count"))["n"] == sum(range(1, 501))


# --- Plain functions ------------------------------------------------------------------------


def test_a_first_answer_counts_the_question_and_its_choices():
    day = date(2026, 3, 1)
    assert daily_counts.answer_change(day, 7, None, [70, 71]) == {
        (day, CountKind.ANSWERED, "7"): 1,
        (day, CountKind.CHOSE, "70"): 1,
        (day, CountKind.CHOSE, "71"): 1,
    }


def test_a_changed_answer_moves_only_the_choices_that_changed():
    day = date(2026, 3, 1)
    change = daily_counts.answer_change(day, 7, frozenset({70, 71}), [71, 72])
    assert {key: n for key, n in change.items() if n} == {
        (day, CountKind.CHOSE, "70"): -1,
        (day, CountKind.CHOSE, "72"): 1,
    }


def test_a_session_counts_its_start_and_answers_on_the_first_day_its_result_on_the_last():
    started, completed = date(2026, 3, 1), date(2026, 3, 2)
    tally = daily_counts.contribution(
        started, {7: [70]}, completed, "walk-away", [("reasons", "stress"), ("signs", "ex")]
    )
    assert tally == {
        (started, CountKind.STARTED, ""): 1,
        (started, CountKind.ANSWERED, "7"): 1,
        (started, CountKind.CHOSE, "70"): 1,
        (started, CountKind.SAW_RESULT, ""): 1,
        (completed, CountKind.COMPLETED, ""): 1,
        (completed, CountKind.VERDICT, "walk-away"): 1,
        (completed, CountKind.REASONS, "stress"): 1,
        (completed, CountKind.SIGNS, "ex"): 1,
    }


# --- In bulk --------------------------------------------------------------------------------


def test_generated_sessions_are_counted(questionnaire, unmasked):
    call_command(
        "generate_sessions",
        "--count=300",
        "--days=5",
        "--seed=3",
        "--batch-size=70",
        "--i-know-this-is-not-production",
        stdout=StringIO(),
    )
    dates = statistics.DateRange(days_ago(6), timezone.localdate())
    assert shown_on_the_page(questionnaire, dates) == counted_from_rows(questionnaire, dates)
    assert sum(shown_on_the_page(questionnaire, dates)["started per day"].values()) == 300


def test_the_migration_counts_the_sessions_there_were(questionnaire, unmasked):
    readers_do_everything(questionnaire)
    dates = statistics.DateRange(days_ago(10), timezone.localdate())
    expected = counted_from_rows(questionnaire, dates)
    DailyCount.objects.all().delete()
    migration = importlib.import_module("quiz.migrations.0006_daily_counts")
    migration.count_existing_sessions(apps, None)
    assert shown_on_the_page(questionnaire, dates) == expected


def test_summarising_old_sessions_adds_their_results_to_the_counts(questionnaire, unmasked):
    """Sessions completed before summaries were kept: counted as completed, then given
    their verdict, reasons and signs by summarise_sessions."""
    session = a_session(
        questionnaire, at(days_ago(2), 9), STRESSED_BUT_TOGETHER, at(days_ago(2), 10)
    )
    session.result_items.all().delete()
    QuizSession.objects.filter(pk=session.pk).update(verdict_slug=None)
    DailyCount.objects.all().delete()
    importlib.import_module("quiz.migrations.0006_daily_counts").count_existing_sessions(apps, None)
    dates = statistics.DateRange(days_ago(2), days_ago(2))
    stats = statistics.compute(questionnaire, dates)
    assert (stats.completed, stats.unsummarised) == (statistics.Figure(1), statistics.Figure(1))
    call_command("summarise_sessions", stdout=StringIO())
    stats = statistics.compute(questionnaire, dates)
    assert stats.unsummarised == statistics.Figure(0)
    assert shown_on_the_page(questionnaire, dates) == counted_from_rows(questionnaire, dates)
