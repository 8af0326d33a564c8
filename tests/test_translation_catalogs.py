"""The catalogs are complete, current and compiled (issue 12).

A language is a catalog: every entry translated, none marked fuzzy (a guess gettext would
not show), the same entries the code asks for, and the compiled .mo saying what the .po
says. English is the language the code is written in: its catalog may leave entries empty.
"""

import polib
import pytest

from tests.translation_catalogs import (
    SOURCE_LANGUAGE,
    catalogs,
    fresh_keys,
    fuzzy,
    language_of,
    live_keys,
    translations,
    untranslated,
)

CATALOGS = catalogs()
IDS = [language_of(path) for path in CATALOGS]

PLANTED = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Next"
msgstr "Siguiente"

msgid "Back"
msgstr ""

#, fuzzy
msgid "Start again"
msgstr "Empezar"

msgid "%(n)s result"
msgid_plural "%(n)s results"
msgstr[0] "%(n)s resultado"
msgstr[1] ""
"""


def test_there_is_an_english_and_a_spanish_catalog():
    assert {"en", "es"} <= set(IDS)


def test_the_checks_see_untranslated_and_fuzzy_entries():
    planted = polib.pofile(PLANTED)
    assert untranslated(planted) == ["Back", "%(n)s result"]
    assert fuzzy(planted) == ["Start again"]


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_no_entry_is_fuzzy(path):
    assert fuzzy(polib.pofile(path)) == []


@pytest.mark.parametrize(
    "path", [p for p in CATALOGS if language_of(p) != SOURCE_LANGUAGE], ids=lambda p: str(p)
)
def test_every_entry_is_translated(path):
    assert untranslated(polib.pofile(path)) == []


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_the_compiled_catalog_says_what_the_po_file_says(path):
    """The .mo files are committed, so the site runs from a checkout without gettext;
    `make messages` compiles them again after any change to a .po file."""
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    assert translations(polib.mofile(mo)) == translations(polib.pofile(path))


@pytest.mark.parametrize("path", CATALOGS, ids=IDS)
def test_the_catalog_holds_what_the_code_asks_for(path, tmp_path):
    """Run makemessages on a copy of the code: no string is missing from the catalog, and
    the catalog keeps none the code no longer has (`make messages` brings it up to date)."""
    committed = live_keys(polib.pofile(path))
    fresh = fresh_keys(language_of(path), tmp_path)
    assert {"new in the code": fresh - committed, "gone from the code": committed - fresh} == {
        "new in the code": set(),
        "gone from the code": set(),
    }
