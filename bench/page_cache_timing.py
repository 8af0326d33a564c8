"""The page cache's hit path in microseconds (config/page_cache.py), in one process.

Run by bench/run.py with the bench's environment (production settings, its throwaway
database). For each public page: the middleware alone answering a kept page, the whole of
Django answering it as gunicorn calls it (config/wsgi.py's application, the body read
and closed: request_finished's handlers run), and the same request with the cache off
(PAGE_CACHE_SECONDS=0: the view, its query and its templates). Figures are CPU time (the
machine may be shared). Prints one line per page; wrk's figures (req/s) also pay for
gunicorn (its gthread loop and access log: about 0.3 ms a request, see the WSGI
ceiling's CPU per request), the socket and wrk itself.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the site's packages

ROUNDS = 2000


def per_call_us(call, rounds: int = ROUNDS) -> float:
    call()  # warm
    started = time.process_time()
    for _ in range(rounds):
        call()
    return (time.process_time() - started) / rounds * 1e6


def environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIRequest
    from django.utils import translation

    from config.page_cache import PageCacheMiddleware
    from config.wsgi import application

    def whole(path: str):
        def call():
            response = application(environ(path), lambda status, headers: None)
            assert response.status_code == 200, (path, response.status_code)
            b"".join(response)
            response.close()

        return call

    def refuse(request):
        raise AssertionError("a kept page reached the view")

    middleware = PageCacheMiddleware(refuse)
    for path, language in [("/", "en"), ("/articles/", "en"), ("/es/", "es")]:
        whole(path)()  # rendered once: kept
        request = WSGIRequest(environ(path))
        with translation.override(language):
            hit = per_call_us(lambda request=request: middleware(request))
        django_hit = per_call_us(whole(path))
        settings.PAGE_CACHE_SECONDS = 0
        miss = per_call_us(whole(path), rounds=200)
        settings.PAGE_CACHE_SECONDS = 10
        print(
            f"page cache {path:<11} hit {hit:6.1f} µs in the middleware, {django_hit:6.1f} µs "
            f"through all of Django; cache off {miss:7.1f} µs"
        )


if __name__ == "__main__":
    main()
