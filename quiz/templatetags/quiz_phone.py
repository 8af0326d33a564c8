"""A phone number as a link to call it, for sentences translated whole."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def call_link(number: str) -> SafeString:
    """`{{ number|call_link }}`: the number as written, dialled without its spaces. Safe
    HTML, so `{% blocktranslate with number=...|call_link %}` keeps it a link while a
    translator moves it within the sentence."""
    return format_html('<a href="tel:{}">{}</a>', number.replace(" ", ""), number)
