"""The interface's translation catalogs, read with polib (one per language and domain)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

# What the code is written in: its catalog may leave every msgstr empty, since gettext
# then shows the msgid itself. Every other language translates every entry.
SOURCE_LANGUAGE = "en"

# What makemessages reads: the code and templates, not tests or tools (Makefile, `messages`).
SOURCES = ["advice", "quiz", "config", "templates", "manage.py"]


def catalogs() -> list[Path]:
    """Every .po file under LOCALE_PATHS."""
    return sorted(po for root in settings.LOCALE_PATHS for po in Path(root).rglob("*.po"))


def language_of(po_path: Path) -> str:
    return po_path.parent.parent.name  # locale/<language>/LC_MESSAGES/django.po


def key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def live_keys(catalog) -> set[tuple[str, str, str]]:
    return {key(entry) for entry in catalog if not entry.obsolete}


def untranslated(catalog) -> list[str]:
    """Entries with an empty translation, or with any plural form left empty."""
    return [
        entry.msgid
        for entry in catalog
        if not entry.obsolete
        and not (all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr)
    ]


def fuzzy(catalog) -> list[str]:
    found = [entry.msgid for entry in catalog if "fuzzy" in entry.flags and not entry.obsolete]
    return ["(the header)", *found] if catalog.metadata_is_fuzzy else found


def translations(catalog) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """What a catalog (.po or .mo) gives for each translated entry."""
    found = {}
    for entry in catalog:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        else:
            forms = (entry.msgstr,)
        if all(forms):
            found[key(entry)] = forms
    return found


def fresh_keys(language: str, workdir: Path) -> set[tuple[str, str, str]]:
    """The entries makemessages makes from the code as it is now, in a copy of the project,
    so the committed catalogs are never touched."""
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, workdir / name)
    (workdir / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        "makemessages failed (it needs GNU gettext: `make gettext` installs it)\n" + result.stderr
    )
    return live_keys(polib.pofile(workdir / "locale" / language / "LC_MESSAGES" / "django.po"))
