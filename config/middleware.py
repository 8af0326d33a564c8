"""Site-wide HTTP rules that no single view should have to remember."""

import codecs
import contextlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .context_processors import site

# Methods this site answers. Anything else (TRACE, PUT, DELETE, OPTIONS, made-up ones)
# gets a 405 before it reaches a view.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


class SecurityHeadersMiddleware:
    """Headers Django has no setting for, on every response; unknown methods refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = HttpResponse(
                "This address answers only GET, HEAD and POST.\n",
                status=405,
                content_type="text/plain; charset=utf-8",
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        else:
            response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response


def declared_charset(request: HttpRequest) -> str | None:
    """The charset as Django itself reads it from Content-Type (RFC 2231 `charset*=` too)."""
    return (request.content_params or {}).get("charset")


# Form data as Django meets it: decoded strictly (it falls back on ISO-8859-1 after a
# UnicodeDecodeError only), and percent-escapes decoded with errors="replace".
SAMPLE_BODY = b"name=value&other=%41+b"


def is_text_encoding(charset: str) -> bool:
    """Whether Django can decode form data in `charset` without an unexpected exception.

    Non-text codecs (rot13, base64) fail, and so do a few text codecs: idna refuses
    errors="replace", punycode and "undefined" raise UnicodeError on plain ASCII.
    """
    try:
        if not codecs.lookup(charset)._is_text_encoding:
            return False
        b"\xff%".decode(charset, errors="replace")
        with contextlib.suppress(UnicodeDecodeError):  # Django catches this one
            SAMPLE_BODY.decode(charset)
        return True
    except (LookupError, TypeError, ValueError):
        return False


FORM = "application/x-www-form-urlencoded"


def bad_request() -> HttpResponse:
    # Rendered before the request can be trusted, so without context processors: the
    # settings' values are passed in, or the page would have no name and an exit button
    # leading nowhere.
    return HttpResponse(render_to_string("400.html", site(None)), status=400)


class RejectUndecodableBodiesMiddleware:
    """A body Django cannot read as sent gets a 400 page, not a 500.

    - A charset Python cannot decode with (unknown, or a non-text codec such as rot13)
      raises LookupError or UnicodeError where the CSRF check reads the POST.
    - A url-encoded form in any charset but UTF-8 makes Django raise BadRequest, which
      its own 400 view (it checks CSRF, so reads the POST again) raises a second time.
    - A form body shorter than its Content-Length was cut off on the way (gunicorn hands
      the application what arrived before the client closed): it must not be used.
    - A body whose client stalled or went away before it was complete (config/wsgi.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("pushing_away.unreadable_content_type"):  # see config/wsgi.py
            return bad_request()
        if request.META.get("pushing_away.unreadable_body"):  # stalled or cut short
            return bad_request()
        charset = declared_charset(request)
        if charset is not None and not is_text_encoding(charset):
            return bad_request()
        if request.method == "POST" and request.content_type == FORM:
            if charset is not None and charset.lower() != "utf-8":
                return bad_request()
            if is_truncated(request):
                return bad_request()
        return self.get_response(request)


def is_truncated(request: HttpRequest) -> bool:
    """Whether a form body is shorter than the Content-Length its sender declared."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    # Bodies over the limit are Django's to refuse (RequestDataTooBig) without reading them.
    if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return False
    return len(request.body) < declared
