from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .releases import PublishedArticle, live_content


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        content = live_content()
        return list(content.articles) if content else []

    def lastmod(self, article: PublishedArticle):
        return article.updated_at


class QuestionnaireSitemap(Sitemap):
    """The questionnaire's start page. Its steps and results are private: never listed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return ["quiz:start"]

    def location(self, name: str) -> str:
        return reverse(name)
