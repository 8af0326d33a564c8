"""Admin's front page tells editors where the review of the pending changes stands."""

from django import template

from .. import releases, review

register = template.Library()

SHOWN = 3


@register.inclusion_tag("admin/advice/release/_review_news.html", takes_context=True)
def review_news(context) -> dict:
    """The latest review steps since the live version, for editors who see the versions.
    One small query: the pending changes themselves are worked out on the review page."""
    user = context["request"].user
    if not user.has_perm("advice.view_release"):
        return {"steps": []}
    return {"steps": review.steps_since(review.live_since(releases.live_release()))[:SHOWN]}
