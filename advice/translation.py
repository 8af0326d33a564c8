"""Content in several languages: English is the source, every other language a copy.

Each translatable text keeps its English in the column it always had (`title`), and gets
one more column per other language in `settings.LANGUAGES` (`title_es`), empty until an
editor translates it. Rows are shared by every language: ids, slugs, positions and the
questionnaire's scoring rules exist once, so a Spanish reader is scored by the same rules.

Declare them in the model's class body, after the English fields:

    translated = TranslatedCopies("title", "body")

They are plain columns, made while the class is built, so django-simple-history records
and reverts them like any other field, and `makemigrations` adds them for a new language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info, gettext

SOURCE_LANGUAGE = "en"


def other_languages() -> list[str]:
    """Every language readers may read besides English, in settings order."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def language_choices() -> list[tuple[str, str]]:
    """For a translation state's language field. A callable, so the migration names the
    function, not today's list: a new language adds no migration of its own here."""
    return [(code, language_name(code)) for code in other_languages()]


def language_name(code: str) -> str:
    """The language's English name, for editors ("Spanish"); LANGUAGES names each in its
    own language, for readers ("Español")."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return dict(settings.LANGUAGES).get(code, code)


def column(name: str, language: str) -> str:
    """The attribute holding field `name` in `language` (English: the field itself)."""
    return name if language == SOURCE_LANGUAGE else f"{name}_{language}"


def active_language() -> str:
    """The reader's language, one of settings.LANGUAGES (English when unknown)."""
    code = (get_language() or SOURCE_LANGUAGE).split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else SOURCE_LANGUAGE


class TranslatedCopies:
    """One blank copy of each named field per other language, named `<field>_<language>`."""

    def __init__(self, *names: str):
        self.names = names

    def contribute_to_class(self, cls, name):
        for field_name in self.names:
            english = next(f for f in cls._meta.local_fields if f.name == field_name)
            for language in other_languages():
                _name, _path, args, kwargs = english.deconstruct()
                # Only English is required: an empty copy is "missing", and readers get
                # the English instead. Help texts are for the English field.
                kwargs.update(blank=True, default="", help_text="")
                kwargs["verbose_name"] = copy_label(english.verbose_name, language)
                copy = english.__class__(*args, **kwargs)
                copy.translation_of = field_name
                copy.translation_language = language
                copy.contribute_to_class(cls, column(field_name, language))
        cls.translated_fields = (*getattr(cls, "translated_fields", ()), *self.names)


def _copy_label(english_label, language: str) -> str:
    return gettext("%(field)s (%(language)s)") % {
        "field": english_label,
        "language": gettext(language_name(language)),
    }


# The label of a field's copy in another language ("title (Spanish)", "título (español)"),
# translated when admin shows it: a lazy string, like every other label.
copy_label = lazy(_copy_label, str)


def translations_of(row, names) -> dict[str, dict[str, str]]:
    """A row's translated texts as a release holds them: {language: {field: text}}, only
    the texts an editor has written (an empty one falls back to English)."""
    found = {}
    for language in other_languages():
        texts = {name: value for name in names if (value := getattr(row, column(name, language)))}
        if texts:
            found[language] = texts
    return found


def missing(row, language: str) -> list[str]:
    """The row's fields with English but no text in `language`."""
    return [
        name
        for name in row.translated_fields
        if getattr(row, name) and not getattr(row, column(name, language))
    ]


# -- Texts that know their language --------------------------------------------------------
#
# A page in Spanish may show English where a text is not translated yet. Each text a
# release gives a page carries its language, so the template can mark English inside a
# Spanish page with lang="en" (the `lang_attr` filter), for screen readers and browsers.


class Text(str):
    """A published text and the language it is written in."""

    def __new__(cls, value="", lang=SOURCE_LANGUAGE):
        text = super().__new__(cls, value)
        text.lang = lang
        return text


class Html(SafeString):
    """Published, sanitised HTML and the language it is written in."""

    def __new__(cls, value="", lang=SOURCE_LANGUAGE):
        html = super().__new__(cls, value)
        html.lang = lang
        return html
