from django import template

register = template.Library()


@register.filter
def vote_on(feedback, item_slug: str) -> bool | None:
    """The owner's vote on one result item: `{% with vote=feedback|vote_on:item.slug %}`."""
    return feedback.vote_on(item_slug)
