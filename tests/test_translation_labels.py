"""Every model and field label editors meet in admin is a translation (issue 12, req. 1).

Admin shows each model's name and each field's label and help text: a plain string there
would stay English in Spanish admin. A lazy translation is looked up when the page is
drawn, in the language of its address. (django-simple-history's generated copies and
Django's automatic id columns are theirs, not ours.)
"""

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from advice.translation import copy_field

PROJECT_APPS = ("advice", "quiz")


def our_models():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            yield model


def untranslated_labels() -> list[str]:
    found = []
    for model in our_models():
        name = model.__name__
        options = model._meta.original_attrs
        for option in ("verbose_name", "verbose_name_plural"):
            if not isinstance(options.get(option), Promise):
                found.append(f"{name}.Meta.{option}")
        for field in model._meta.get_fields():
            if not field.concrete or field.auto_created:
                continue
            if not isinstance(field.verbose_name, Promise):
                found.append(f"{name}.{field.name}: verbose_name {field.verbose_name!r}")
            if field.help_text and not isinstance(field.help_text, Promise):
                found.append(f"{name}.{field.name}: help_text {field.help_text!r}")
    return found


def test_every_model_and_field_label_is_a_lazy_translation():
    assert list(our_models()), "the project's models are found"
    assert untranslated_labels() == []


@pytest.mark.parametrize(
    ("app", "model", "english", "spanish"),
    [
        ("advice", "Article", "articles", "artículos"),
        ("quiz", "SupportResource", "support resources", "recursos de apoyo"),
        ("quiz", "EmergencyNumber", "emergency numbers", "números de emergencias"),
    ],
)
def test_model_names_are_in_the_language_of_the_page(app, model, english, spanish):
    options = apps.get_model(app, model)._meta
    assert str(options.verbose_name_plural) == english
    with translation.override("es"):
        assert str(options.verbose_name_plural) == spanish


def test_a_translated_copy_is_labelled_in_the_language_of_the_page():
    field = copy_field(apps.get_model("advice", "Item"), "title", "es")
    assert str(field.verbose_name) == "title (Spanish)"
    with translation.override("es"):
        assert str(field.verbose_name) == "título (Español)"
