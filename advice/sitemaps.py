from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        return Article.objects.published()

    def lastmod(self, article: Article):
        return article.updated_at
