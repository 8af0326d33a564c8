from django.contrib.sitemaps import Sitemap

from quiz.snapshot import PublishedQuestionnaire, questionnaires_in

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
    """Every published questionnaire's start page, at its own address. Their steps and
    results are private: never listed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self) -> list[PublishedQuestionnaire]:
        return questionnaires_in(live_content())
