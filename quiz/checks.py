"""The questionnaire's part of the checks before publishing (advice/content_checks.py).

The support lines have checks of their own (quiz/support_lines.py).
The questionnaire's own texts (introduction, safety text, verdicts) often send her to an
article's item: a link there that would lead nowhere blocks publishing too.
"""

from django.utils.translation import gettext, gettext_noop

from advice.content_checks import Finding, admin_url, article_paths, text_findings

from .models import Questionnaire

TEXTS = (
    ("intro_html", gettext_noop("Questionnaire “%(title)s”, introduction,")),
    ("cannot_know_html", gettext_noop("Questionnaire “%(title)s”, what it cannot know,")),
    ("safety_html", gettext_noop("Questionnaire “%(title)s”, safety text,")),
)


def part_findings(content: dict, warnings: bool = True) -> list[Finding]:
    """Findings about the questionnaires a release's `content` would hold."""
    return text_links(content["questionnaires"], article_paths(content["articles"]))


def text_links(questionnaires: list[dict], paths: dict) -> list[Finding]:
    """Links in the questionnaires' texts that would lead nowhere (no query)."""
    found = []
    for q in questionnaires:
        url = admin_url(Questionnaire, q["id"])
        for key, label in TEXTS:
            label = gettext(label) % {"title": q["title"]}
            found += text_findings(q.get(key, ""), label, url, None, paths, False)
        for verdict in q["verdicts"]:
            label = gettext("Questionnaire “%(title)s”, verdict “%(verdict)s”,") % {
                "title": q["title"],
                "verdict": verdict["title"],
            }
            found += text_findings(verdict.get("body_html", ""), label, url, None, paths, False)
    return found
