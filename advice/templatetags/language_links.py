"""The page in other languages: the reader's switcher, and search engines' alternates.

Both come from the address being read (config/languages.py), so they work on every page,
error pages included, with plain links: no cookie, no script.
"""

from django import template
from django.conf import settings
from django.utils import translation

from config.languages import address_in, home_in

from ..navigation import absolute_url

register = template.Library()


@register.inclusion_tag("includes/_languages.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to this page in each other language (its front page where this page is not
    in that language: `page_languages`, set by views that know, e.g. for an article)."""
    request = context.get("request")
    current = translation.get_language()
    exists_in = context.get("page_languages")
    links = [
        {
            "code": code,
            "name": name,
            "url": address_in(request, code)
            if exists_in is None or code in exists_in
            else home_in(code),
        }
        for code, name in settings.LANGUAGES
        if code != current
    ]
    return {"links": links}


@register.inclusion_tag("includes/_alternates.html", takes_context=True)
def language_alternates(context) -> dict:
    """A public page's canonical address in this language, and its `hreflang` alternates:
    one per language it exists in, and `x-default` (the default language's). Only pages
    whose view names `page_languages`; private pages (steps, results) have none."""
    request = context.get("request")
    languages = context.get("page_languages")
    if not languages or request is None:
        return {}
    urls = {
        code: absolute_url(request, address_in(request, code, query=False)) for code in languages
    }
    return {
        "canonical": absolute_url(request, request.path),
        "alternates": urls.items(),
        "x_default": urls.get(settings.LANGUAGE_CODE),
    }
