"""A reader's result page: the scoring result joined with the article's words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString

from advice.markdown import render_markdown
from advice.models import Article, Item

from . import scoring
from .models import QuizSession
from .snapshot import cache_key as snapshot_key


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


def item_bodies(article: Article) -> dict[str, SafeString]:
    """Every published item's body as sanitised HTML, rendered once per article version.

    A result page shows up to a dozen bodies, and rendering Markdown is most of its cost.
    The key holds the article's last change, which every edit moves: no stale copy is used.
    """
    key = f"advice:item-bodies:{article.pk}:{article.updated_at.timestamp()}"
    bodies = cache.get(key)
    if bodies is None:
        rows = Item.objects.published().filter(section__article=article)
        bodies = {slug: render_markdown(body) for slug, body in rows.values_list("slug", "body")}
        cache.set(key, bodies, settings.ARTICLE_CACHE_SECONDS)
    return bodies


def result_page_for(session: QuizSession, rules: scoring.Rules) -> ResultPage:
    """A completed session's result page, cached until the rules or the article change.

    Its answers are final, so only an editor's change can alter the page; the key holds
    the same stamps as the rules snapshot.
    """
    key = f"quiz:result:{session.token}:{snapshot_key(session.questionnaire)}"
    page = cache.get(key)
    if page is None:
        page = build_result_page(session, rules, session.answer_map())
        cache.set(key, page, settings.ARTICLE_CACHE_SECONDS)
    return page


def build_result_page(
    session: QuizSession, rules: scoring.Rules, answers: scoring.Answers
) -> ResultPage:
    questionnaire = session.questionnaire
    result = scoring.score(rules, answers)
    bodies = item_bodies(questionnaire.article)
    article_url = questionnaire.article.get_absolute_url()
    likely = {r.slug for r in result.likely_reasons}

    def show(scored: scoring.ScoredItem) -> ShownItem:
        item = rules.items_by_slug[scored.slug]
        return ShownItem(
            slug=scored.slug,
            number=item.number,
            title=item.title,
            body_html=bodies.get(scored.slug, SafeString("")),
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
