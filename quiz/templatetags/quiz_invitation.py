"""The article's invitation to the questionnaire, with what the questionnaire says of
itself (how long it takes) in the same published version."""

from django import template

from advice.releases import PublishedContent
from quiz.snapshot import offered_questionnaire

register = template.Library()


@register.inclusion_tag("quiz/_invitation.html")
def questionnaire_invitation(content: PublishedContent) -> dict:
    """`{% questionnaire_invitation content %}`: none offered yet still invites, without
    a length."""
    return {"questionnaire": offered_questionnaire(content)}
