"""The questionnaire's part of "what publishing would leave out" (advice/omissions.py).

A release holds the questionnaires marked published whose article is published too, and
the support resources marked published (quiz/snapshot.py); a rule scores only items its
readers can see. What falls outside those rules is listed here, naming the row.
"""

from django.db.models import F

from advice.models import Item
from advice.omissions import Omission, omission

from .models import ChoiceRule, Questionnaire, ReasonRule, SupportResource


def questionnaire_omissions() -> list[Omission]:
    """Questionnaires and resources left out, and rules that would do nothing (six queries)."""
    found = []
    published = []
    for questionnaire in Questionnaire.objects.select_related("article").order_by("pk"):
        name, article = f"“{questionnaire.title}”", f"“{questionnaire.article.title}”"
        if not questionnaire.is_published:
            text = f"Questionnaire {name} is not published: left out."
        elif not questionnaire.article.is_published:
            text = f"Questionnaire {name} is left out: its article {article} is not published."
        else:
            published.append(questionnaire.pk)
            continue
        found.append(omission(questionnaire, text))
    resources = SupportResource.objects.filter(questionnaire__in=published, is_published=False)
    found += [
        omission(
            resource,
            f"Support resource “{resource.name}” of “{resource.questionnaire.title}” is not "
            "published: left out.",
        )
        for resource in resources.select_related("questionnaire").order_by("position", "pk")
    ]
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
        text = f"The rule “{rule.choice.text}” → “{rule.item.title}” scores nothing: "
        found.append(omission(rule, text + unseen(rule.item, questionnaire)))
    for field in ("reason", "way"):
        reason_rules = ReasonRule.objects.filter(questionnaire__in=questionnaire_ids).exclude(
            **{f"{field}__in": seen, f"{field}__section__article": F("questionnaire__article")}
        )
        for rule in reason_rules.select_related(
            "questionnaire__article", f"{field}__section__article", "reason", "way"
        ).order_by("pk"):
            item = getattr(rule, field)
            text = f"The reason rule “{rule.reason.title}” → “{rule.way.title}” does nothing: "
            found.append(omission(rule, text + unseen(item, rule.questionnaire)))
    return found


def unseen(item: Item, questionnaire: Questionnaire) -> str:
    """Why the questionnaire's readers never see `item`, naming it."""
    why = item.why_hidden() or (
        f"is not in “{questionnaire.article.title}”, the article of “{questionnaire.title}”"
    )
    return f"“{item.title}” {why}."
