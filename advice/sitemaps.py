from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        return Article.objects.published()

    def lastmod(self, article: Article):
        return article.updated_at


class QuestionnaireSitemap(Sitemap):
    """The questionnaire's start page. Its steps and results are private: never listed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return ["quiz:start"]

    def location(self, name: str) -> str:
        return reverse(name)
