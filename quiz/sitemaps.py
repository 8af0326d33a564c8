from advice.releases import live_content
from advice.sitemaps import InEveryLanguage

from .snapshot import PublishedQuestionnaire, questionnaires_in


class QuestionnaireSitemap(InEveryLanguage):
    """Every published questionnaire's start page, at its own address. Their steps and
    results are private: never listed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self) -> list[PublishedQuestionnaire]:
        return questionnaires_in(live_content())
