"""Site-wide HTTP rules that no single view should have to remember."""

import codecs

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

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
    content_type = request.META.get("CONTENT_TYPE", "")
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"')
    return None


def is_text_encoding(charset: str) -> bool:
    try:
        return codecs.lookup(charset)._is_text_encoding and b"".decode(charset) == ""
    except (LookupError, TypeError, ValueError):
        return False


class RejectUndecodableBodiesMiddleware:
    """A body in a charset Python cannot decode gets a 400 page, not a 500.

    Django reads form data in the request's declared charset; an unknown one (or a
    non-text codec such as rot13) raises LookupError while the CSRF check reads the POST,
    and that would be a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = declared_charset(request)
        if charset is not None and not is_text_encoding(charset):
            return HttpResponse(render_to_string("400.html", request=None), status=400)
        return self.get_response(request)
