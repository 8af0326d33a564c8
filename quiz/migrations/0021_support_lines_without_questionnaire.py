# Support lines are site-wide: no questionnaire of their own (merged in 0020).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0020_support_lines_site_wide"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalsupportresource",
            name="questionnaire",
        ),
        migrations.RemoveField(
            model_name="supportresource",
            name="questionnaire",
        ),
    ]
