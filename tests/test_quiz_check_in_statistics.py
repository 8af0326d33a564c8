"""Editors learn whether the advice helps: check-ins in the statistics, masked under 10."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz import check_ins
from quiz.models import QuizSession
from quiz.snapshot import build_rules

from .quiz_helpers import LEFT_WITH_WARNING_SIGNS, STRESSED_BUT_TOGETHER, choice
from .test_quiz_check_ins import WORSE_PATH
from .test_quiz_statistics import STATISTICS_QUERIES, days_ago, noon, stats_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def run(questionnaire, path, completed, timeline=None) -> QuizSession:
    """A run as a reader makes it, answered and completed at `completed`; a check-in when
    it follows `timeline`'s first run."""
    with time_machine.travel(completed, tick=False):
        session = QuizSession.objects.create(
            questionnaire=questionnaire,
            started_at=completed,
            last_activity_at=completed,
            timeline=timeline,
        )
        for question_start, choice_start in path:
            chosen = choice(question_start, choice_start)
            session.record_answer(chosen.question_id, [chosen.pk])
        earlier = check_ins.earlier_for_completion(session) if timeline else None
        session.complete(build_rules(questionnaire), earlier)
    return session


def readers(questionnaire, count, before, after, days_later):
    """`count` readers answer `before` 40 days ago, and check in `days_later` days after."""
    first_day = days_ago(40)
    for _ in range(count):
        first = run(questionnaire, before, noon(first_day))
        run(questionnaire, after, noon(first_day + timedelta(days=days_later)), timeline=first)


LISTEN = "Told: 4) Listen and learn"


def test_how_readers_moved_between_check_ins_per_way_they_were_told(editor_client, questionnaire):
    """Told to listen and learn (the stressed reader's ways): 12 came back with a higher
    walk-away level (48% of 25), 10 the same (40%), 3 lower (masked: fewer than 10)."""
    readers(questionnaire, 12, STRESSED_BUT_TOGETHER, WORSE_PATH, 14)
    readers(questionnaire, 10, STRESSED_BUT_TOGETHER, STRESSED_BUT_TOGETHER, 7)
    readers(questionnaire, 10, LEFT_WITH_WARNING_SIGNS, STRESSED_BUT_TOGETHER, 30)
    readers(questionnaire, 3, WORSE_PATH, STRESSED_BUT_TOGETHER, 3)
    query = f"from={days_ago(45)}&to={days_ago(0)}"
    editor_client.get(url(questionnaire, query))  # the editor's session and rules cached
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.get(url(questionnaire, query))
    assert len(captured) == STATISTICS_QUERIES  # no query more for check-ins
    stats = stats_of(response).check_ins

    assert (stats.check_ins.value, stats.returned.value) == (35, 35)
    assert [(a.key, str(a.figure)) for a in stats.after] == [
        ("0", "fewer than 10"),
        ("7", "10"),
        ("14", "12"),
        ("28", "10"),
        ("56", "fewer than 10"),
    ]
    overall, *ways = stats.level
    assert (overall.label, str(overall.total)) == ("All check-ins", "35")
    assert overall.in_words == "37% lower, 29% same, 34% higher"
    listen = next(m for m in ways if m.label == LISTEN)
    assert (str(listen.total), listen.in_words) == (
        "25",
        "fewer than 10 lower, 40% same, 48% higher",
    )
    on_with_life = next(m for m in ways if "Get on with your life" in m.label)
    assert on_with_life.in_words == "100% lower, fewer than 10 same, fewer than 10 higher"
    verdict_overall = stats.verdict[0]
    assert verdict_overall.in_words == "37% lower, 29% same, 34% higher"
    page = response.content.decode()
    assert "Readers who check in again" in page
    assert f'<th scope="row">{LISTEN}</th><td class="numeric">25</td>' in page


def test_a_group_under_10_shows_no_share_at_all(editor_client, questionnaire):
    readers(questionnaire, 9, STRESSED_BUT_TOGETHER, WORSE_PATH, 14)
    stats = stats_of(editor_client.get(url(questionnaire, f"from={days_ago(45)}&to={days_ago(0)}")))
    overall = stats.check_ins.level[0]
    assert overall.total.masked
    assert overall.in_words == "fewer than 10 lower, fewer than 10 same, fewer than 10 higher"


def test_the_csv_has_the_check_ins_masked_and_nothing_per_reader(editor_client, questionnaire):
    readers(questionnaire, 10, STRESSED_BUT_TOGETHER, WORSE_PATH, 14)
    response = editor_client.get(url(questionnaire, f"from={days_ago(45)}&to={days_ago(0)}", True))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["check-ins", "", "", "", "Check-ins completed", "10"] in rows
    assert ["level moved", "", "", "higher", "All check-ins", "10"] in rows
    assert ["level moved", "", "", "lower", "All check-ins", "fewer than 10"] in rows
    text = response.content.decode()
    for session in QuizSession.objects.all():
        assert session.token not in text
