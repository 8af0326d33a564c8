"""Load the shipped seed content into a database that has none yet.

`make run` calls this on every start. It loads a fixture only when its content is missing,
so a rerun never overwrites what editors have changed since, and publishes the content as
the first version when nothing has been published yet.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from advice.history import record_first_versions
from advice.models import Article, Release
from advice.releases import publish
from quiz.models import EmergencyNumber, Questionnaire, SupportResource

# (fixture name in fixtures/, model whose rows mean "already loaded"), in loading order:
# the questionnaire's rules name the article's items. The support lines and emergency
# numbers are site-wide and stand alone: a site whose questionnaire predates the numbers
# gets them on its next start (and one whose questionnaire had its own lines keeps those).
SEED_FIXTURES = [
    ("article", Article),
    ("questionnaire", Questionnaire),
    ("support_resources", SupportResource),
    ("emergency_numbers", EmergencyNumber),
]


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
            call_command("loaddata", fixture, verbosity=0)  # one transaction per fixture
            self.stdout.write(self.style.SUCCESS(f"{label}: loaded fixtures/{fixture}.json."))
        if not dry_run:
            # loaddata writes rows without history, and content loaded before a model was
            # put under history has none: record each such row's first version, so an
            # editor's first change can be reverted.
            for label, count in record_first_versions().items():
                self.stdout.write(f"{label}: first version of {count} rows recorded.")
        # Readers only see published versions: the first one is published here, once, so
        # a new site (or one from before versions existed) shows its content straight away.
        if Release.objects.exists():
            self.stdout.write("published versions: present, left as editors have them.")
        elif dry_run:
            self.stdout.write("published versions: would publish the content as version 1.")
        else:
            release = publish(note="First version, from the seed content.")
            self.stdout.write(self.style.SUCCESS(f"published versions: {release} is live."))
