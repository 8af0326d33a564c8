from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .languages import languages_of
from .releases import PublishedArticle, PublishedContent, live_content


class InEveryLanguage(Sitemap):
    """Each page once per language it exists in (settings.LANGUAGES unless
    `get_languages_for_item` says fewer), each listing the others as `xhtml:link`
    alternates, and the default language's address as `x-default`."""

    i18n = True
    alternates = True
    x_default = True


class ArticleSitemap(InEveryLanguage):
    """Every article of the live version (the front page at /)."""

    changefreq = "monthly"
    priority = 1.0

    def get_languages_for_item(self, article: PublishedArticle) -> list[str]:
        return languages_of(article)

    def items(self):
        content = live_content()
        return list(content.articles) if content else []

    def lastmod(self, article: PublishedArticle):
        return article.updated_at


class ArticleListSitemap(InEveryLanguage):
    """The list of every article: it changes whenever a new version goes live."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        content = live_content()
        return [content] if content and content.articles else []

    def location(self, content: PublishedContent) -> str:
        return reverse("advice:list")

    def lastmod(self, content: PublishedContent):
        return content.went_live_at
