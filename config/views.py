"""Site-level endpoints that belong to no app."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .context_processors import site

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        logger.warning("health check: the database does not answer", exc_info=True)
        return False


def cache_answers() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:  # noqa: BLE001
        logger.warning("health check: the cache does not answer", exc_info=True)
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when database and cache answer, else 503."""
    checks = {"database": database_answers(), "cache": cache_answers()}
    return JsonResponse(
        {name: "ok" if ok else "down" for name, ok in checks.items()},
        status=200 if all(checks.values()) else 503,
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon (admin): the site's icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """The 500 page. Django's own renders it with no context, so that a failing context
    processor cannot break the error page too; this one adds only what settings say (the
    site's name), which cannot fail."""
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))
