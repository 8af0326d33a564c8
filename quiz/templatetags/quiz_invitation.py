"""The article's invitation to its questionnaire, with what the questionnaire says of
itself (how long it takes) in the same published version."""

from django import template

from advice.releases import PublishedArticle, PublishedContent
from quiz.snapshot import questionnaire_of_article

register = template.Library()


@register.inclusion_tag("quiz/_invitation.html")
def questionnaire_invitation(content: PublishedContent, article: PublishedArticle) -> dict:
    """`{% questionnaire_invitation content article %}`: to the article's own
    questionnaire; nothing for an article without one."""
    return {"questionnaire": questionnaire_of_article(content, article.id)}
