"""Steps for translation tests: publishing a language, reading a page in one."""

from django.urls import translate_url

from advice.models import ArticleTranslation
from advice.releases import publish
from quiz.models import QuestionnaireTranslation

from .html import soup


def publish_spanish(*, questionnaire: bool = True) -> None:
    """An editor marks the seed's Spanish published (the article's, and the
    questionnaire's), then publishes a new version."""
    ArticleTranslation.objects.filter(language="es").update(is_published=True)
    if questionnaire:
        QuestionnaireTranslation.objects.filter(language="es").update(is_published=True)
    publish(note="Spanish")


def set_copies(rows, **texts: str) -> None:
    """`rows.update(title_es="...")` for copies, which share one JSON column: each row's
    copies written as an update writes (no save, no history)."""
    for row in rows:
        for attribute, text in texts.items():
            setattr(row, attribute, text)
        rows.model._base_manager.filter(pk=row.pk).update(copies=row.copies)


def read_in(language: str, client, address: str):
    """The page at `address` as a reader in `language` gets it (at that language's address:
    the address alone decides, config/languages.py), parsed."""
    there = translate_url(address, language)
    response = client.get(there)
    assert response.status_code == 200, (there, response.status_code)
    return soup(response)


def language_of(element) -> str | None:
    """The language an element is marked with, itself or by its nearest marked parent."""
    while element is not None:
        if element.get("lang"):
            return element["lang"]
        element = element.parent
    return None
