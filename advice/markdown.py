"""The one way editors' Markdown becomes reader-facing HTML.

markdownx renders Markdown but does not sanitise: raw HTML in a body passes through. Every
body on the site (releases, the editor's live preview) goes through `render_markdown` or
`render_all`, which clean the HTML with nh3 (the Ammonia sanitiser) against an allowlist.
A stolen editor account or a pasted snippet must never run script in a reader's browser.

Nor may one body take a page down. Python-Markdown is recursive and some of its patterns
backtrack: 600 nested list levels raise RecursionError, 10,000 `[` take 11 s and 20,000
take 79 s. So a body must stay within a length and a nesting depth, and is rendered in a
forked child process that is killed when it runs out of time: a worker never hangs on it.
Rendering happens when editors save, preview or publish; a release stores the HTML, so
readers never run Markdown at all.
"""

import multiprocessing
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

import nh3
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markdownx.utils import markdownify

# The longest item of the seed is 1,109 characters; twenty times that is a long essay.
MAX_CHARACTERS = 20_000
# Lists and quotes inside each other; the article uses two levels at most.
MAX_DEPTH = 8
# Seconds one body may take to render. Ordinary bodies take about a millisecond.
SECONDS_PER_BODY = 1.0

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

# The start of a line that nests: indentation (four columns a level), quote markers and
# list markers ("- - - x" is three lists inside each other).
LINE_START = re.compile(
    r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*", re.MULTILINE
)
MARKER = re.compile(r">|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])")
RULE = re.compile(r"[ \t>]*(?:[-*_][ \t]*){3,}")


class RefusedMarkdown(ValueError):
    """A body outside the limits; the message says what to change, in editors' words,
    `position` which of the texts given to `render_all` it is, and `rendered` the HTML of
    the texts before it."""

    def __init__(self, message: str, position: int = 0, rendered: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.position = position
        self.rendered = list(rendered)


# Characters that reorder the text around them: "‮txt.exe" shows as "exe.txt". They have
# no use in this site's prose and are removed from everything a release holds.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


def own_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image's address must be on this site (an uploaded image, "/media/..."): one from
    elsewhere would tell that server every reader's address and when she read."""
    if (
        tag == "img"
        and attribute == "src"
        and not (value.startswith("/") and not value.startswith("//") and "\\" not in value)
    ):
        return None
    return value


def sanitise_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; drop script and style bodies,
    images from other sites and bidirectional controls."""
    return nh3.clean(
        without_bidi_controls(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=own_images_only,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Outbound links neither leak the page address nor get access to window.opener.
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def nesting_depth(text: str) -> int:
    """The deepest line's levels: its quote and list markers, and each four columns of
    indentation before them. A line of markers alone ("* * *") is a rule, not lists."""
    depth = 0
    for line in text.splitlines():
        prefix = LINE_START.match(line).group()
        markers = MARKER.findall(prefix)
        if RULE.fullmatch(line):
            markers = [marker for marker in markers if marker == ">"]
        indentation = len(prefix.expandtabs(4)) - len(prefix.expandtabs(4).lstrip(" "))
        depth = max(depth, len(markers) + indentation // 4)
    return depth


def check_limits(text: str) -> None:
    """Raise RefusedMarkdown when `text` is too long or nested too deep to render."""
    if len(text) > MAX_CHARACTERS:
        raise RefusedMarkdown(
            gettext("This text is %(length)s characters long; keep it under %(limit)s.")
            % {
                "length": number_format(len(text), force_grouping=True),
                "limit": number_format(MAX_CHARACTERS, force_grouping=True),
            }
        )
    if nesting_depth(text) > MAX_DEPTH:
        raise RefusedMarkdown(
            gettext("Lists or quotes are nested more than %(depth)s levels deep; flatten them.")
            % {"depth": MAX_DEPTH}
        )


def warm_up() -> None:
    """Import everything rendering needs, in this process (see AdviceConfig.ready)."""
    sanitise_html(markdownify("*warm* [up](/)\n\n- a\n\n| a |\n|---|\n| b |"))


def _render_into(texts: Sequence[str], connection) -> None:
    """In the child: say it has started, then send each body's HTML as soon as it is ready,
    or None if it breaks."""
    connection.send("started")
    for text in texts:
        try:
            connection.send(sanitise_html(markdownify(text)))
        except RecursionError:
            connection.send(None)
    connection.close()


class RenderedMemo:
    """HTML of texts already rendered in this process, the least recently used dropped
    first once they hold more than `budget` characters. A publish renders every body of
    every language though few changed since the last; each rendered body costs a forked
    child. Only successes are kept: a body refused once is tried again, in time."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, text: str) -> str | None:
        with self.lock:
            html = self.entries.get(text)
            if html is not None:
                self.entries.move_to_end(text)
            return html

    def put(self, text: str, html: str) -> None:
        with self.lock:
            if text in self.entries:
                return
            self.entries[text] = html
            self.size += len(text) + len(html)
            while self.size > self.budget and self.entries:
                old_text, old_html = self.entries.popitem(last=False)
                self.size -= len(old_text) + len(old_html)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


# About fifty articles in two languages, a few MB of a worker's memory.
rendered_memo = RenderedMemo(budget=8_000_000)


def _render_in_child(texts: Sequence[str], into: dict[str, str]) -> None:
    """Render each text in a forked child into `into` and the memo as it arrives; raises
    RefusedMarkdown with the position of the first that breaks or runs out of time."""
    if not texts:
        return
    # fork, not spawn: the child starts at once with Markdown already imported.
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_into, args=(texts, sender), daemon=True)
    child.start()
    sender.close()
    try:
        # Each body's clock starts once the child runs: on a machine under load, starting a
        # process can take longer than any ordinary body takes to render. No text is read
        # before this message, so none can delay it.
        receiver.recv()
        for position, text in enumerate(texts):
            if not receiver.poll(SECONDS_PER_BODY):
                raise RefusedMarkdown(
                    gettext(
                        "This text takes too long to turn into a page (over %(seconds)s s); "
                        "look for long runs of brackets, asterisks or underscores."
                    )
                    % {"seconds": f"{SECONDS_PER_BODY:g}"},
                    position,
                )
            html = receiver.recv()
            if html is None:
                raise RefusedMarkdown(
                    gettext("This text is nested too deeply to turn into a page; flatten it."),
                    position,
                )
            into[text] = html
            rendered_memo.put(text, html)
    finally:
        receiver.close()
        child.kill()
        child.join()


def render_all(texts: Sequence[str]) -> list[SafeString]:
    """Each text as sanitised HTML, in order. Raises RefusedMarkdown naming the first text
    (by its position) that breaks a limit, including taking too long to render."""
    texts = [text or "" for text in texts]
    for position, text in enumerate(texts):
        try:
            check_limits(text)
        except RefusedMarkdown as refused:
            raise RefusedMarkdown(refused.message, position, render_all(texts[:position])) from None
    found = {text: rendered_memo.get(text) for text in texts if text}
    missing = [text for text, html in found.items() if html is None]
    try:
        _render_in_child(missing, into=found)
    except RefusedMarkdown as refused:
        position = texts.index(missing[refused.position])
        rendered = [mark_safe(found.get(text) or "") for text in texts[:position]]  # noqa: S308
        raise RefusedMarkdown(refused.message, position, rendered) from None
    # Sanitised in the child, whether now or when the memo kept it.
    return [mark_safe(found[text]) if text else SafeString("") for text in texts]  # noqa: S308


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitised HTML, safe to put in a template unescaped. Raises
    RefusedMarkdown when the text breaks a limit."""
    return render_all([text])[0]


def as_plain_text(text: str) -> SafeString:
    """A text that cannot be rendered, shown as what it is: escaped paragraphs."""
    return linebreaks(escape(text))


def validate_markdown(text: str) -> None:
    """A model field validator: editors learn about a body that breaks a limit when they
    save it, not when they publish."""
    try:
        render_markdown(text)
    except RefusedMarkdown as refused:
        raise ValidationError(refused.message, code="markdown") from None
