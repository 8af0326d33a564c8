"""Load the shipped seed content into a database that has none yet.

`make run` calls this on every start. It loads a fixture only when its content is missing,
so a rerun never overwrites what editors have changed since.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from advice.models import Article
from quiz.models import Questionnaire

# (fixture name in fixtures/, model whose rows mean "already loaded"), in loading order:
# the questionnaire's rules name the article's items.
SEED_FIXTURES = [("article", Article), ("questionnaire", Questionnaire)]


class Command(BaseCommand):
    help = "Load the seed article (and questionnaire) into an empty database; never overwrite."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be loaded.")

    def handle(self, *args, dry_run: bool = False, **options):
        for fixture, model in SEED_FIXTURES:
            label = model._meta.verbose_name_plural
            if model.objects.exists():
                self.stdout.write(f"{label}: already present, left as editors have them.")
                continue
            if dry_run:
                self.stdout.write(f"{label}: would load fixtures/{fixture}.json.")
                continue
            with transaction.atomic():
                call_command("loaddata", fixture, verbosity=0)
                # loaddata writes rows raw, without history: record each row's first
                # version, so an editor's first change can be reverted.
                call_command("populate_history", "--auto", verbosity=0)
            self.stdout.write(self.style.SUCCESS(f"{label}: loaded fixtures/{fixture}.json."))
