# Each text's copies move from a column per language (`title_es`) into one JSON column,
# `copies` ({"es": {"title": ...}}), in the rows and in their history (so an old version
# keeps its Spanish, and reverting to it brings the Spanish back): a language added later
# needs no migration (advice/translation.py).

import advice.translation
from django.db import migrations

APP = "quiz"
# The translated fields of each model, as its `TranslatedCopies` names them.
TRANSLATED = {
    "questionnaire": ("title", "intro", "cannot_know", "safety_title", "safety_text"),
    "question": ("text", "help_text"),
    "choice": ("text",),
    "verdict": ("title", "body"),
    "supportresource": ("name", "description"),
}
LANGUAGE = "es"  # the only language that had columns
MODELS = [*TRANSLATED, *(f"historical{model}" for model in TRANSLATED)]
BATCH = 500


def names_of(model_name: str) -> tuple[str, ...]:
    return TRANSLATED[model_name.removeprefix("historical")]


def columns_to_json(apps, schema_editor):
    for model_name in MODELS:
        model, names = apps.get_model(APP, model_name), names_of(model_name)
        rows = []
        for row in model._default_manager.exclude(
            **{f"{name}_{LANGUAGE}": "" for name in names}
        ).iterator(chunk_size=BATCH):
            texts = {name: text for name in names if (text := getattr(row, f"{name}_{LANGUAGE}"))}
            row.copies = {LANGUAGE: texts}  # one text at least: the others are excluded
            rows.append(row)
        model._default_manager.bulk_update(rows, ["copies"], batch_size=BATCH)


def json_to_columns(apps, schema_editor):
    for model_name in MODELS:
        model, names = apps.get_model(APP, model_name), names_of(model_name)
        rows = []
        for row in model._default_manager.exclude(copies={}).iterator(chunk_size=BATCH):
            texts = (row.copies or {}).get(LANGUAGE, {})
            for name in names:
                setattr(row, f"{name}_{LANGUAGE}", texts.get(name, ""))
            rows.append(row)
        columns = [f"{name}_{LANGUAGE}" for name in names]
        model._default_manager.bulk_update(rows, columns, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0016_linecheck_detail_message"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name="copies",
                field=advice.translation.CopiesField(
                    blank=True, default=dict, editable=False, verbose_name="translations"
                ),
            )
            for model_name in MODELS
        ),
        migrations.RunPython(columns_to_json, json_to_columns),
        *(
            migrations.RemoveField(model_name=model_name, name=f"{name}_{LANGUAGE}")
            for model_name in MODELS
            for name in names_of(model_name)
        ),
    ]
