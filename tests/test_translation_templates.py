"""Every word a template shows goes through the translation catalog (issue 12).

The scanner (tests/template_text.py) is tried on small templates first, so a scanner that
found nothing could not pass the real check by accident.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.template_text import untranslated_text

TEMPLATES = Path(settings.BASE_DIR, "templates")


@pytest.mark.parametrize(
    "source",
    [
        "<p>Exit this page</p>",
        "{% load i18n %}<h1>{% translate 'Results' %}</h1><p>Read more</p>",
        '<button aria-label="Close the menu">×</button>',
        '<input type="submit" value="Publish">',
        '<img src="{{ src }}" alt="A calm sea">',
        "{% block title %}Search · {{ SITE_NAME }}{% endblock %}",
        "{% if vote %}helped{% else %}{% translate 'didn’t help' %}{% endif %}",
        '<meta name="description" content="Advice for you">',
        '{% include "banner.html" with label="Preview of unpublished changes." %}',
        '{% include "chart.html" with heading="Question" only %}',
    ],
)
def test_the_scanner_finds_words_outside_translation_tags(source):
    assert untranslated_text(source)


@pytest.mark.parametrize(
    "source",
    [
        "{% load i18n %}<p>{% translate 'Exit this page' %}</p>",
        "{% blocktranslate count n=total %}{{ n }} result"
        "{% plural %}{{ n }} results{% endblocktranslate %}",
        '<p class="result" id="top">{{ page.title }} · {{ SITE_NAME }} &rsaquo; 42%</p>',
        '<a href="https://example.org/help">{{ name }}</a>',
        "<script>document.title = 'code';</script><style>p { color: red }</style>",
        "<p><code>manage.py summarise_sessions</code></p>",
        "{% comment %}Why this is here{% endcomment %}{# a note #}",
        "{% block body_class %}quiz{% endblock %}",
        '{% include "banner.html" with label=_("Preview of unpublished changes.") %}',
        '{% include "includes/_search_form.html" with field_id="search-page-q" %}',
    ],
)
def test_the_scanner_lets_through_markup_variables_and_code(source):
    assert untranslated_text(source) == []


def test_no_template_shows_words_outside_translation_tags():
    found = {
        str(path.relative_to(TEMPLATES)): words
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (words := untranslated_text(path.read_text()))
    }
    assert found == {}
