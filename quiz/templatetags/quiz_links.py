"""The header's link to a questionnaire."""

from django import template

from advice.releases import PublishedArticle, PublishedContent, live_content
from quiz.snapshot import (
    PublishedQuestionnaire,
    front_page_questionnaire,
    questionnaire_of_article,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def questionnaire_in_header(context) -> str:
    """`{% questionnaire_in_header as url %}`: the start of the questionnaire the reader is
    in, else of the article she is reading, else of the front-page article's; "" (no link)
    when there is none.

    Pages that have the version at hand (articles, a run's steps and result) pass it in
    their context; other pages cost one small query (which version is live).
    """
    questionnaire = context.get("questionnaire")
    if isinstance(questionnaire, PublishedQuestionnaire):
        return questionnaire.get_absolute_url()
    if context.get("request") is None:
        # The 500 page renders without a request, and must not touch the database.
        return ""
    content = context.get("content")
    if not isinstance(content, PublishedContent):
        content = live_content()
    article = context.get("article")
    found = None
    if isinstance(article, PublishedArticle):
        found = questionnaire_of_article(content, article.id)
    found = found or front_page_questionnaire(content)
    return found.get_absolute_url() if found else ""
