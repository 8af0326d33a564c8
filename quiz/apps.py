from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = pgettext_lazy("the admin's section for questionnaires", "Questionnaire")

    def ready(self):
        # Every release holds the questionnaires as they were when it was published.
        # Imported here, not at the top: Django imports this module before any models,
        # and both of these import models. ready() is where Django lets an app do that.
        from advice.releases import register_part

        from . import checks, emergency, omissions, snapshot, support_lines

        register_part(
            "questionnaires",
            build=snapshot.build_part,
            read=snapshot.read_part,
            changes=snapshot.describe_changes,
            markdown=snapshot.part_markdown,
            omissions=omissions.questionnaire_omissions,
            checks=checks.part_findings,
            localize=snapshot.localize_part,
        )
        # Site-wide: every questionnaire's safety panel shows them.
        register_part(
            "support_resources",
            build=support_lines.build_part,
            read=support_lines.read_part,
            changes=support_lines.describe_changes,
            omissions=support_lines.omissions,
            checks=support_lines.findings,
            localize=support_lines.localize_part,
        )
        # Its checks name support lines of countries it lacks.
        register_part(
            "emergency_numbers",
            build=emergency.build_part,
            read=emergency.read_part,
            changes=emergency.describe_changes,
            omissions=emergency.omissions,
            checks=emergency.findings,
        )
