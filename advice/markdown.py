"""The one way editors' Markdown becomes reader-facing HTML.

markdownx renders Markdown but does not sanitise: raw HTML in a body passes through. Every
body on the site (article page, result pages, the editor's live preview) goes through
`render_markdown`, which cleans the HTML with nh3 (the Ammonia sanitiser) against an
allowlist. A stolen editor account or a pasted snippet must never run script in a reader's
browser.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdownx.utils import markdownify

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre",
    "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align", "scope"},
}
# Relative links (the article's own anchors, uploaded images) pass; of absolute URLs only
# these schemes do, so `javascript:` and `data:` are dropped.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; drop script and style bodies."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Outbound links neither leak the page address nor get access to window.opener.
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitised HTML, safe to put in a template unescaped."""
    return mark_safe(sanitise_html(markdownify(text or "")))  # noqa: S308 - sanitised above
