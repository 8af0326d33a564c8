"""Where a reader is and where she can go next: breadcrumbs, the list of articles, and the
few other articles offered at the end of one.

Everything here reads one published version (`PublishedContent`), never the draft rows,
so a page links only to articles readers of that same version can open. Breadcrumbs go
out twice: as links for readers and as schema.org `BreadcrumbList` JSON-LD for search
engines, both from the same `Breadcrumbs`.
"""

import json
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .releases import PublishedArticle, PublishedContent

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

# How many other articles the front page offers before linking to the whole list.
MORE_ARTICLES = 3


def absolute_url(request: HttpRequest, path: str) -> str:
    """The public address of `path`, preferring SITE_URL over the request's Host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def script_json(data) -> SafeString:
    """JSON for a `<script type="application/ld+json">` element, escaped like Django's
    json_script: "</script>" in an editor's title cannot end the element."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES))


# -- Breadcrumbs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Crumb:
    name: str
    path: str  # what the link uses
    url: str  # the absolute address, for search engines


@dataclass(frozen=True)
class Breadcrumbs:
    """The way from the front page to the current page, which is the last crumb."""

    crumbs: tuple[Crumb, ...]

    @cached_property
    def structured_data(self) -> SafeString:
        return script_json(
            {
                "@context": "https://schema.org",
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": n, "name": crumb.name, "item": crumb.url}
                    for n, crumb in enumerate(self.crumbs, start=1)
                ],
            }
        )


def breadcrumbs(request: HttpRequest, *steps: tuple[str, str]) -> Breadcrumbs:
    """`steps` are (name, path) pairs, from the front page to the current page."""
    return Breadcrumbs(
        tuple(Crumb(name, path, absolute_url(request, path)) for name, path in steps)
    )


def home_step() -> tuple[str, str]:
    return _("Home"), reverse("advice:home")


def article_breadcrumbs(request: HttpRequest, article: PublishedArticle) -> Breadcrumbs | None:
    """Home › Articles › the article. The front page has none: it is Home itself, and a
    trail of one step would only repeat the site's name above it."""
    if article.is_home:
        return None
    return breadcrumbs(
        request,
        home_step(),
        (_("Articles"), reverse("advice:list")),
        (article.title, article.get_absolute_url()),
    )


def questionnaire_breadcrumbs(
    request: HttpRequest, content: PublishedContent, questionnaire
) -> Breadcrumbs:
    """Home › its article › the questionnaire (the current page, `request.path`).

    When the article is the front page, it stands for Home under its own title, so no
    address is named twice. `questionnaire` is any published questionnaire (`title`,
    `article_id`): this app does not know the questionnaire's models.
    """
    article = content.article(article_id=questionnaire.article_id)
    if article is None:  # not in this version: go straight from the front page
        steps = [home_step()]
    elif article.is_home:
        steps = [(article.title, article.get_absolute_url())]
    else:
        steps = [home_step(), (article.title, article.get_absolute_url())]
    return breadcrumbs(request, *steps, (questionnaire.title, request.path))


# -- The list of articles ------------------------------------------------------------------


@dataclass(frozen=True)
class ListedArticle:
    article: PublishedArticle
    has_questionnaire: bool


def articles_with_questionnaires(content: PublishedContent) -> set[int]:
    """Ids of the articles that a questionnaire of this version belongs to."""
    return {q.article_id for q in content.parts.get("questionnaires", {}).values()}


def newest_first(articles) -> list[PublishedArticle]:
    """The front page first, then the most recently first published."""
    return sorted(articles, key=lambda a: (not a.is_home, -a.published_at.timestamp(), a.title))


def listed_articles(content: PublishedContent) -> list[ListedArticle]:
    """Every article of this version, as the list of articles shows them."""
    with_questionnaire = articles_with_questionnaires(content)
    return [
        ListedArticle(article, article.id in with_questionnaire)
        for article in newest_first(content.articles)
    ]


def more_articles(content: PublishedContent, article: PublishedArticle) -> list[PublishedArticle]:
    """A few other articles to offer after `article`: the newest it does not already list
    among its related articles."""
    skip = {article.id, *(a.id for a in content.related_to(article))}
    return [a for a in newest_first(content.articles) if a.id not in skip][:MORE_ARTICLES]
