"""The WSGI ceiling of `make bench`: the article page's saved bytes, and nothing else.

gunicorn serves it with the site's own settings (config/gunicorn.conf.py, same workers), so
the gap between this and the real page is the work Django and the site do per request.
"""

import os

with open(os.environ["BENCH_PAGE"], "rb") as page:
    BODY = page.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
