"""Store the result summary of completed sessions that have none, for the statistics.

`QuizSession.complete()` stores it when a reader finishes; sessions completed before that
(or restored from elsewhere) have none and are left out of the verdicts, reasons and signs
on the editors' statistics page. Run once after upgrading; it is safe to run again. The
results it stores are added to the statistics' daily counts, on the day each session was
completed.
They are scored with the rules as they are now, which may differ from what those readers
saw if editors changed the rules since.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from quiz import daily_counts, scoring
from quiz.models import (
    Answer,
    DailyCount,
    Questionnaire,
    QuizSession,
    SessionResultItem,
    result_summary,
)
from quiz.snapshot import build_rules

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Store verdicts, likely reasons and signs for completed sessions that have no "
        "summary yet (scored with the current rules)."
    )

    def handle(self, *args, **options):
        total = 0
        for questionnaire in Questionnaire.objects.order_by("pk"):
            rules = build_rules(questionnaire)
            pending = QuizSession.objects.filter(
                questionnaire=questionnaire, completed_at__isnull=False, verdict_slug__isnull=True
            ).order_by("pk")
            while batch := list(pending.only("pk", "completed_at")[:BATCH]):
                self.summarise(questionnaire, rules, batch)
                total += len(batch)
        self.stdout.write(f"Summarised {total} completed sessions.")

    @staticmethod
    @transaction.atomic
    def summarise(questionnaire, rules: scoring.Rules, sessions: list[QuizSession]) -> None:
        answers: dict[int, dict[int, set[int]]] = {s.pk: {} for s in sessions}
        rows = Answer.choices.through.objects.filter(answer__session__in=sessions).values_list(
            "answer__session_id", "answer__question_id", "choice_id"
        )
        for session_id, question_id, choice_id in rows:
            answers[session_id].setdefault(question_id, set()).add(choice_id)
        items = []
        counts = daily_counts.Tally()
        for session in sessions:
            session.verdict_slug, summary = result_summary(
                scoring.score(rules, answers[session.pk])
            )
            daily_counts.result_tally(
                daily_counts.local_day(session.completed_at),
                session.verdict_slug,
                summary,
                into=counts,
            )
            items += [
                SessionResultItem(
                    session=session,
                    questionnaire=questionnaire,
                    completed_at=session.completed_at,
                    kind=kind,
                    slug=slug,
                )
                for kind, slug in summary
            ]
        QuizSession.objects.bulk_update(sessions, ["verdict_slug"])
        SessionResultItem.objects.bulk_create(items)
        DailyCount.objects.add(questionnaire.pk, counts)
