"""Anonymous sessions are deleted after the retention period, on command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from quiz.models import Answer, Question, QuizSession

pytestmark = pytest.mark.django_db


def make_session(questionnaire, days_ago: int) -> QuizSession:
    session = QuizSession.objects.create(questionnaire=questionnaire)
    session.record_answer(
        Question.objects.first().pk, [Question.objects.first().choices.first().pk]
    )
    moment = timezone.now() - timedelta(days=days_ago)
    QuizSession.objects.filter(pk=session.pk).update(started_at=moment, last_activity_at=moment)
    return session


def run(*args) -> str:
    out = StringIO()
    call_command("delete_old_sessions", *args, stdout=out)
    return out.getvalue()


def test_dry_run_counts_and_deletes_nothing(questionnaire):
    make_session(questionnaire, 120)
    make_session(questionnaire, 91)
    make_session(questionnaire, 10)
    output = run("--dry-run")
    assert output.startswith("Would delete 2 sessions and 2 answers")
    assert QuizSession.objects.count() == 3


def test_sessions_older_than_90_days_are_deleted_with_their_answers(questionnaire):
    old = make_session(questionnaire, 120)
    recent = make_session(questionnaire, 89)
    output = run()
    assert output.startswith("Deleted 1 sessions and 1 answers")
    assert list(QuizSession.objects.all()) == [recent]
    assert not Answer.objects.filter(session_id=old.pk).exists()


def test_the_period_can_be_set(questionnaire):
    make_session(questionnaire, 20)
    assert run("--days", "30").startswith("Deleted 0 sessions")
    assert run("--days", "7").startswith("Deleted 1 sessions")


def test_a_period_below_one_day_is_refused(questionnaire):
    with pytest.raises(SystemExit):
        call_command("delete_old_sessions", "--days", "0", stderr=StringIO())


def test_a_timeline_of_check_ins_is_kept_while_her_last_check_in_is_recent(questionnaire):
    """Retention counts from her last check-in: her first result, 120 days old, stays while
    she checked in 10 days ago; once every run of the timeline is old, all of it goes."""
    first = make_session(questionnaire, 120)
    middle = make_session(questionnaire, 100)
    last = make_session(questionnaire, 10)
    QuizSession.objects.filter(pk__in=[middle.pk, last.pk]).update(timeline=first)
    alone = make_session(questionnaire, 95)
    assert run().startswith("Deleted 1 sessions")
    assert set(QuizSession.objects.all()) == {first, middle, last}
    assert not QuizSession.objects.filter(pk=alone.pk).exists()

    moment = timezone.now() - timedelta(days=91)
    QuizSession.objects.filter(pk=last.pk).update(last_activity_at=moment)
    assert run().startswith("Deleted 3 sessions")
    assert not QuizSession.objects.exists()
