import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from config.languages import home_in, site_languages
from config.page_cache import public_page

from .languages import languages_of
from .navigation import (
    absolute_url,
    article_breadcrumbs,
    listed_articles,
    more_articles,
    script_json,
)
from .releases import PublishedArticle, PublishedContent, live_content, live_release, published
from .search import search
from .search.form import SearchForm


def iso_seconds(moment) -> str:
    """ISO 8601 to the second: what metadata needs, and what a backup round-trips exactly."""
    return moment.isoformat(timespec="seconds")


def article_structured_data(article: PublishedArticle, url: str) -> str:
    """JSON-LD `Article` for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.meta_description,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": get_language(),
        "datePublished": iso_seconds(article.published_at),
        "dateModified": iso_seconds(article.updated_at),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    return script_json(data)


@cache
def deploy_fingerprint() -> str:
    """Changes when a deploy changes templates, static files or the interface's
    translations (a page's words come from all three), the same in every worker."""
    digest = hashlib.sha256()
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        digest.update(template.read_bytes())
    for folder in settings.LOCALE_PATHS:
        for catalog in sorted(Path(folder).rglob("*.mo")):
            digest.update(catalog.read_bytes())
    return digest.hexdigest()[:16]


def page_etag(content: PublishedContent, page: str) -> str:
    """Names one page of one published version in the active language, as rendered by this
    deploy's templates: the English and Spanish pages never share an ETag."""
    version = f"{content.stamp}:{get_language()}:{page}:{deploy_fingerprint()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


def article_etag(content: PublishedContent, article: PublishedArticle) -> str:
    return page_etag(content, str(article.id))


def conditional(
    request: HttpRequest, etag: str, modified: datetime, render_it: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page, or a 304 when the browser (or a proxy) already has this version.

    Shared caches may keep it SHARED_CACHE_SECONDS; browsers revalidate every time, which
    costs one cache read while the page is kept (config/page_cache.py), else one query and
    no rendering while no new version went live.
    """
    last_modified = int(modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = render_it()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.SHARED_CACHE_SECONDS)
    return response


def render_article(
    request: HttpRequest, content: PublishedContent, article: PublishedArticle
) -> HttpResponse:
    """The reading page, cacheable (see `conditional`)."""
    return conditional(
        request,
        article_etag(content, article),
        article.updated_at,
        lambda: render_page(request, content, article, page_languages=languages_of(article)),
    )


def render_page(
    request: HttpRequest, content: PublishedContent, article: PublishedArticle, **extra
) -> HttpResponse:
    canonical_url = absolute_url(request, article.get_absolute_url())
    return render(
        request,
        "advice/article_detail.html",
        {
            "article": article,
            "content": content,
            "version": content.stamp,
            "canonical_url": canonical_url,
            "structured_data": article_structured_data(article, canonical_url),
            "published_time": iso_seconds(article.published_at),
            "modified_time": iso_seconds(article.updated_at),
            "cache_seconds": settings.CONTENT_CACHE_SECONDS,
            "nav": "home" if article.is_home else "article",
            "breadcrumbs": article_breadcrumbs(request, article),
            "related": content.related_to(article),
            "more_articles": more_articles(content, article) if article.is_home else (),
            "has_more_articles": article.is_home and len(content.articles) > 1,
            **extra,
        },
    )


def live_or_404() -> PublishedContent:
    content = live_content()
    if content is None:
        raise Http404("Nothing has been published yet.")
    return content


@public_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    content = live_or_404()
    if content.home is None:
        raise Http404("No article is the front page.")
    return render_article(request, content, content.home)


@public_page
@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    content = live_or_404()
    article = content.article(slug=slug)
    if article is None:
        raise Http404("No such article.")
    if article.is_home:
        return redirect("advice:home", permanent=True)
    return render_article(request, content, article)


@public_page
@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    """Every article of the live version, cacheable like an article (see `conditional`).

    It changes only when a version goes live, so that moment is its Last-Modified.
    """
    content = live_or_404()
    if not content.articles:
        raise Http404("No article is published.")
    return conditional(
        request,
        page_etag(content, "list"),
        content.went_live_at,
        lambda: render(
            request,
            "advice/article_list.html",
            {
                "articles": listed_articles(content),
                "content": content,
                "nav": "articles",
                "page_languages": site_languages(),
            },
        ),
    )


@public_page
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "robots.txt",
        {
            "sitemap_url": absolute_url(request, "/sitemap.xml"),
            # Private pages are private in every language: "" for the default's addresses,
            # "/es" for Spanish's.
            "language_prefixes": [home_in(code).rstrip("/") for code in site_languages()],
        },
        content_type="text/plain; charset=utf-8",
    )


# Results shown for one search; the page says how many more matched.
RESULTS_SHOWN = 20


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Results for `?q=`; the form alone when empty; a 400 saying why a query is refused."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "advice/search.html", {"form": form, "nav": "search"}, status=400)
    query = form.cleaned_data["q"]
    release = live_release()
    results = search(query, limit=RESULTS_SHOWN, release=release) if query and release else None
    # The version at hand, for the header's questionnaire link (no second query).
    content = published(release) if release else None
    context = {
        "form": form,
        "query": query,
        "results": results,
        "content": content,
        "nav": "search",
        # The empty search page is one page per language; results pages are not listed.
        "page_languages": None if query else site_languages(),
    }
    return render(request, "advice/search.html", context)
