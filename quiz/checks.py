"""The questionnaire's part of the checks before publishing (advice/content_checks.py).

Support lines are what a reader in danger acts on: a number that does not work where she
is, or an address sent over plain http, blocks publishing; a line not checked against its
public source for six months, or one its source did not fully confirm, is a warning.
The questionnaire's own texts (introduction, safety text, verdicts) often send her to an
article's item: a link there that would lead nowhere blocks publishing too.
"""

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from advice.checks import check_due, phone_problem, web_address_problem
from advice.content_checks import Finding, about, admin_url, article_paths, said, text_findings

from .models import Questionnaire, SupportResource

TEXTS = (
    ("intro_html", gettext_noop("Questionnaire “%(title)s”, introduction,")),
    ("cannot_know_html", gettext_noop("Questionnaire “%(title)s”, what it cannot know,")),
    ("safety_html", gettext_noop("Questionnaire “%(title)s”, safety text,")),
)


def part_findings(content: dict, warnings: bool = True) -> list[Finding]:
    """Findings about the questionnaires a release's `content` would hold."""
    questionnaires = content["questionnaires"]
    return text_links(questionnaires, article_paths(content["articles"])) + support_lines(
        questionnaires, warnings
    )


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


def support_lines(questionnaires: list[dict], warnings: bool) -> list[Finding]:
    """Findings about the support lines a release would hold: those marked published of
    its questionnaires (one query)."""
    resources = SupportResource.objects.filter(
        questionnaire__in=[q["id"] for q in questionnaires], is_published=True
    ).select_related("questionnaire")
    today = timezone.localdate()
    found = []
    for resource in resources.order_by("questionnaire", "position", "pk"):
        name = gettext("Support resource “%(line)s” of “%(questionnaire)s”") % {
            "line": resource.name,
            "questionnaire": resource.questionnaire.title,
        }
        url = admin_url(SupportResource, resource.pk)
        if problem := phone_problem(resource.phone, resource.country):
            found.append(Finding(about(name, said(problem)), url, True))
        if problem := web_address_problem(resource.url):
            found.append(Finding(about(name, said(problem)), url, True))
        if not warnings or not (resource.phone or resource.url):
            continue  # nothing to dial or open: nothing to check against a source
        if due := check_due(resource.checked_on, today):
            found.append(Finding(said(due, row=name), url, False))
        if resource.unconfirmed:
            text = gettext("%(row)s needs a check: its source did not confirm %(what)s.") % {
                "row": name,
                "what": resource.unconfirmed,
            }
            found.append(Finding(text, url, False))
    return found
