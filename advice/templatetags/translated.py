"""Marking text in another language than the page's.

A page in Spanish may show an English text that is not translated yet; it is marked
lang="en", so screen readers pronounce it as English and browsers hyphenate it right:

    <h2{{ section.title|lang_attr }}>{{ section.title }}</h2>
"""

from django import template
from django.utils.html import format_html

from advice.translation import active_language

register = template.Library()


@register.filter
def lang_attr(text) -> str:
    """` lang="en"` when `text` (a published text) is in another language than the page."""
    lang = getattr(text, "lang", None)
    if lang is None or lang == active_language():
        return ""
    return format_html(' lang="{}"', lang)
