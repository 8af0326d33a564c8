"""A reader's result page: the scoring result joined with the article's words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from advice.markdown import render_markdown
from advice.models import Item

from . import scoring
from .models import QuizSession


@dataclass(frozen=True)
class ShownItem:
    slug: str
    number: int
    title: str
    body_html: SafeString
    article_url: str
    strength_percent: int
    likely: bool
    because: tuple[str, ...]


@dataclass(frozen=True)
class ResultPage:
    verdict_title: str
    verdict_html: SafeString
    cannot_know_html: SafeString
    reasons: tuple[ShownItem, ...]
    ways: tuple[ShownItem, ...]
    signs: tuple[ShownItem, ...]
    safety_notice: bool
    safety_title: str = ""
    safety_html: SafeString = SafeString("")
    safety_because: tuple[str, ...] = ()
    resources: tuple = field(default_factory=tuple)


def describe(cause: scoring.Cause, rules: scoring.Rules) -> str:
    """A cause in the reader's words: what she said, or which reason seems likely."""
    if cause.reason_slug is not None:
        reason = rules.items_by_slug.get(cause.reason_slug)
        return f"“{reason.title if reason else cause.reason_slug}” seems likely"
    choice = rules.choice(cause.choice_id)
    question = rules.questions_by_id.get(cause.question_id)
    if choice is None or question is None:
        return "one of your answers"
    return f"you answered “{choice.text}” to “{question.text}”"


def build_result_page(
    session: QuizSession, rules: scoring.Rules, answers: scoring.Answers
) -> ResultPage:
    questionnaire = session.questionnaire
    result = scoring.score(rules, answers)
    shown = [*result.reasons, *result.ways, *result.signs]
    bodies = dict(Item.objects.filter(slug__in=[s.slug for s in shown]).values_list("slug", "body"))
    article_url = questionnaire.article.get_absolute_url()
    likely = {r.slug for r in result.likely_reasons}

    def show(scored: scoring.ScoredItem) -> ShownItem:
        item = rules.items_by_slug[scored.slug]
        return ShownItem(
            slug=scored.slug,
            number=item.number,
            title=item.title,
            body_html=render_markdown(bodies.get(scored.slug, "")),
            article_url=f"{article_url}#{scored.slug}",
            strength_percent=round(100 * scored.strength),
            likely=scored.slug in likely,
            because=tuple(describe(cause, rules) for cause in scored.causes),
        )

    verdict = None
    if result.verdict is not None:
        verdict = questionnaire.verdicts.filter(slug=result.verdict.slug).first()
    resources = ()
    if result.safety_notice:
        resources = tuple(questionnaire.support_resources.filter(is_published=True))
    return ResultPage(
        verdict_title=verdict.title if verdict else "Your answers, side by side with the article",
        verdict_html=render_markdown(verdict.body if verdict else ""),
        cannot_know_html=render_markdown(questionnaire.cannot_know),
        reasons=tuple(show(s) for s in result.reasons),
        ways=tuple(show(s) for s in result.ways),
        signs=tuple(show(s) for s in result.signs),
        safety_notice=result.safety_notice,
        safety_title=questionnaire.safety_title,
        safety_html=render_markdown(questionnaire.safety_text) if result.safety_notice else "",
        safety_because=tuple(describe(c, rules) for c in result.safety_causes),
        resources=resources,
    )
