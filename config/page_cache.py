"""A full-page cache for the pages every reader is served alike (issue 15).

The article pages, the article list, the sitemap and robots.txt change only when a version
goes live or a deploy changes the templates, yet each request paid for Django's request
cycle, the live-version query and the templates. Here a page, once rendered, is kept whole
in the "pages" cache (config/settings.py); the next reader's request costs one cache read:
no database query, no template, no session or CSRF work (the middleware sits before them).

What may be kept, and for whom:
- only answers of views marked `@public_page`: what they show is the same for every reader
  (nothing from her session: no run, no chosen place, no form token);
- only a 200 to a GET or HEAD without a query string, that sets no cookie, is not marked
  private / no-store / no-cache and does not vary on Cookie. A view that reads the session
  makes SessionMiddleware add `Vary: Cookie`, and a form token makes CsrfViewMiddleware set
  its cookie, so either keeps the page out even if it was marked public by mistake;
- the key is the page's address as the reader asked for it (scheme, host: absolute links
  are built from them when SITE_URL is unset; path, which carries the /es/ prefix), the
  language, and the deploy's fingerprint (templates, static files, catalogs): the English
  and Spanish pages, and two deploys, never share an entry.

How long: an entry is fresh until PAGE_CACHE_SECONDS have passed or the next scheduled
version goes live, whichever comes first, so a version scheduled for 6:00 is served from
6:00 with nobody at the keyboard. Publishing, withdrawing or restoring a version (any save
or delete of a Release) starts a new "generation": entries of the old one are not served.
With Redis the generation lives in the same cache, so one publish reaches every worker and
machine at once. Without it each worker keeps pages in its own memory, and the generation
lives in a small file beside the SQLite database (PAGE_GENERATION_FILE), read on every
lookup (a few microseconds), so a publish in one worker reaches every worker of the
machine at once too: an editor who publishes and opens the page sees the new version,
whichever worker answers. Browsers and proxies may keep a page SHARED_CACHE_SECONDS
(s-maxage; advice/views.py); a publish reaches every reader within that.

A questionnaire's start page is kept only as a newcomer gets it (quiz/views.py `start`):
without a session cookie she has no run, and the page carries no form token. A browser
with a session cookie is looked up under its own keys: her start page reads her session
(Vary: Cookie), so it is never kept, and the newcomers' page is never hers.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

ALIAS = "pages"
GENERATION = "generation"
# Part of every key: a deploy that changes what an entry holds (`Entry`) changes it too.
KEY_VERSION = "page1"
# How long a thread waits for another thread of its worker that renders the same page
# (PageCacheMiddleware.render_once); past it, it renders the page itself.
RENDER_WAIT_SECONDS = 5
# Cache-Control directives that keep a response out: one reader's, or not to be kept.
PRIVATE = {"private", "no-store", "no-cache"}


def pages():
    return caches[ALIAS]


def public_page(view):
    """Marks a view whose answers are the same for every reader: the cache may keep them
    (it still checks each response, see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    wrapped.public_page = True  # PageCacheMiddleware.render_once: worth waiting for
    return wrapped


@dataclass(frozen=True)
class Entry:
    """A kept page: what to send, which generation it belongs to, and until when."""

    generation: str
    fresh_until: float  # time.time()
    content: bytes
    headers: tuple[tuple[str, str], ...]

    def is_fresh(self, generation: str | None) -> bool:
        return generation == self.generation and time.time() < self.fresh_until

    def response(self, request: HttpRequest) -> HttpResponse:
        """The page, or a 304 when the browser's If-None-Match / If-Modified-Since match."""
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response[name] = value
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )


def page_key(request: HttpRequest) -> str | None:
    """The key of the page `request` asks for, or None when it is not one to look up."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # Django answers it with a 400 further in
    from advice.views import deploy_fingerprint  # after the apps are ready

    address = f"{request.scheme}://{host}{request.path}"
    returning = settings.SESSION_COOKIE_NAME in request.COOKIES
    name = f"{get_language()}|{address}|{deploy_fingerprint()}|{returning}"
    return f"{KEY_VERSION}:" + hashlib.sha256(name.encode()).hexdigest()


def may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether `response` is the same for every reader (see the module's docstring)."""
    if not getattr(response, "public_page", False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    varies = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    return not (directives & PRIVATE) and not ({"cookie", "*"} & varies)


def fresh_until() -> float:
    """PAGE_CACHE_SECONDS from now, or the next scheduled version's going live if sooner.
    One small query, on a miss only."""
    from advice.models import Release

    until = time.time() + settings.PAGE_CACHE_SECONDS
    scheduled = Release.objects.scheduled().values_list("go_live_at", flat=True).first()
    return min(until, scheduled.timestamp()) if scheduled else until


def generation_file() -> Path | None:
    """Where the generation lives when it is not in the pages cache (no Redis)."""
    path = settings.PAGE_GENERATION_FILE
    return Path(path) if path else None


def read_generation_file(path: Path) -> str | None:
    try:
        return path.read_text() or None
    except FileNotFoundError:
        return None


def new_generation_file(path: Path) -> None:
    """A publish's new generation, in place of the one before."""
    _write_generation(path, replace=True)


def first_generation_file(path: Path) -> None:
    """A generation where there is none yet (a new database); one already there stays."""
    _write_generation(path, replace=False)


def _write_generation(path: Path, replace: bool) -> None:
    """Written whole to a file of its own, then put in place in one step (a rename, or a
    link that fails if the name is taken): a worker reading meanwhile sees the old
    generation or the new one, never half of one."""
    handle, written = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w") as new:
            new.write(uuid.uuid4().hex)
        if replace:
            os.replace(written, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(written, path)
    finally:
        Path(written).unlink(missing_ok=True)


def current_generation(found: str | None) -> str | None:
    """The generation to keep a page under; one is started if there is none (after a
    restart, or when the cache evicted it), so an entry never outlives a publish it did not
    see."""
    if found is not None:
        return found
    path = generation_file()
    if path is not None:
        first_generation_file(path)
        return read_generation_file(path)
    pages().add(GENERATION, uuid.uuid4().hex, timeout=None)
    return pages().get(GENERATION)


def keep(key: str, generation: str | None, response: HttpResponse) -> None:
    if generation is None:  # the cache lost it at once: keep nothing rather than guess
        return
    until = fresh_until()
    seconds = until - time.time()
    if seconds <= 0:
        return
    entry = Entry(generation, until, response.content, tuple(response.items()))
    pages().set(key, entry, timeout=int(seconds) + 1)


def forget_pages() -> None:
    """Start a new generation: every kept page is stale, in every worker the cache reaches.
    A publish never fails for the cache: without it, kept pages end on their own time."""
    try:
        path = generation_file()
        if path is not None:
            new_generation_file(path)
        else:
            pages().set(GENERATION, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("page cache unreachable: kept pages end within PAGE_CACHE_SECONDS")


def forget_pages_now_and_after_commit(**kwargs) -> None:
    """For a Release saved or deleted: at once, and again once its transaction commits, so
    a page rendered meanwhile from the version before (another worker, still reading the
    old state) is not kept either."""
    forget_pages()
    transaction.on_commit(forget_pages)


class PageCacheMiddleware:
    """Answers a kept page from the cache, and keeps the public pages it sees rendered."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.lock = threading.Lock()
        self.rendering: dict[str, threading.Event] = {}  # key -> set once rendered

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request) if settings.PAGE_CACHE_SECONDS > 0 else None
        if key is None:
            return self.get_response(request)
        try:
            kept, generation = self.lookup(request, key)
        except Exception:
            # Redis down, or an entry that no longer reads: the page as if never kept.
            logger.warning("page cache unreachable: serving the page uncached")
            return self.get_response(request)
        if kept is not None:
            return kept
        return self.render_once(request, key, generation)

    def lookup(self, request: HttpRequest, key: str):
        """(the kept page's response or None, the generation to keep a page under)."""
        path = generation_file()
        if path is not None:
            entry, generation = pages().get(key), read_generation_file(path)
        else:
            found = pages().get_many([key, GENERATION])  # one read: one round trip to Redis
            entry, generation = found.get(key), found.get(GENERATION)
        if isinstance(entry, Entry) and entry.is_fresh(generation):
            return entry.response(request), generation
        return None, current_generation(generation)

    def render_once(self, request: HttpRequest, key: str, generation: str | None):
        """Render a missing public page in one thread of this worker, not in all at once.

        When a kept page ends (every PAGE_CACHE_SECONDS) or gunicorn starts a new worker,
        each of the worker's threads that takes a request for the page meanwhile would
        render it (gthread: twelve). The first one renders and keeps it; the others wait
        for it (at most RENDER_WAIT_SECONDS) and are served what it kept. Only for views
        marked @public_page and readers without a session (their pages are never kept,
        so no one waits for them); a page that turns out not kept is rendered by each.
        """
        if settings.SESSION_COOKIE_NAME in request.COOKIES or not is_public_view(request):
            return self.render_and_keep(request, key, generation)
        with self.lock:
            rendering = self.rendering.get(key)
            if rendering is None:
                self.rendering[key] = threading.Event()
        if rendering is None:
            try:
                return self.render_and_keep(request, key, generation)
            finally:
                with self.lock:
                    self.rendering.pop(key).set()
        rendering.wait(RENDER_WAIT_SECONDS)
        try:
            kept, generation = self.lookup(request, key)
        except Exception:
            logger.warning("page cache unreachable: serving the page uncached")
            return self.get_response(request)
        return kept if kept is not None else self.render_and_keep(request, key, generation)

    def render_and_keep(self, request: HttpRequest, key: str, generation: str | None):
        response = self.get_response(request)
        if may_keep(request, response):
            try:
                keep(key, generation, response)
            except Exception:
                logger.warning("page cache unreachable: the page was not kept")
        return response


def is_public_view(request: HttpRequest) -> bool:
    """Whether the request's address leads to a view marked @public_page."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "public_page", False)
