"""Security headers on every response, throttled logins and POSTs, health, private logs."""

import json
import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from pytest_django.asserts import assertContains

from config.logging import RedactPrivateData

from .quiz_helpers import START, STRESSED_BUT_TOGETHER, question, start, take

pytestmark = pytest.mark.django_db


def pages(client):
    """The article, a questionnaire step, a result page, a 404 and the admin login."""
    result = take(client, STRESSED_BUT_TOGETHER)
    from django.test import Client

    fresh = Client()
    start(fresh)
    step = f"{START}question/{question('Where do things stand').pk}/"
    return {
        "article": client.get("/"),
        "questionnaire step": fresh.get(step),
        "result": client.get(result),
        "her article, marked": client.get(result + "article/"),
        "her plan": client.get(result + "plan/"),
        "her reminder": client.get(result + "reminder/"),
        # A week after CLOCK_START: the tests below set the clock.
        "her calendar file": client.post(result + "reminder/", {"day": "2031-06-25"}),
        "404": client.get("/no-such-page/"),
        "admin login": Client().get("/admin/login/"),
    }


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def test_every_page_carries_the_security_headers(clock, client, questionnaire):
    for name, response in pages(client).items():
        assert response.status_code in (200, 404), name
        csp = csp_directives(response)
        assert csp["default-src"] == "'none'", name
        assert csp["script-src"] == "'self'", name
        assert csp["style-src"] == "'self'", name
        assert csp["frame-ancestors"] == "'none'", name
        assert csp["base-uri"] == "'none'", name
        assert csp["object-src"] == "'none'", name
        assert csp["form-action"] == "'self'", name
        assert "unsafe-inline" not in response["Content-Security-Policy"], name
        assert "unsafe-eval" not in response["Content-Security-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] in (
            "strict-origin-when-cross-origin",
            "same-origin",
            "no-referrer",
        ), name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", name
        assert "geolocation=()" in response["Permissions-Policy"], name
        assert "camera=()" in response["Permissions-Policy"], name
        assert response["X-Frame-Options"] == "DENY", name


def test_the_500_page_carries_the_headers_too(client, seeded, monkeypatch):
    from advice import views

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views, "render_article", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
    assert csp_directives(response)["default-src"] == "'none'"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_cookies_are_http_only_and_same_site(client, questionnaire):
    response = client.post(START)
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    page = client.get(response["Location"])
    csrf_cookie = page.cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies.get(
        settings.CSRF_COOKIE_NAME
    )
    assert csrf_cookie["httponly"] and csrf_cookie["samesite"] == "Lax"


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"])
@pytest.mark.parametrize("path", ["/", "/sitemap.xml", "/admin/login/", START])
def test_unused_methods_are_refused(client, seeded, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_questionnaire_posts_are_rate_limited_with_a_styled_429(
    client, questionnaire, settings, clock
):
    clock.move_to(timezone.now(), tick=False)  # stopped: one rate-limit window
    settings.QUIZ_POST_RATE = "3/m"
    statuses = [client.post(START).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    response = client.post(START)
    assert response.status_code == 429
    assertContains(response, "Please slow down a little", status_code=429)
    assert response["Retry-After"] == "60"


def test_admin_login_is_locked_after_repeated_failures(client, editor, settings):
    attempts = [
        client.post("/admin/login/", {"username": "editor", "password": f"wrong {n}"})
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [a.status_code for a in attempts[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = attempts[-1]
    assert locked.status_code == 429
    assertContains(locked, "Too many sign-in attempts", status_code=429)
    # Even the right password is refused while locked.
    right = client.post(
        "/admin/login/", {"username": "editor", "password": "a long editor password"}
    )
    assert right.status_code == 429


def test_failed_logins_are_recorded_without_the_address(client, editor):
    from axes.models import AccessAttempt

    client.post(
        "/admin/login/", {"username": "editor", "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
    )
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.ip_address != "203.0.113.9"
    assert attempt.ip_address.startswith("fd")


def test_health_check_answers_when_database_and_cache_do(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_health_check_says_503_when_the_cache_is_down(client, db, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


def test_health_check_says_503_when_the_database_is_down(client, db, monkeypatch):
    from config import views

    monkeypatch.setattr(views, "database_answers", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "ok"}


def test_logs_carry_no_tokens_no_addresses_and_no_request(client, questionnaire, caplog):
    token = "A" * 43
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/results/{token}/",),
        None,
    )
    record.request = object()
    record.status_code = 404
    RedactPrivateData().filter(record)
    assert record.getMessage() == "Not Found: /results/[token]/"
    assert not hasattr(record, "request")
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "from 203.0.113.9 and 2001:db8::1 and ::1", (), None
    )
    RedactPrivateData().filter(record)
    assert record.getMessage() == "from [ip] and [ip] and [ip]"


def test_log_lines_are_json():
    from pythonjsonlogger.json import JsonFormatter

    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    record = logging.LogRecord(
        "advice", logging.WARNING, __file__, 1, "a line for the %s", ("shipper",), None
    )
    for log_filter in handler.filters:
        log_filter.filter(record)
    data = json.loads(handler.format(record))
    assert data["message"] == "a line for the shipper"
    assert data["level"] == "WARNING" and data["logger"] == "advice"


@pytest.mark.parametrize(
    "charset", ["nonexistent-charset", "rot13", "utf-99", "base64", '"; DROP', "", "hex"]
)
def test_bodies_in_charsets_python_cannot_decode_get_a_400(client, questionnaire, charset):
    response = client.generic(
        "POST",
        START,
        data=b"choice=1",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assertContains(response, "That request didn’t look right", status_code=400)
    # Answered before the request is read, yet with what the settings say (the site's name).
    assertContains(response, f"· {settings.SITE_NAME}</title>", status_code=400)


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    env = {
        # Not the browser tests' allowance for the ORM under Playwright's event loop.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "SQLITE_PATH": str(tmp_path / "deploy.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_tracebacks_in_logs_are_redacted_too():
    try:
        raise ValueError("Invalid HTTP_HOST header: '203.0.113.7:8000'")
    except ValueError:
        import sys as _sys

        record = logging.LogRecord(
            "django.security", logging.ERROR, __file__, 1, "refused", (), _sys.exc_info()
        )
    RedactPrivateData().filter(record)
    assert record.exc_info is None
    assert "203.0.113.7" not in record.exc_text and "[ip]" in record.exc_text


def test_the_site_wide_policy_kept_once_is_django_csps_and_follows_the_settings(settings):
    """config.middleware.CSPMiddleware builds the policy once; it must stay django-csp's,
    and a response a view changed (or exempted, or gave a nonce) still gets its own."""
    from csp.constants import NONCE, SELF
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory

    from config.middleware import CSPMiddleware

    def directives(header: str) -> dict[str, str]:
        return {p.split()[0]: " ".join(p.split()[1:]) for p in header.split(";") if p.strip()}

    def served(change=None, nonce=False):
        request = RequestFactory().get("/")
        middleware = CSPMiddleware(lambda request: None)
        middleware.process_request(request)
        if nonce:
            str(request.csp_nonce)  # a template asked for one
        response = HttpResponse("page")
        for name, value in (change or {}).items():
            setattr(response, name, value)
        return request, middleware.process_response(request, response)

    _, response = served()
    assert directives(response["Content-Security-Policy"]) == directives(build_policy())
    assert "Content-Security-Policy-Report-Only" not in response
    request, _ = served()
    with pytest.raises(Exception, match="after the CSP header"):
        str(request.csp_nonce)

    _, updated = served({"_csp_update": {"frame-src": [SELF]}})
    assert directives(updated["Content-Security-Policy"])["frame-src"] == "'self'"
    _, exempt = served({"_csp_exempt": True})
    assert "Content-Security-Policy" not in exempt

    directives_with_nonce = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}
    directives_with_nonce["script-src"] = [SELF, NONCE]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives_with_nonce}
    request, with_nonce = served(nonce=True)
    script_src = directives(with_nonce["Content-Security-Policy"])["script-src"]
    assert script_src == f"'self' 'nonce-{request._csp_nonce}'"
    _, without = served()  # the changed setting reached the kept policy too
    assert directives(without["Content-Security-Policy"])["script-src"] == "'self'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": [SELF]}}
    _, reported = served()
    assert "img-src 'self'" in reported["Content-Security-Policy-Report-Only"]
