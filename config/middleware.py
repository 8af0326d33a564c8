"""Site-wide HTTP rules that no single view should have to remember."""

import codecs
import contextlib

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
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


# What django-csp's decorators (csp_exempt aside) set on a response to change its own policy.
CSP_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the site-wide policy built once per process.

    django-csp 4 builds the header string from the settings on every response (the
    directives copied, sorted and joined: over 100 µs, a third of what a page served from
    the page cache costs). For a response that no decorator changed and no template asked
    a nonce for, that string depends on the settings alone, so it is built once and kept
    until a setting changes (tests' override_settings). Any other response goes through
    django-csp unchanged. The rules for setting the headers are django-csp's own
    (`process_response` in csp/middleware.py, version 4.0): keep them in step on upgrade.
    """

    policies: tuple[str, str] | None = None  # (policy, report-only policy), once built

    @classmethod
    def site_policies(cls) -> tuple[str, str]:
        if cls.policies is None:
            cls.policies = (build_policy(), build_policy(report_only=True))
        return cls.policies

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in CSP_RESPONSE_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        policy, policy_ro = self.site_policies()
        setting_name = "CONTENT_SECURITY_POLICY"
        for header, value, exempt, setting in (
            (HEADER, policy, "_csp_exempt", setting_name),
            (HEADER_REPORT_ONLY, policy_ro, "_csp_exempt_ro", f"{setting_name}_REPORT_ONLY"),
        ):
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = value
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def forget_csp_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        CSPMiddleware.policies = None


setting_changed.connect(forget_csp_policies)


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
