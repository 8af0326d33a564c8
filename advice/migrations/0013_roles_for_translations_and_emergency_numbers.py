"""The roles (0010_roles) for the rows that came after them: the translations' states (an
article's and a questionnaire's languages, which editors publish and confirm) and the
emergency numbers, which writers keep; the support lines' checks, which every editor reads
and only `check_support_lines` writes. Without this only superusers saw them. Re-running
only adds what is missing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_CONTENT = {
    "advice": ["articletranslation"],
    "quiz": ["questionnairetranslation", "emergencynumber"],
}
ACTIONS = {
    "Writers": ("add", "change", "delete", "view"),
    "Reviewers": ("view",),
    "Publishers": ("view",),
}
CHECKS = ("quiz", "view_linecheck")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are made after migrations
        had = getattr(app_config, "models_module", None)
        app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in NEW_CONTENT.items():
            for model in models:
                for action in actions:
                    group.permissions.add(
                        Permission.objects.get(
                            content_type__app_label=app_label, codename=f"{action}_{model}"
                        )
                    )
        group.permissions.add(
            Permission.objects.get(content_type__app_label=CHECKS[0], codename=CHECKS[1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0012_translatable_labels"),
        ("quiz", "0014_emergency_numbers"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
