"""WSGI entry point: `gunicorn config.wsgi` (see config/gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application
from django.utils.http import parse_header_parameters

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()
UNREADABLE_CONTENT_TYPE = "pushing_away.unreadable_content_type"


def application(environ, start_response):
    """Django, with a Content-Type it cannot parse set aside before it tries.

    Django parses Content-Type while it builds the request, before any middleware runs;
    a parameter in an unknown charset (`charset*=nonexistent''x`) raises there, and that
    would be a bare 500. The header is replaced and the request marked, so that
    config.middleware answers it with the site's 400 page and its headers.
    """
    try:
        parse_header_parameters(environ.get("CONTENT_TYPE", ""))
    except (ValueError, LookupError, UnicodeError):
        environ["CONTENT_TYPE"] = "application/octet-stream"
        environ[UNREADABLE_CONTENT_TYPE] = True
    return django_application(environ, start_response)
