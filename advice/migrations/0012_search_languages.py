"""Search in each language readers read (advice/search/): the rows say whose search finds
them (`language`) and what language their texts are in (`text_language`).

SQLite: FTS5 picks its tokenizer per table, and `porter` stems English only. So English
texts stay in the porter table, and every other language's texts go to a second table
without a stemmer (diacritics removed: "relacion" finds "relación"); their word forms are
found by stemming the query instead (advice/search/sqlite.py). Adding the columns rebuilds
the tables on SQLite, which drops their triggers: they are written again.

PostgreSQL: Spanish texts are read with `advice_spanish`, the `spanish` configuration with
accents removed by the `unaccent` extension ("ninos" finds "niños"; Spanish's stemmer
already drops the acute accents). Where the extension cannot be created (it is trusted,
so a database owner can, but an older server or a locked-down role may refuse), the
configuration is a plain copy of `spanish`, and search works the same but for ñ and ü.
"""

from django.db import DatabaseError, migrations, models, transaction

ENTRY_TRIGGERS = ("advice_searchentry_fts_insert", "advice_searchentry_fts_delete")
# 0007's, for the trigram table of words: unchanged, written again after the rebuild.
WORD_TRIGGERS = [
    "CREATE TRIGGER advice_searchword_fts_insert AFTER INSERT ON advice_searchword"
    " BEGIN INSERT INTO advice_searchword_fts(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER advice_searchword_fts_delete AFTER DELETE ON advice_searchword"
    " BEGIN INSERT INTO advice_searchword_fts(advice_searchword_fts, rowid, word)"
    " VALUES ('delete', old.id, old.word); END",
]
ENGLISH = "new.text_language = 'en'", "old.text_language = 'en'"
OTHERS = "new.text_language != 'en'", "old.text_language != 'en'"


def triggers(table: str, when: tuple[str, str] | None) -> list[str]:
    """An FTS5 external content table kept in step with advice_searchentry."""
    on_insert, on_delete = (f" WHEN {w}" for w in when) if when else ("", "")
    return [
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON advice_searchentry{on_insert}"
        f" BEGIN INSERT INTO {table}(rowid, title, body)"
        " VALUES (new.id, new.title, new.body); END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON advice_searchentry{on_delete}"
        f" BEGIN INSERT INTO {table}({table}, rowid, title, body)"
        " VALUES ('delete', old.id, old.title, old.body); END",
    ]


def drop_triggers(schema_editor):
    for name in (*ENTRY_TRIGGERS, "advice_searchword_fts_insert", "advice_searchword_fts_delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_forward(schema_editor):
    drop_triggers(schema_editor)
    statements = [
        *WORD_TRIGGERS,
        *triggers("advice_searchentry_fts", ENGLISH),
        "CREATE VIRTUAL TABLE advice_searchentry_plain_fts USING fts5(title, body,"
        " content='advice_searchentry', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')",
        *triggers("advice_searchentry_plain_fts", OTHERS),
    ]
    for statement in statements:
        schema_editor.execute(statement)


def postgres_forward(schema_editor):
    mapping = "spanish_stem"
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        mapping = "unaccent, spanish_stem"
    except DatabaseError:
        pass  # a plain copy of `spanish`: see the module's docstring
    schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION advice_spanish (COPY = spanish)")
    schema_editor.execute(
        "ALTER TEXT SEARCH CONFIGURATION advice_spanish"
        f" ALTER MAPPING FOR hword, hword_part, word WITH {mapping}"
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sqlite_forward(schema_editor)
    elif vendor == "postgresql":
        postgres_forward(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("advice_searchentry_plain_fts_insert", "advice_searchentry_plain_fts_delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        # Other languages' rows go (the porter table forgets them through its trigger),
        # then every trigger: they name the columns about to go. The first operation
        # writes 0007's again once the columns are gone.
        schema_editor.execute("DELETE FROM advice_searchentry WHERE language != 'en'")
        schema_editor.execute("DELETE FROM advice_searchword WHERE language != 'en'")
        schema_editor.execute("DROP TABLE advice_searchentry_plain_fts")
        drop_triggers(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("DELETE FROM advice_searchentry WHERE language != 'en'")
        schema_editor.execute("DELETE FROM advice_searchword WHERE language != 'en'")
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION advice_spanish")


def restore_english_triggers(apps, schema_editor):
    """Undoing this migration rebuilds the table again (dropping triggers): 0007's
    triggers, written once the columns are gone."""
    if schema_editor.connection.vendor == "sqlite":
        drop_triggers(schema_editor)
        for statement in [*triggers("advice_searchentry_fts", None), *WORD_TRIGGERS]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0011_translations"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_english_triggers),
        migrations.AddField(
            model_name="searchentry",
            name="language",
            field=models.CharField(default="en", max_length=10),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="text_language",
            field=models.CharField(default="en", max_length=10),
        ),
        migrations.AddField(
            model_name="searchword",
            name="language",
            field=models.CharField(default="en", max_length=10),
        ),
        migrations.RunPython(forward, backward),
    ]
