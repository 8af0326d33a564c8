"""Marking text in another language than the page's.

A page in Spanish may show an English text that is not translated yet; it is marked
lang="en", so screen readers pronounce it as English and browsers hyphenate it right:

    <h2{{ section.title|lang_attr }}>{{ section.title }}</h2>
"""

from django import template
from django.utils.html import conditional_escape, format_html

from advice.translation import active_language

register = template.Library()


@register.filter
def lang_attr(text) -> str:
    """` lang="en"` when `text` (a published text) is in another language than the page."""
    lang = getattr(text, "lang", None)
    if lang is None or lang == active_language():
        return ""
    return format_html(' lang="{}"', lang)


@register.filter
def in_its_language(text) -> str:
    """`text` escaped, inside <span lang="en"> when it is in another language than the
    page: for a text inside a translated sentence ("En «{{ title }}»")."""
    lang = lang_attr(text)
    return format_html("<span{}>{}</span>", lang, text) if lang else conditional_escape(text)
