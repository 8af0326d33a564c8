"""Editors' Markdown reaches readers as HTML that cannot run script."""

import json

import pytest

from advice.markdown import render_markdown
from advice.models import Item, Release
from advice.releases import publish
from quiz.models import Choice

from .html import soup as _soup

HOSTILE_MARKDOWN = {
    "script tag": "<script>alert(1)</script>",
    "script split over lines": "<script>\nalert(1)\n</script>",
    "uppercase script": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "svg onload": '<svg onload="alert(1)"><circle r="1"/></svg>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "javascript link in markdown": "[click me](javascript:alert(1))",
    "javascript link with entities": "[click](jav&#x61;script:alert(1))",
    "javascript link in html": '<a href="javascript:alert(1)">click</a>',
    "javascript link with whitespace": '<a href=" javascript:alert(1)">click</a>',
    "data url link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data url image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "style element": "<style>body{display:none}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "event handler on a paragraph": '<p onclick="alert(1)">click</p>',
    "object embed": '<object data="evil.swf"></object><embed src="evil.swf">',
    "form with formaction": '<form><button formaction="javascript:alert(1)">x</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "math with xlink": '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "unclosed attribute trick": "<img src=x onerror=alert(1)//",
    "html comment hiding script": "<!--<script>alert(1)</script>-->",
    "link element": '<link rel="stylesheet" href="https://evil.example/x.css">',
}

DANGEROUS_TAGS = {"script", "iframe", "svg", "style", "object", "embed", "form", "meta", "base",
                  "link", "math", "button"}  # fmt: skip


def dangers_in(html: str) -> list[str]:
    found = []
    for element in _soup_of(html).find_all(True):
        if element.name in DANGEROUS_TAGS:
            found.append(element.name)
        for attribute, value in element.attrs.items():
            if attribute.startswith("on") or attribute in {"style", "srcdoc", "formaction"}:
                found.append(f"{element.name}[{attribute}]")
            if attribute in {"href", "src"}:
                scheme = "".join(str(value).split()).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    found.append(f"{element.name}[{attribute}={value}]")
    return found


def _soup_of(html: str):
    class Page:
        content = html.encode()

    return _soup(Page)


@pytest.mark.parametrize("markdown", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN.keys())
def test_hostile_markdown_is_defused(markdown):
    html = render_markdown(markdown)
    assert dangers_in(html) == []


def test_there_are_at_least_fifteen_hostile_cases():
    assert len(HOSTILE_MARKDOWN) >= 15


def test_the_checker_itself_spots_danger():
    """Guard against a checker that passes everything."""
    assert dangers_in('<img src=x onerror="alert(1)"><a href="javascript:x">a</a>') == [
        "img[onerror]",
        "a[href=javascript:x]",
    ]


def test_script_content_is_dropped_not_shown_as_text():
    assert "alert" not in render_markdown("Hello <script>alert(1)</script> world")


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("## A heading", "<h2>A heading</h2>"),
        ("*soft* and **strong**", "<em>soft</em> and <strong>strong</strong>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. first\n2. second", "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        (
            "[a link](https://example.org/page)",
            '<a href="https://example.org/page" rel="noopener noreferrer">a link</a>',
        ),
        ("[an anchor](#reason-stressed)", 'href="#reason-stressed"'),
        ("![a photo](/media/a.png)", '<img alt="a photo" src="/media/a.png">'),
        ("[write](mailto:help@example.org)", 'href="mailto:help@example.org"'),
    ],
)
def test_ordinary_markdown_keeps_its_formatting(markdown, expected):
    assert expected in render_markdown(markdown)


def test_empty_body_renders_empty():
    assert render_markdown("") == ""


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidirectional_controls_are_removed():
    """ "‮txt.exe" would show as "exe.txt": a way to disguise a link or a number."""
    html = render_markdown(
        f"Call {BIDI_CONTROLS}0800 123 [here](https://example.org/{BIDI_CONTROLS})"
    )
    assert not set(BIDI_CONTROLS) & set(html)
    assert "0800 123" in html


@pytest.mark.parametrize(
    "source",
    [
        "https://evil.example/pixel.png",
        "http://evil.example/pixel.png",
        "//evil.example/pixel.png",
        "/\\evil.example/pixel.png",
        "data:image/png;base64,AAAA",
    ],
)
def test_images_from_other_sites_lose_their_address(source):
    html = render_markdown(f'![a pixel]({source}) and <img src="{source}" alt="b">')
    assert "evil.example" not in html and "data:" not in html
    assert 'alt="a pixel"' in html


def test_the_site_s_own_images_stay():
    html = render_markdown("![A calm beach](/media/article-images/beach.jpg)")
    image = _soup_of(html).img
    assert (image["src"], image["alt"]) == ("/media/article-images/beach.jpg", "A calm beach")


@pytest.mark.django_db
def test_titles_and_answers_reach_readers_without_bidirectional_controls(questionnaire, client):
    Item.objects.filter(slug="reason-stressed").update(title=f"He’s {BIDI_CONTROLS}stressed")
    Choice.objects.filter(pk=Choice.objects.first().pk).update(text=f"Yes{BIDI_CONTROLS}")
    publish()
    published = json.dumps(Release.objects.live().first().content, ensure_ascii=False)
    assert not set(BIDI_CONTROLS) & set(published)
    assert not set(BIDI_CONTROLS) & set(client.get("/").content.decode())
