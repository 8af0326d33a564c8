"""The questionnaire's part of "what publishing would leave out" (advice/omissions.py).

A release holds the questionnaires marked published whose article is published too
(quiz/snapshot.py; the support lines have their own list, quiz/support_lines.py); a rule
scores only items its readers can see. What falls outside those rules is listed here,
naming the row.
"""

from django.db.models import F
from django.utils.translation import gettext

from advice.models import Item
from advice.omissions import Omission, omission

from .models import ChoiceRule, Questionnaire, ReasonRule


def questionnaire_omissions() -> list[Omission]:
    """Questionnaires left out, and rules that would do nothing (five queries)."""
    found = []
    published = []
    for questionnaire in Questionnaire.objects.select_related("article").order_by("pk"):
        names = {"questionnaire": questionnaire.title, "article": questionnaire.article.title}
        if not questionnaire.is_published:
            text = gettext("Questionnaire “%(questionnaire)s” is not published: left out.") % names
        elif not questionnaire.article.is_published:
            text = (
                gettext(
                    "Questionnaire “%(questionnaire)s” is left out: its article “%(article)s” is "
                    "not published."
                )
                % names
            )
        else:
            published.append(questionnaire.pk)
            continue
        found.append(omission(questionnaire, text))
    return found + silent_rules(published)


def silent_rules(questionnaire_ids: list[int]) -> list[Omission]:
    """Rules of published questionnaires for items their readers never see: saving such a
    rule is refused, but an item can be unpublished (or moved) after its rule was made."""
    seen = Item.objects.published().values("pk")
    found = []
    choice_rules = ChoiceRule.objects.filter(
        choice__question__questionnaire__in=questionnaire_ids
    ).exclude(item__in=seen, item__section__article=F("choice__question__questionnaire__article"))
    for rule in choice_rules.select_related(
        "choice__question__questionnaire__article", "item__section__article"
    ).order_by("pk"):
        questionnaire = rule.choice.question.questionnaire
        text = gettext("The rule “%(choice)s” → “%(item)s” scores nothing. %(why)s") % {
            "choice": rule.choice.text,
            "item": rule.item.title,
            "why": unseen(rule.item, questionnaire),
        }
        found.append(omission(rule, text))
    for field in ("reason", "way"):
        reason_rules = ReasonRule.objects.filter(questionnaire__in=questionnaire_ids).exclude(
            **{f"{field}__in": seen, f"{field}__section__article": F("questionnaire__article")}
        )
        for rule in reason_rules.select_related(
            "questionnaire__article", f"{field}__section__article", "reason", "way"
        ).order_by("pk"):
            item = getattr(rule, field)
            text = gettext("The reason rule “%(reason)s” → “%(way)s” does nothing. %(why)s") % {
                "reason": rule.reason.title,
                "way": rule.way.title,
                "why": unseen(item, rule.questionnaire),
            }
            found.append(omission(rule, text))
    return found


def unseen(item: Item, questionnaire: Questionnaire) -> str:
    """Why the questionnaire's readers never see `item`: a sentence naming it."""
    return item.why_hidden() or gettext(
        "“%(item)s” is not in “%(article)s”, the article of “%(questionnaire)s”."
    ) % {
        "item": item.title,
        "article": questionnaire.article.title,
        "questionnaire": questionnaire.title,
    }
