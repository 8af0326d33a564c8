"""Delete anonymous questionnaire sessions older than the retention period.

Run daily from cron (see README, "Retention"). Readers' answers are kept only as long as
QUIZ_SESSION_RETENTION_DAYS says (default 90): a session whose last activity is older is
deleted with its answers, and its result link stops working. Check-ins count from her
last one: a timeline (quiz/check_ins.py) is kept whole while any of its runs is recent, and
deleted whole once none is.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from quiz.models import Answer, QuizSession


class Command(BaseCommand):
    help = "Delete anonymous sessions (and their answers) older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.QUIZ_SESSION_RETENTION_DAYS,
            help="Keep sessions active within this many days "
            f"(default: {settings.QUIZ_SESSION_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            raise SystemExit(2)
        cutoff = timezone.now() - timedelta(days=days)
        # The first run of every timeline active since the cutoff: its runs all stay.
        kept = (
            QuizSession.objects.filter(last_activity_at__gte=cutoff)
            .order_by()
            .values(first=Coalesce("timeline_id", "pk"))
        )
        old = QuizSession.objects.filter(last_activity_at__lt=cutoff).exclude(
            Q(pk__in=kept) | Q(timeline_id__in=kept)
        )
        sessions = old.count()
        answers = Answer.objects.filter(session__in=old).count()
        if dry_run:
            self.stdout.write(
                f"Would delete {sessions} sessions and {answers} answers "
                f"last active before {cutoff:%Y-%m-%d %H:%M} UTC."
            )
            return
        with transaction.atomic():
            old.delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {sessions} sessions and {answers} answers "
                f"last active before {cutoff:%Y-%m-%d %H:%M} UTC."
            )
        )
