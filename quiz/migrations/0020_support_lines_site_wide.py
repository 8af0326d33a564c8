# Support lines become site-wide: every questionnaire's safety panel shows the same lines,
# those of the reader's country first. Here each questionnaire's lines are merged into one
# list: a line two questionnaires both had (same name, numbers, address and place) is kept
# once, with the checks of its web address and any translation only one of them had.
# Published releases are not touched: they keep each questionnaire's lines as they were.

from django.db import migrations

SAME_LINE = ("name", "phone", "text_line", "url", "country", "area")


def merge_lines(apps, schema_editor):
    SupportResource = apps.get_model("quiz", "SupportResource")
    LineCheck = apps.get_model("quiz", "LineCheck")
    kept = {}
    for line in SupportResource.objects.order_by("position", "pk"):
        key = tuple(getattr(line, name) for name in SAME_LINE)
        first = kept.setdefault(key, line)
        if first is line:
            continue
        LineCheck.objects.filter(resource=line).update(resource=first)
        copies = {**(line.copies or {}), **(first.copies or {})}
        first.copies = {
            language: {**(line.copies or {}).get(language, {}), **texts}
            for language, texts in copies.items()
        }
        first.is_published = first.is_published or line.is_published
        first.save(update_fields=["copies", "is_published"])
        line.delete()


def give_lines_to_the_first_questionnaire(apps, schema_editor):
    """Going back: every line belongs to the first questionnaire again (lines without any
    questionnaire to belong to cannot be kept)."""
    Questionnaire = apps.get_model("quiz", "Questionnaire")
    SupportResource = apps.get_model("quiz", "SupportResource")
    first = Questionnaire.objects.order_by("pk").first()
    if first is None:
        SupportResource.objects.all().delete()
    else:
        SupportResource.objects.update(questionnaire=first)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0019_support_line_questionnaire_optional"),
    ]

    operations = [
        migrations.RunPython(merge_lines, give_lines_to_the_first_questionnaire),
    ]
