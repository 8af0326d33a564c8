from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Questionnaire"

    def ready(self):
        # Every release holds the questionnaires as they were when it was published.
        from advice.releases import register_part

        from . import snapshot

        register_part(
            "questionnaires",
            build=snapshot.build_part,
            read=snapshot.read_part,
            changes=snapshot.describe_changes,
        )
