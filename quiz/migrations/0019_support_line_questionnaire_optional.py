# Support lines become site-wide in three steps, each in a transaction of its own:
# PostgreSQL refuses to alter a table in the transaction that changed its rows' foreign
# keys ("pending trigger events"), either way. 0019 lets a line have no questionnaire,
# 0020 merges every questionnaire's lines into one list, 0021 drops the column.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0018_support_line_hours_and_languages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="supportresource",
            name="questionnaire",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="support_resources",
                to="quiz.questionnaire",
                verbose_name="questionnaire",
            ),
        ),
    ]
