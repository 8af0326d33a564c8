"""The editors' roles as groups (README, "Roles"): writers, reviewers and publishers.

Permissions are created after migrations run (post_migrate), so a fresh database has none
yet when this runs: `create_permissions` makes them first. Re-running only adds what is
missing; editors' own changes to the groups are kept.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The rows editors write: the article's and the questionnaire's.
CONTENT = {
    "advice": ["article", "section", "item"],
    "quiz": [
        "questionnaire",
        "question",
        "choice",
        "choicerule",
        "reasonrule",
        "verdict",
        "supportresource",
    ],
}
SEE_CONTENT = [(app, f"view_{model}") for app, models in CONTENT.items() for model in models]
SEE_VERSIONS = [("advice", "view_release")]

ROLES = {
    # Saves drafts: adds, changes and deletes content; sees the versions; cannot publish.
    "Writers": [
        (app, f"{action}_{model}")
        for app, models in CONTENT.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    + SEE_VERSIONS,
    # Reads everything, approves or sends back the pending changes.
    "Reviewers": SEE_CONTENT + SEE_VERSIONS + [("advice", "review_release")],
    # Reads everything, publishes (once what needs review is approved), withdraws a
    # scheduled version.
    "Publishers": SEE_CONTENT
    + SEE_VERSIONS
    + [("advice", "publish_release"), ("advice", "delete_release")],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        had = getattr(app_config, "models_module", None)
        app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0009_review"),
        ("quiz", "0008_rate_counts"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
