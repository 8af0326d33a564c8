"""Translating in admin: each language's fields, the English beside them, what is missing.

Every content admin (advice/admin_base.py's `ContentAdmin`) of a model with translated
fields (`TranslatedCopies`) gets, per language other than English:
- a fieldset of that language's fields, each showing the English text it translates
  under it, and marked "missing" while the English has text and the translation none;
- a list filter, "<language>: missing / complete", to find the rows still to translate.
Whether a language reaches readers, and whether a native speaker has reviewed it, is the
article's (and the questionnaire's) translation state, an inline on its page.

The copies are kept in one JSON column (advice/translation.py), not in fields of their own,
so their form fields are made here (`copies_form`), one per field and language, each like
its English field's (label "title (Spanish)", widget, length, validators): their initial
values come from the row's copies, and their cleaned values are written back to them. An
inline listing copies in its `fields` (an answer's text beside its question) takes them
from `TranslatedInline`.
"""

from functools import partial

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.forms.models import ALL_FIELDS
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext

from .translation import (
    column,
    copy_field,
    empty_in,
    get_copy,
    language_name,
    missing,
    other_languages,
)


def translated_fields(model) -> tuple[str, ...]:
    return getattr(model, "translated_fields", ())


def missing_in(model, language: str) -> Q:
    """Rows with English but no `language` text in at least one translated field."""
    query = Q(pk__in=[])
    for name in translated_fields(model):
        query |= ~Q(**{name: ""}) & empty_in(name, language)
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


def copy_formfields(model, formfield_for_dbfield=None) -> dict[str, forms.Field]:
    """A form field per copy of each translated field (`title_es`), in every language now in
    settings.LANGUAGES, made as admin makes its English field's (`formfield_for_dbfield`)."""
    make = formfield_for_dbfield or (lambda db_field: db_field.formfield())
    found = {}
    for name in translated_fields(model):
        for language in other_languages():
            db_field = copy_field(model, name, language)
            field = make(db_field)
            # A model field's own validators (Markdown's) ran on the model; here on the form.
            field.validators = [
                *field.validators,
                *(v for v in db_field.validators if v not in field.validators),
            ]
            found[db_field.name] = field
    return found


class CopiesForm(forms.BaseForm):
    """A model form with the copies' form fields: initial values from the row's copies,
    cleaned values written back to them. Only the copies the form's `fields` name (all of
    them for every field), so that a form showing none leaves the copies as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields, exclude = self._meta.fields, self._meta.exclude or ()
        self.copies = []
        for name in self.copy_names:
            if (fields not in (None, ALL_FIELDS) and name not in fields) or name in exclude:
                self.fields.pop(name, None)
            elif name in self.fields:
                self.copies.append(name)
                self.initial.setdefault(name, getattr(self.instance, name))

    def _post_clean(self):
        for name in self.copies:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


def copies_form(model, form, formfield_for_dbfield=None):
    """`form` (a ModelForm class) with a form field per copy of `model`'s translated fields."""
    fields = copy_formfields(model, formfield_for_dbfield)
    return type(form.__name__, (CopiesForm, form), {**fields, "copy_names": tuple(fields)})


class TranslatedInline:
    """An inline showing, beside each translated field in its `fields`, that field's copy
    in every language of the site now (an answer's "text (Spanish)" beside its text)."""

    def get_fields(self, request, obj=None):
        names = translated_fields(self.model)
        found = []
        for field in super().get_fields(request, obj):
            found.append(field)
            if field in names:
                found += [column(field, language) for language in other_languages()]
        return found

    def get_formset(self, request, obj=None, **kwargs):
        if translated_fields(self.model):
            formfield = partial(self.formfield_for_dbfield, request=request)
            kwargs["form"] = copies_form(self.model, kwargs.get("form", self.form), formfield)
        return super().get_formset(request, obj, **kwargs)


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
        if not translated_fields(self.model):
            return super().get_form(request, obj, **kwargs)
        formfield = partial(self.formfield_for_dbfield, request=request)
        kwargs["form"] = copies_form(self.model, kwargs.get("form", self.form), formfield)
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (BesideEnglish, form), {})

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if translated_fields(self.model):
            filters += [missing_filter(language) for language in other_languages()]
        return filters

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history page's changes of each version (django-simple-history's), with each
        copy changed named as its own field ("Title (Spanish)"), not as the JSON column."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        names = translated_fields(self.model)
        records = list(historical_records)
        for newer, older in zip(records, records[1:], strict=False):
            helper = self.get_historical_record_context_helper(request, newer)
            changes = []
            for language in other_languages():
                for name in names:
                    old, new = get_copy(older, name, language), get_copy(newer, name, language)
                    if old == new:
                        continue
                    old, new = helper.stringify_delta_change_values(None, old, new)
                    label = capfirst(copy_field(self.model, name, language).verbose_name)
                    changes.append({"field": label, "old": old, "new": new})
            if changes:
                newer.history_delta_changes = [
                    *getattr(newer, "history_delta_changes", []),
                    *changes,
                ]
