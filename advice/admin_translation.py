"""Translating in admin: each language's fields, the English beside them, what is missing.

Every content admin (advice/admin_base.py's `ContentAdmin`) of a model with translated
fields (`TranslatedCopies`) gets, per language other than English:
- a fieldset of that language's fields, each showing the English text it translates
  under it, and marked "missing" while the English has text and the translation none;
- a list filter, "<language>: missing / complete", to find the rows still to translate.
Whether a language reaches readers, and whether a native speaker has reviewed it, is the
article's (and the questionnaire's) translation state, an inline on its page.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext

from .translation import column, language_name, missing, other_languages


def translated_fields(model) -> tuple[str, ...]:
    return getattr(model, "translated_fields", ())


def missing_in(model, language: str) -> Q:
    """Rows with English but no `language` text in at least one translated field."""
    query = Q(pk__in=[])
    for name in translated_fields(model):
        query |= ~Q(**{name: ""}) & Q(**{column(name, language): ""})
    return query


def missing_filter(language: str):
    class MissingTranslation(admin.SimpleListFilter):
        title = gettext("%(language)s translation") % {"language": gettext(language_name(language))}
        parameter_name = f"missing_{language}"

        def lookups(self, request, model_admin):
            return [("missing", gettext("missing")), ("complete", gettext("complete"))]

        def queryset(self, request, queryset):
            query = missing_in(queryset.model, language)
            if self.value() == "missing":
                return queryset.filter(query)
            if self.value() == "complete":
                return queryset.exclude(query)
            return queryset

    return MissingTranslation


class BesideEnglish(forms.BaseForm):
    """Under each translated field, the English it translates; "missing" in its label
    while the English has text and the translation none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name in translated_fields(model):
            english = getattr(self.instance, name, "")
            for language in other_languages():
                field = self.fields.get(column(name, language))
                if field is None or not english:
                    continue
                field.help_text = format_html(
                    '<span class="translation-source" lang="en">{}</span>',
                    gettext("English: %(text)s") % {"text": english},
                )
                if name in missing(self.instance, language):
                    field.label = gettext("%(label)s (missing)") % {"label": field.label}


class TranslatedAdmin(admin.ModelAdmin):
    """Each language's fields in a fieldset of their own, the English beside each, and a
    "missing" filter per language (for models with translated fields; others unchanged)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = translated_fields(self.model)
        if not names:
            return fieldsets
        # Without `fieldsets`, Django lists every field in one: the copies go to their own.
        copies = {column(name, language) for name in names for language in other_languages()}
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in copies]})
            for title, options in fieldsets
        ]
        return fieldsets + [
            (
                gettext("%(language)s translation")
                % {"language": gettext(language_name(language))},
                {"fields": [column(name, language) for name in names]},
            )
            for language in other_languages()
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not translated_fields(self.model):
            return form
        return type(form.__name__, (BesideEnglish, form), {})

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if translated_fields(self.model):
            filters += [missing_filter(language) for language in other_languages()]
        return filters
