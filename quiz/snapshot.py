"""The questionnaire and its rules as plain `scoring` data, built once and cached.

Every questionnaire page needs the questions, choices and rules. They change only when an
editor saves something, and every such save moves `Questionnaire.updated_at` (and item
changes move `Article.updated_at`), so the cache key includes both stamps: a stale
snapshot is never used, in any process, whatever the cache backend.
"""

from django.conf import settings
from django.core.cache import cache

from advice.models import Item

from . import scoring
from .models import ChoiceRule, Question, Questionnaire


def cache_key(questionnaire: Questionnaire) -> str:
    article_stamp = questionnaire.article.updated_at.timestamp()
    return f"quiz:rules:{questionnaire.pk}:{questionnaire.updated_at.timestamp()}:{article_stamp}"


def scoring_items(items) -> list[scoring.Item]:
    """Published items of the scored kinds, in reading order, numbered as the article does."""
    numbered, number_in_section = [], {}
    for position, item in enumerate(items):
        kind = item.section.kind
        number_in_section[kind] = number_in_section.get(kind, 0) + 1
        if kind in (scoring.REASON, scoring.WAY, scoring.SIGN):
            numbered.append(
                scoring.Item(
                    slug=item.slug,
                    kind=kind,
                    position=position,
                    title=item.title,
                    number=number_in_section[kind],
                )
            )
    return numbered


def build_rules(questionnaire: Questionnaire) -> scoring.Rules:
    """Read the questionnaire's rows into a `scoring.Rules` (five queries)."""
    questions = Question.objects.filter(questionnaire=questionnaire).prefetch_related("choices")
    # Sections are published too, so items are numbered exactly as readers see them.
    items = Item.objects.published().filter(section__article_id=questionnaire.article_id)
    items = items.select_related("section").order_by("section__position", "position", "pk")
    choice_rules = ChoiceRule.objects.filter(choice__question__questionnaire=questionnaire)
    return scoring.Rules(
        questions=tuple(
            scoring.Question(
                id=q.pk,
                position=q.position,
                text=q.text,
                help_text=q.help_text,
                multiple=q.is_multiple,
                show_if_choice_id=q.show_if_choice_id,
                choices=tuple(
                    scoring.Choice(
                        id=c.pk,
                        question_id=q.pk,
                        text=c.text,
                        raises_safety_notice=c.raises_safety_notice,
                    )
                    for c in q.choices.all()
                ),
            )
            for q in questions
        ),
        items=tuple(scoring_items(items)),
        choice_rules=tuple(
            scoring.ChoiceRule(choice_id=choice_id, item_slug=slug, weight=weight)
            for choice_id, slug, weight in choice_rules.values_list(
                "choice_id", "item__slug", "weight"
            )
        ),
        reason_rules=tuple(
            scoring.ReasonRule(reason_slug=reason, way_slug=way, weight=weight)
            for reason, way, weight in questionnaire.reason_rules.values_list(
                "reason__slug", "way__slug", "weight"
            )
        ),
        verdicts=tuple(
            scoring.Verdict(slug=slug, title=title, min_level=level)
            for slug, title, level in questionnaire.verdicts.values_list(
                "slug", "title", "min_level"
            )
        ),
        thresholds=scoring.Thresholds(
            likely_reason_score=questionnaire.likely_reason_score,
            recommend_way_score=questionnaire.recommend_way_score,
            max_ways=questionnaire.max_ways,
            sign_score=questionnaire.sign_score,
            safety_min_level=questionnaire.safety_min_level,
        ),
    )


def rules_for(questionnaire: Questionnaire) -> scoring.Rules:
    """The questionnaire's rules, from the cache when nothing has changed since."""
    key = cache_key(questionnaire)
    rules = cache.get(key)
    if rules is None:
        rules = build_rules(questionnaire)
        cache.set(key, rules, settings.ARTICLE_CACHE_SECONDS)
    return rules
