"""Which language a page is in, and where the same page is in another language.

The address alone decides: English at today's addresses, every other language of
settings.LANGUAGES under /<code>/. A reader who may share a device, or whose browser is
set up by someone else, gets exactly the page the link names: no Accept-Language guess,
no language cookie, no redirect.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, translate_url
from django.utils import translation


def site_languages() -> list[str]:
    """Every language code readers can choose, the default first."""
    return [code for code, _name in settings.LANGUAGES]


class LanguageFromAddressMiddleware:
    """Activates the language the address names (its /<code>/ prefix, else the default).

    Django's LocaleMiddleware falls back on the language cookie and Accept-Language, and
    marks every unprefixed page `Vary: Accept-Language`, which would split shared caches
    on a header this site never reads. Here the path is the whole story, so the URL alone
    keys every cache, and `Content-Language` says which language a response is in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_path(request.path_info)
        language = language or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: afterwards the thread's language is what it was, so work
        # done outside a request (a command, the next test) never inherits a reader's.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def home_in(language: str) -> str:
    with translation.override(language):
        return reverse("advice:home")


def address_in(request: HttpRequest | None, language: str, *, query: bool = True) -> str:
    """The page `request` asked for, in `language`; that language's front page when the
    page has no address in it (an address that matched nothing, no request)."""
    if request is None:
        return home_in(language)
    here = request.get_full_path() if query else request.path
    there = translate_url(here, language)
    if there == here and language != translation.get_language():
        return home_in(language)
    return there
