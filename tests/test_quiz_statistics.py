"""Editors' anonymous statistics: counts per day, funnel, answers, results, CSV, privacy."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains

from quiz import statistics
from quiz.models import Answer, Choice, Question, QuizSession, SessionResultItem
from quiz.scoring import score, visible_questions
from quiz.snapshot import build_rules

from .editing import assert_only_staff_who_may_view_questionnaires_get
from .quiz_helpers import STRESSED_BUT_TOGETHER, choice

# Every test here is about days: each runs at a fixed noon (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

# The editor (1), the questionnaire with its article (1), then the two sums over the daily
# counts: per day, and over the range. The editor's session and the rules come from the
# cache.
STATISTICS_QUERIES = 4


def url(questionnaire, query: str = "", export: bool = False) -> str:
    page = "statistics.csv" if export else "statistics/"
    return f"/admin/quiz/questionnaire/{questionnaire.pk}/{page}" + (f"?{query}" if query else "")


def noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def make_session(questionnaire, started, choices=(), completed=None) -> QuizSession:
    """A session as readers make them (answers recorded, completed with its summary),
    started and answered at `started`, completed at `completed`."""
    with time_machine.travel(started, tick=False):
        # The field's default is bound to the real clock when the model is defined.
        session = QuizSession.objects.create(
            questionnaire=questionnaire, started_at=started, last_activity_at=started
        )
        for chosen in choices:
            session.record_answer(chosen.question_id, [chosen.pk])
    if completed is not None:
        with time_machine.travel(completed, tick=False):
            session.complete(build_rules(questionnaire))
    return session


def path_choices(path) -> list[Choice]:
    return [choice(question_start, choice_start) for question_start, choice_start in path]


def questions_in_order(questionnaire) -> list[Question]:
    return list(Question.objects.filter(questionnaire=questionnaire).order_by("position", "pk"))


def stats_of(response) -> statistics.Statistics:
    assert response.status_code == 200, response.status_code
    return response.context["stats"]


def figure(value) -> statistics.Figure:
    return statistics.Figure.of(value)


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- The page ---------------------------------------------------------------------------


def test_the_change_form_links_to_the_statistics(editor_client, questionnaire):
    change = editor_client.get(f"/admin/quiz/questionnaire/{questionnaire.pk}/change/")
    assertContains(change, f'href="{url(questionnaire)}">Statistics</a>')


def test_the_default_range_is_the_last_30_days(editor_client, questionnaire):
    stats = stats_of(editor_client.get(url(questionnaire)))
    assert stats.range == statistics.DateRange(days_ago(29), timezone.localdate())
    assert len(stats.days) == 30


def test_sessions_started_and_completed_per_day(editor_client, questionnaire):
    first = choice("Where do things stand", "We’re together")
    for n in range(12):  # started three days ago, ten of them completed two days ago
        make_session(
            questionnaire, noon(days_ago(3)), [first], noon(days_ago(2)) if n < 10 else None
        )
    for _ in range(10):  # started two days ago, not completed
        make_session(questionnaire, noon(days_ago(2)), [first])
    stats = stats_of(editor_client.get(url(questionnaire)))
    per_day = {day.day: (day.started, day.completed) for day in stats.days}
    assert per_day[days_ago(3)] == (figure(12), figure(0))
    assert per_day[days_ago(2)] == (figure(10), figure(10))
    assert per_day[days_ago(1)] == (figure(0), figure(0))
    assert (stats.started, stats.completed) == (figure(22), figure(10))


def test_the_funnel_counts_sessions_answering_each_question_in_order(editor_client, questionnaire):
    questions = questions_in_order(questionnaire)
    first, second = questions[0].choices.first(), questions[1].choices.first()
    for n in range(12):
        make_session(questionnaire, noon(days_ago(1)), [first, second] if n < 10 else [first])
    stats = stats_of(editor_client.get(url(questionnaire)))
    assert [row.key for row in stats.funnel] == [
        "started",
        *[str(n) for n in range(1, len(questions) + 1)],
        "completed",
    ]
    counts = [row.figure for row in stats.funnel]
    assert counts[:4] == [figure(12), figure(12), figure(10), figure(0)]
    assert counts[-1] == figure(0)
    assert stats.funnel[1].label == questions[0].text


def test_the_answer_distribution_counts_each_choice(editor_client, questionnaire):
    question = questions_in_order(questionnaire)[0]
    popular, rare, *others = question.choices.all()
    for n in range(13):
        make_session(questionnaire, noon(days_ago(1)), [popular if n < 10 else rare])
    stats = stats_of(editor_client.get(url(questionnaire)))
    first = stats.questions[0]
    assert (first.number, first.text, first.answered) == (1, question.text, figure(13))
    assert [(row.label, row.figure) for row in first.choices] == [
        (popular.text, figure(10)),
        (rare.text, figure(3)),
        *[(c.text, figure(0)) for c in others],
    ]


def test_results_count_the_verdicts_reasons_and_signs_readers_were_given(
    editor_client, questionnaire
):
    choices = path_choices(STRESSED_BUT_TOGETHER)
    for _ in range(10):
        make_session(questionnaire, noon(days_ago(1)), choices, noon(days_ago(1)))
    expected = score(
        build_rules(questionnaire), {c.question_id: [c.pk] for c in choices}
    )  # what each of these readers saw
    stats = stats_of(editor_client.get(url(questionnaire)))
    shown = {row.key: row.figure for row in stats.verdicts if not row.figure.masked}
    assert shown == {expected.verdict.slug: figure(10)}
    assert {r.key for r in stats.reasons if not r.figure.masked} == {
        r.slug for r in expected.likely_reasons
    }
    assert {s.key for s in stats.signs if not s.figure.masked} == {s.slug for s in expected.signs}
    assert stats.unsummarised == figure(0)
    # Most frequent first; every other reason is listed, masked, by name.
    assert not stats.reasons[0].figure.masked and stats.reasons[-1].figure.masked


def test_completing_stores_the_result_summary_once(questionnaire):
    choices = path_choices(STRESSED_BUT_TOGETHER)
    session = QuizSession.objects.create(questionnaire=questionnaire)
    for chosen in choices:
        session.record_answer(chosen.question_id, [chosen.pk])
    session.complete(build_rules(questionnaire))
    result = score(build_rules(questionnaire), session.answer_map())
    session.refresh_from_db()
    assert session.verdict_slug == result.verdict.slug
    stored = sorted(session.result_items.values_list("kind", "slug"))
    assert stored == sorted(
        [("reasons", r.slug) for r in result.likely_reasons]
        + [("signs", s.slug) for s in result.signs]
    )
    session.complete(build_rules(questionnaire))  # again: nothing is added
    assert session.result_items.count() == len(stored)
    session.delete()  # and the summary goes with the session
    assert not SessionResultItem.objects.exists()


# --- Privacy ------------------------------------------------------------------------------


@pytest.mark.parametrize(("sessions", "shown"), [(9, "fewer than 10"), (10, "10")])
def test_counts_below_ten_are_shown_as_fewer_than_ten(
    editor_client, questionnaire, sessions, shown
):
    today = timezone.localdate()
    question = questions_in_order(questionnaire)[0]
    for _ in range(sessions):
        make_session(questionnaire, noon(today), [question.choices.first()])
    page = editor_client.get(url(questionnaire))
    html = BeautifulSoup(page.content, "html.parser")
    day_row = html.find("th", string=today.isoformat()).parent
    assert [td.get_text() for td in day_row.find_all("td")][0] == shown
    column = html.find("title", string=f"{today:%Y-%m-%d}: {shown} started")
    assert column is not None  # the chart says the same
    summary = html.find("h2", string="Sessions per day").find_next("p").get_text()
    assert f"{shown} sessions started" in summary
    exported = csv_of(editor_client.get(url(questionnaire, export=True)))
    assert ["started", today.isoformat(), "", "", "", shown] in exported
    funnel = {row[2]: row[5] for row in exported if row[0] == "funnel"}
    assert funnel["Started the questionnaire"] == shown
    assert funnel[question.text] == shown
    if sessions == 9:
        assert "9" not in {row[5] for row in exported}
        assert statistics.Figure.of(9).value is None  # nothing downstream can see it


def test_the_csv_holds_aggregates_only(editor_client, questionnaire):
    choices = path_choices(STRESSED_BUT_TOGETHER)
    sessions = [
        make_session(questionnaire, noon(days_ago(1)), choices, noon(days_ago(1)))
        for _ in range(12)
    ]
    response = editor_client.get(url(questionnaire, export=True))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="statistics-')
    body = response.content.decode()
    assert not any(s.token in body for s in sessions)
    rows = csv_of(response)
    assert rows[0] == list(statistics.CSV_HEADER)
    sections = {"started", "completed", "funnel", "answer", "verdict", "likely reason", "sign"}
    check_ins = {"check-ins", "check-ins after", "level moved", "verdict moved"}
    assert {row[0] for row in rows[1:]} == sections | check_ins
    stats = stats_of(editor_client.get(url(questionnaire)))
    # Check-ins: completed and first returns (2), each bucket of days, and for level and
    # verdict three directions of all check-ins (none yet: no way has a row).
    check_in_rows = 2 + len(stats.check_ins.after) + 2 * 3
    assert (
        len(rows)
        == 1
        + 2 * len(stats.days)
        + len(stats.funnel)
        + sum(len(q.choices) for q in stats.questions)
        + len(stats.verdicts)
        + len(stats.reasons)
        + len(stats.signs)
        + check_in_rows
    )
    # Twice the sessions: the same rows, none per session.
    for _ in range(12):
        make_session(questionnaire, noon(days_ago(1)), choices, noon(days_ago(1)))
    assert len(csv_of(editor_client.get(url(questionnaire, export=True)))) == len(rows)


FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_cells_never_start_a_spreadsheet_formula(editor_client, questionnaire, separator):
    """Whatever separator a spreadsheet splits on, as many European locales use ";"."""
    questions = questions_in_order(questionnaire)
    Question.objects.filter(pk=questions[0].pk).update(text="=HYPERLINK(1)")
    Question.objects.filter(pk=questions[1].pk).update(text="Ready to move on;=HYPERLINK(2)")
    Question.objects.filter(pk=questions[2].pk).update(text="Tabs\t@SUM(3), or -4")
    questionnaire.save()  # the rules are rebuilt
    body = editor_client.get(url(questionnaire, export=True)).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(body), delimiter=separator) for cell in row]
    assert not [cell for cell in cells if cell.strip(' "').startswith(FORMULA_STARTS)]
    assert "'=HYPERLINK(1)" in body


# --- The range ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "Enter a real date, like 2026-11-24."),
        ("to=yesterday", "Enter a real date, like 2026-11-24."),
        ("from=%00", "Enter a real date, like 2026-11-24."),
        ("from=99999999-01-01", "Enter a real date, like 2026-11-24."),
        ("from=2026-11-24&to=2026-11-01", "The first day must not be after the last day."),
        ("from=2024-01-01&to=2025-12-31", "Choose at most 366 days."),
        ("from=9999-12-31&to=9999-12-31", "Choose days between 2000-01-01 and 2100-12-31."),
        ("from=1999-12-31&to=2000-01-01", "Choose days between 2000-01-01 and 2100-12-31."),
    ],
)
def test_a_bad_range_gets_a_clear_form_error(editor_client, questionnaire, query, message):
    for export in (False, True):
        response = editor_client.get(url(questionnaire, query, export=export))
        assert response.status_code == 400
        assertContains(response, message, status_code=400)
        assertContains(response, "Please correct the dates below.", status_code=400)
        assert "stats" not in response.context


def test_a_chosen_range_is_counted(editor_client, questionnaire):
    question = questions_in_order(questionnaire)[0]
    for _ in range(10):
        make_session(questionnaire, noon(days_ago(40)), [question.choices.first()])
    for _ in range(10):
        make_session(questionnaire, noon(days_ago(5)), [question.choices.first()])
    query = f"from={days_ago(45)}&to={days_ago(35)}"
    stats = stats_of(editor_client.get(url(questionnaire, query)))
    assert (stats.range.first, stats.range.last, len(stats.days)) == (
        days_ago(45),
        days_ago(35),
        11,
    )
    assert stats.started == figure(10)
    assertContains(
        editor_client.get(url(questionnaire, query)),
        f"statistics.csv?{query.replace('&', '&amp;')}",
    )


def test_days_are_counted_in_the_sites_time_zone(editor_client, questionnaire, settings):
    settings.TIME_ZONE = "America/New_York"
    # 03:00 UTC on 15 January is 22:00 on the 14th in New York (UTC-5).
    for _ in range(10):
        make_session(questionnaire, datetime(2026, 1, 15, 3, tzinfo=UTC))
    quiet = statistics.DateRange(date(2026, 1, 10), date(2026, 1, 20))
    across_dst = statistics.DateRange(date(2026, 1, 10), date(2026, 3, 20))
    for dates in (quiet, across_dst):
        stats = stats_of(
            editor_client.get(url(questionnaire, f"from={dates.first}&to={dates.last}"))
        )
        started = {day.day: day.started for day in stats.days}
        assert started[date(2026, 1, 14)] == figure(10)
        assert stats.started == figure(10)


# --- Access, queries, CSP -------------------------------------------------------------------


def test_statistics_and_their_csv_are_for_staff_only(client, questionnaire, django_user_model):
    assert_only_staff_who_may_view_questionnaires_get(
        client, django_user_model, url(questionnaire), url(questionnaire, export=True)
    )


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def test_the_page_queries_do_not_grow_with_sessions(editor_client, questionnaire):
    choices = path_choices(STRESSED_BUT_TOGETHER)
    make_session(questionnaire, noon(days_ago(1)), choices, noon(days_ago(1)))
    editor_client.get(url(questionnaire))  # the rules into the cache
    few = count_queries(editor_client, url(questionnaire))
    for n in range(30):
        day = days_ago(n % 7)
        make_session(questionnaire, noon(day), choices[: n % 13], noon(day) if n % 2 else None)
    many = count_queries(editor_client, url(questionnaire))
    export = count_queries(editor_client, url(questionnaire, export=True))
    assert few == many == export == STATISTICS_QUERIES


def test_the_page_needs_no_inline_style(editor_client, questionnaire):
    for _ in range(10):
        make_session(questionnaire, noon(days_ago(1)), path_choices(STRESSED_BUT_TOGETHER))
    response = editor_client.get(url(questionnaire))
    assert "style-src 'self'" in response["Content-Security-Policy"]
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("style") is None
    assert html.find(attrs={"style": True}) is None
    charts = html.select("#content-main svg")
    assert len(charts) == 2 + 14 + 3  # per day, funnel, each question, three results
    for chart in charts:
        assert chart["role"] == "img"
        title = chart.find("title", id=chart["aria-labelledby"])
        assert title is not None and title.get_text()
    # Each chart's numbers are in a table too; the check-ins have three tables alone.
    assert len(html.select("#content-main table")) == len(charts) + 3


def test_a_range_too_big_to_count_in_time_gets_a_message(editor_client, questionnaire, monkeypatch):
    def too_slow(*args):
        raise statistics.TooSlow

    monkeypatch.setattr(statistics, "compute", too_slow)
    response = editor_client.get(url(questionnaire))
    assertContains(response, "Please choose fewer days.", status_code=503)


def test_the_time_budget_stops_a_slow_query(db):
    slow = {
        "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
        "SELECT COUNT(*) FROM n",
        "postgresql": "SELECT pg_sleep(5)",
    }[connection.vendor]
    with pytest.raises(statistics.TooSlow), statistics.time_budget(0.2):  # noqa: SIM117
        with connection.cursor() as cursor:
            cursor.execute(slow)


# --- Generating sessions --------------------------------------------------------------------


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_sessions", *args, stdout=out)
    return out.getvalue()


def test_generate_sessions_refuses_without_debug(questionnaire, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        generate("--count", "5")
    assert not QuizSession.objects.exists()


def test_generate_sessions_dry_run_writes_nothing(questionnaire):
    output = generate("--count", "50", "--dry-run", "--i-know-this-is-not-production")
    assert output.startswith("Would create 50 sessions")
    assert not QuizSession.objects.exists()


def test_generate_sessions_makes_plausible_anonymous_sessions(questionnaire, settings):
    settings.DEBUG = True
    output = generate("--count", "300", "--days", "10", "--seed", "4", "--batch-size", "70")
    assert output.startswith("Created 300 sessions")
    assert QuizSession.objects.count() == 300
    oldest = timezone.now() - timedelta(days=10)
    assert not QuizSession.objects.filter(started_at__lt=oldest).exists()
    assert not QuizSession.objects.filter(last_activity_at__gt=timezone.now()).exists()
    completed = QuizSession.objects.filter(completed_at__isnull=False)
    assert 50 < completed.count() < 250
    assert not completed.filter(verdict_slug__isnull=True).exists()
    assert not QuizSession.objects.filter(completed_at=None, verdict_slug__isnull=False).exists()
    rules = build_rules(questionnaire)
    for session in completed[:20]:  # summaries as complete() would store them
        result = score(rules, session.answer_map())
        assert session.verdict_slug == (result.verdict.slug if result.verdict else "")
        assert session.result_items.count() == len(result.likely_reasons) + len(result.signs)
        # Conditional questions only when their condition was picked.
        shown = {q.id for q in visible_questions(rules, session.answer_map())}
        assert set(session.answer_map()) <= shown
    tokens = set(QuizSession.objects.values_list("token", flat=True))
    assert len(tokens) == 300 and all(len(t) == 43 for t in tokens)
    # New sessions after generated ones still get fresh ids.
    assert QuizSession.objects.create(questionnaire=questionnaire).pk > max(
        QuizSession.objects.exclude(revision=0).values_list("pk", flat=True)
    )


def test_generate_sessions_is_repeatable_with_a_seed(questionnaire):
    def answers_chosen():
        generate("--count", "60", "--seed", "9", "--i-know-this-is-not-production")
        chosen = sorted(
            Answer.choices.through.objects.values_list("answer__question_id", "choice_id")
        )
        QuizSession.objects.all().delete()
        return chosen

    assert answers_chosen() == answers_chosen()


def test_summarise_sessions_fills_in_missing_summaries(questionnaire):
    choices = path_choices(STRESSED_BUT_TOGETHER)
    session = make_session(questionnaire, noon(days_ago(1)), choices, noon(days_ago(1)))
    stored = sorted(session.result_items.values_list("kind", "slug"))
    verdict = QuizSession.objects.get(pk=session.pk).verdict_slug
    session.result_items.all().delete()
    QuizSession.objects.filter(pk=session.pk).update(verdict_slug=None)
    out = StringIO()
    call_command("summarise_sessions", stdout=out)
    assert out.getvalue().startswith("Summarised 1 completed sessions.")
    session.refresh_from_db()
    assert session.verdict_slug == verdict
    assert sorted(session.result_items.values_list("kind", "slug")) == stored
