"""Search in each language readers read (advice/search/): the rows say whose search finds
them (`language`) and what language their texts are in (`text_language`).

SQLite: FTS5 picks its tokenizer per table, and `porter` stems English only. So English
readers' texts stay in the porter table; other languages' texts go to a table without a
stemmer (diacritics removed: "relacion" finds "relación"), whose word forms are found by
stemming the query instead (advice/search/sqlite.py); and the English that other
languages' readers read (articles not translated yet) to a second porter table, so an
English search reads exactly the rows it read before. Adding the columns rebuilds the
tables on SQLite, which drops their triggers: they are written again.

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
PORTER = "tokenize='porter unicode61 remove_diacritics 2'"
PLAIN = "tokenize='unicode61 remove_diacritics 2'"
# Which rows each table holds: a condition on the row, for `new.` and `old.`.
ENGLISH_READERS = "{row}.language = 'en'"
ENGLISH_FOR_OTHERS = "{row}.language != 'en' AND {row}.text_language = 'en'"
OTHER_LANGUAGES = "{row}.text_language != 'en'"
NEW_TABLES = ("advice_searchentry_fallback_fts", "advice_searchentry_plain_fts")


def fts_table(table: str, tokenizer: str) -> str:
    return (
        f"CREATE VIRTUAL TABLE {table} USING fts5(title, body,"
        f" content='advice_searchentry', content_rowid='id', {tokenizer})"
    )


def triggers(table: str, when: str | None) -> list[str]:
    """An FTS5 external content table kept in step with the rows of advice_searchentry
    that `when` holds (all of them: None)."""
    on_insert = f" WHEN {when.format(row='new')}" if when else ""
    on_delete = f" WHEN {when.format(row='old')}" if when else ""
    return [
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON advice_searchentry{on_insert}"
        f" BEGIN INSERT INTO {table}(rowid, title, body)"
        " VALUES (new.id, new.title, new.body); END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON advice_searchentry{on_delete}"
        f" BEGIN INSERT INTO {table}({table}, rowid, title, body)"
        " VALUES ('delete', old.id, old.title, old.body); END",
    ]


def drop_triggers(schema_editor):
    names = [*ENTRY_TRIGGERS, "advice_searchword_fts_insert", "advice_searchword_fts_delete"]
    names += [f"{table}_{event}" for table in NEW_TABLES for event in ("insert", "delete")]
    for name in names:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_forward(schema_editor):
    drop_triggers(schema_editor)
    statements = [
        *WORD_TRIGGERS,
        *triggers("advice_searchentry_fts", ENGLISH_READERS),
        fts_table("advice_searchentry_fallback_fts", PORTER),
        *triggers("advice_searchentry_fallback_fts", ENGLISH_FOR_OTHERS),
        fts_table("advice_searchentry_plain_fts", PLAIN),
        *triggers("advice_searchentry_plain_fts", OTHER_LANGUAGES),
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
        # Other languages' rows go (each table forgets them through its trigger), then
        # the new tables and every trigger: they name the columns about to go. The first
        # operation writes 0007's again once the columns are gone.
        schema_editor.execute("DELETE FROM advice_searchentry WHERE language != 'en'")
        schema_editor.execute("DELETE FROM advice_searchword WHERE language != 'en'")
        drop_triggers(schema_editor)
        for table in NEW_TABLES:
            schema_editor.execute(f"DROP TABLE {table}")
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
        ("advice", "0013_roles_for_translations_and_emergency_numbers"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_english_triggers),
        migrations.AddField(
            model_name="searchentry",
            name="language",
            field=models.CharField(default="en", max_length=10, verbose_name="readers' language"),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="text_language",
            field=models.CharField(
                default="en", max_length=10, verbose_name="language of the text"
            ),
        ),
        migrations.AddField(
            model_name="searchword",
            name="language",
            field=models.CharField(default="en", max_length=10, verbose_name="readers' language"),
        ),
        migrations.RunPython(forward, backward),
    ]
