"""The languages a support line answers in, each named in itself."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def language_names(codes: str) -> SafeString:
    """`{{ "en es"|language_names }}`: "English, español", each name in its own language
    and marked so (`<span lang="es">`): a reader looks for her own language's name, on a
    page in any language. A code Django does not know is shown as written, not dropped:
    the line still answers in it."""

    def name(code: str) -> str:
        try:
            return get_language_info(code)["name_local"]
        except KeyError:
            return code

    return format_html_join(
        ", ", '<span lang="{}">{}</span>', ((c, name(c)) for c in codes.split())
    )
