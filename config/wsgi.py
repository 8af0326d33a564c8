"""WSGI entry point: `gunicorn config.wsgi` (see config/gunicorn.conf.py)."""

import contextlib
import io
import os
import socket
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.utils.http import parse_header_parameters

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()


def warm_up() -> None:
    """Load now, once, what each gunicorn worker would otherwise load on its first requests.

    gunicorn imports this module in its master (preload_app) and forks the workers from it,
    and it replaces each worker after max_requests (config/gunicorn.conf.py). A new worker
    used to import every view and what they import, build each language's URL tables, read
    the translation catalogs and compile the templates on its first requests: about 150 ms
    of CPU, paid by each of its threads that started a request meanwhile, on every
    replacement. Done here, the workers share the result. Nothing here opens the database
    or a socket (nothing may be shared across the fork).
    """
    from django.apps import apps
    from django.conf import settings
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # reads the catalogs; URL tables are per language
            resolver.reverse_dict  # noqa: B018 (builds them, importing every view)
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(settings.BASE_DIR)
    ]
    for folder in folders:
        for template in sorted(folder.rglob("*.html")):
            # A template that does not compile raises again where it is used.
            with contextlib.suppress(TemplateSyntaxError):
                get_template(template.relative_to(folder).as_posix())  # kept compiled


warm_up()
UNREADABLE_CONTENT_TYPE = "pushing_away.unreadable_content_type"
UNREADABLE_BODY = "pushing_away.unreadable_body"
# A client may pause this long between two parts of its body (a phone on a bad line does);
# one that stalls longer is given up on, so it cannot hold a thread for good.
BODY_STALL_SECONDS = 10
# Bodies up to this size are read here: the largest this site accepts is an editor's 5 MB
# image upload with its form. Django refuses larger ones without reading them.
BUFFERED_BODY_BYTES = 6 * 1024 * 1024


def read_body(environ) -> None:
    """Read the request body before Django does, stopping at the first stall.

    Django reads the body while a middleware or view runs, with no limit on how long the
    client takes. Here it is read at once into memory, with a timeout on each wait; a body
    that stalls or ends short is replaced by nothing and the request marked, so that
    config.middleware answers it with a 400. Reading from that client then stops, and
    gunicorn closes the connection after the answer.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if not 0 < length <= BUFFERED_BODY_BYTES:
        return
    client = environ.get("gunicorn.socket")
    if client is not None:
        client.settimeout(BODY_STALL_SECONDS)
    try:
        body = environ["wsgi.input"].read(length)
    except OSError:  # the client stalled (a timeout) or went away
        body = b""
    if len(body) < length:
        if client is not None:
            client.shutdown(socket.SHUT_RD)
        environ[UNREADABLE_BODY] = True
        body = b""
        environ["CONTENT_LENGTH"] = "0"
    elif client is not None:
        client.settimeout(None)
    environ["wsgi.input"] = io.BytesIO(body)


def application(environ, start_response):
    """Django, with a Content-Type it cannot parse set aside before it tries, and the body
    read first (`read_body`).

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
    read_body(environ)
    return django_application(environ, start_response)
