"""Content in several languages: English is the source, every other language a copy.

Each translatable text keeps its English in the column it always had (`title`); its copies
in the other languages of `settings.LANGUAGES` live together in one JSON column of the row,
`copies`: {"es": {"title": "...", "body": "..."}, "fr": {...}}, holding only the texts an
editor has written (an empty copy is "missing", and readers get the English). Rows are
shared by every language: ids, slugs, positions and the questionnaire's scoring rules exist
once, so a Spanish reader is scored by the same rules.

Declare them in the model's class body, after the English fields:

    translated = TranslatedCopies("title", "body")

This adds the `copies` column and, per copy, an attribute named like a column would be
(`row.title_es`, `column("title", "es")`) reading and writing that JSON. A language added
to `settings.LANGUAGES` is its code, its catalog and editors' translations: no migration,
since the column is the same for every language. django-simple-history records and
reverts the JSON column like any other; admin forms get a form field per copy
(advice/admin_translation.py), made from the English field (`copy_field`).
"""

from __future__ import annotations

import inspect

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info, gettext
from django.utils.translation import gettext_lazy as _

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
    """The attribute holding field `name` in `language` (English: the field itself; another
    language: the copy's attribute, `title_es`, which reads and writes the row's `copies`)."""
    return name if language == SOURCE_LANGUAGE else f"{name}_{language}"


def copy_lookup(name: str, language: str) -> str:
    """The database lookup of field `name` in `language`, for filters: the field itself in
    English, else a key of the JSON column (`copies__es__title`)."""
    return name if language == SOURCE_LANGUAGE else f"{COPIES}__{language}__{name}"


def empty_in(name: str, language: str) -> Q:
    """Rows without text in field `name` in `language`. A copy never written has no key in
    the JSON (SQL NULL, on SQLite as on PostgreSQL); one written empty is not stored, but
    an empty string counts as missing too."""
    lookup = copy_lookup(name, language)
    if language == SOURCE_LANGUAGE:
        return Q(**{lookup: ""})
    return Q(**{f"{lookup}__isnull": True}) | Q(**{lookup: ""})


def active_language() -> str:
    """The reader's language, one of settings.LANGUAGES (English when unknown)."""
    code = (get_language() or SOURCE_LANGUAGE).split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else SOURCE_LANGUAGE


# -- Where the copies are kept -------------------------------------------------------------

COPIES = "copies"


def get_copy(row, name: str, language: str) -> str:
    """Field `name` of `row` in `language` (another than English); "" while untranslated."""
    return (getattr(row, COPIES, None) or {}).get(language, {}).get(name, "")


def set_copy(row, name: str, language: str, text) -> None:
    """Write field `name` of `row` in `language`; an empty text removes it. The JSON is
    replaced, not changed in place: a version's values are never shared with a row."""
    copies = dict(getattr(row, COPIES, None) or {})
    texts = dict(copies.get(language, {}))
    if text:
        texts[name] = text
    else:
        texts.pop(name, None)
    if texts:
        copies[language] = texts
    else:
        copies.pop(language, None)
    setattr(row, COPIES, copies)


class CopyAttribute(property):
    """`row.title_es`: the copy in the row's JSON, read and written like a field. A property,
    so that `Item(title_es=...)` and `Item.objects.create(title_es=...)` take it too."""

    def __init__(self, name: str, language: str, label):
        self.translation_of, self.translation_language = name, language
        self.short_description = label  # admin's label of the copy, where no form names it
        super().__init__(
            lambda row: get_copy(row, name, language),
            lambda row, text: set_copy(row, name, language, text),
        )


class CopiesField(models.JSONField):
    """The row's copies, {language: {field: text}}. Each text is checked as its English
    field checks its own (length, Markdown), and named by its label ("body (Spanish)")."""

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        names = getattr(self.model, "translated_fields", ())
        problems = []
        for language, texts in (value or {}).items():
            if not isinstance(texts, dict):
                problems.append(f"{language}: {texts!r}")
                continue
            for name, text in texts.items():
                if name not in names:
                    problems.append(f"{language}: {name}")
                    continue
                field = copy_field(self.model, name, language)
                try:
                    field.clean(text, model_instance)
                except ValidationError as error:
                    problems += [f"{field.verbose_name}: {message}" for message in error.messages]
        if problems:
            raise ValidationError(problems)


def copy_field(model, name: str, language: str) -> models.Field:
    """A model field like the English `name`'s, for its copy in `language`: what forms and
    checks make of the copy (widget, length, validators, label). Not a column."""
    english = model._meta.get_field(name)
    _name, _path, args, kwargs = english.deconstruct()
    # Only English is required: an empty copy is "missing", and readers get the English
    # instead. Help texts are for the English field.
    kwargs.update(blank=True, default="", help_text="")
    kwargs["verbose_name"] = copy_label(english.verbose_name, language)
    copy = english.__class__(*args, **kwargs)
    copy.set_attributes_from_name(column(name, language))
    copy.translation_of = name
    copy.translation_language = language
    return copy


_translated_models: list[type[models.Model]] = []


def install_copies(cls) -> None:
    """The attribute of each copy (`title_es`) for every language in settings.LANGUAGES
    now, and none for a language no longer there."""
    wanted = {
        column(name, language): (name, language)
        for name in cls.translated_fields
        for language in other_languages()
    }
    for attribute, value in list(vars(cls).items()):
        if isinstance(value, CopyAttribute) and attribute not in wanted:
            delattr(cls, attribute)
    english = {field.name: field for field in cls._meta.local_fields}
    for attribute, (name, language) in wanted.items():
        found = inspect.getattr_static(cls, attribute, None)
        if found is None:
            label = copy_label(english[name].verbose_name, language)
            setattr(cls, attribute, CopyAttribute(name, language, label))
        elif not isinstance(found, CopyAttribute):
            raise ImproperlyConfigured(
                f"{cls.__name__}.{attribute}: the name of {name}'s copy in {language} is taken"
            )
    cls._meta.__dict__.pop("_property_names", None)  # Model(**kwargs) takes properties


@receiver(class_prepared)
def _history_copies(sender, **kwargs):
    """A version's copies read as the row's do (`version.title_es`): django-simple-history
    makes each historical model with the `copies` column, but not its attributes."""
    names = getattr(getattr(sender, "instance_type", None), "translated_fields", ())
    if names and COPIES in {field.name for field in sender._meta.local_fields}:
        sender.translated_fields = names
        install_copies(sender)
        _translated_models.append(sender)


@receiver(setting_changed)
def _languages_changed(*, setting, **kwargs):
    if setting == "LANGUAGES":  # override_settings in a test: a third language
        for model in _translated_models:
            install_copies(model)


class TranslatedCopies:
    """The row's texts in every other language, in one JSON column (`copies`), each read
    and written as an attribute named `<field>_<language>`."""

    def __init__(self, *names: str):
        self.names = names

    def contribute_to_class(self, cls, name):
        fields = {f.name: f for f in cls._meta.local_fields}
        unknown = [field_name for field_name in self.names if field_name not in fields]
        if unknown:
            raise ImproperlyConfigured(f"{cls.__name__}: no fields {unknown} to translate")
        if COPIES not in fields:
            CopiesField(
                _("translations"), default=dict, blank=True, editable=False
            ).contribute_to_class(cls, COPIES)
        cls.translated_fields = (*getattr(cls, "translated_fields", ()), *self.names)
        install_copies(cls)
        if cls not in _translated_models:
            _translated_models.append(cls)


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
