from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .releases import PublishedArticle, PublishedContent, live_content


class ArticleSitemap(Sitemap):
    """Every article of the live version (the front page at /)."""

    changefreq = "monthly"
    priority = 1.0

    def items(self):
        content = live_content()
        return list(content.articles) if content else []

    def lastmod(self, article: PublishedArticle):
        return article.updated_at


class ArticleListSitemap(Sitemap):
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
