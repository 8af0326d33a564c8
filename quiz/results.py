"""A reader's result page: the scoring result joined with the article's words.

Everything the page says about the article (how many reasons it gives, where its warning
signs are) is read from the article her questionnaire draws on, in her version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from advice.kinds import ITEM_KIND_VALUES, ItemKind
from advice.releases import PublishedArticle, PublishedContent

from . import emergency, scoring, support_lines
from .models import QuizSession
from .snapshot import PublishedQuestionnaire


@dataclass(frozen=True)
class ShownItem:
    slug: str
    kind: str  # an ItemKind value
    number: int
    title: str
    body_html: SafeString
    article_url: str
    strength_percent: int
    likely: bool
    because: tuple[str, ...]
    # `because` in one line to scan (in_short); empty on a page cached before it existed.
    because_in_short: str = ""

    @property
    def is_reason(self) -> bool:
        """Reasons show how strongly her answers point to them."""
        return self.kind == ItemKind.REASONS


@dataclass(frozen=True)
class ArticleSection:
    """Where the article lists the items of one kind, and how many it lists."""

    url: str
    count: int


def sections_of(article: PublishedArticle | None) -> dict[str, ArticleSection]:
    """Item kind → the article's section of that kind (none when it has none)."""
    if article is None:
        return {}
    url = article.get_absolute_url()
    return {
        section.kind: ArticleSection(f"{url}#{section.slug}", len(section.public_items))
        for section in article.public_sections
        if section.kind in ITEM_KIND_VALUES
    }


@dataclass(frozen=True)
class ResultPage:
    verdict_title: str
    verdict_html: SafeString
    cannot_know_html: SafeString
    reasons: tuple[ShownItem, ...]
    ways: tuple[ShownItem, ...]
    signs: tuple[ShownItem, ...]
    safety_notice: bool
    # For what the page says when a kind has nothing to show: "the five reasons".
    in_article: dict[str, ArticleSection] = field(default_factory=dict)
    safety_title: str = ""
    safety_html: SafeString = SafeString("")
    safety_because: tuple[str, ...] = ()
    resources: tuple = field(default_factory=tuple)
    # Every country's emergency number in her version (quiz/emergency.py): the view picks
    # hers (quiz/places.py), so one cached page serves readers anywhere.
    emergency_numbers: tuple = ()


def describe(cause: scoring.Cause, rules: scoring.Rules) -> str:
    """A cause in the reader's words: what she said, or which reason seems likely."""
    if cause.reason_slug is not None:
        reason = rules.items_by_slug.get(cause.reason_slug)
        title = reason.title if reason else cause.reason_slug
        return gettext("“%(reason)s” seems likely") % {"reason": title}
    choice = rules.choice(cause.choice_id)
    question = rules.questions_by_id.get(cause.question_id)
    if choice is None or question is None:
        return gettext("one of your answers")
    return gettext("you answered “%(answer)s” to “%(question)s”") % {
        "answer": choice.text,
        "question": question.text,
    }


def in_short(causes: tuple[scoring.Cause, ...], rules: scoring.Rules) -> str:
    """Why an item is shown, in one line she can scan: the reasons that seem likely and the
    answers she gave, without the questions they answer (the full `describe` lines say
    those, folded away with the article's words):
    "Because “He’s stressed” seems likely and you answered “Several years” and “No”."
    """
    reasons, answers = [], []
    for cause in causes:
        if cause.reason_slug is not None:
            reason = rules.items_by_slug.get(cause.reason_slug)
            reasons.append(f"“{reason.title if reason else cause.reason_slug}”")
        elif (choice := rules.choice(cause.choice_id)) is not None:
            answers.append(f"“{choice.text}”")
    parts = []
    if reasons:
        parts.append(
            ngettext("%(reasons)s seems likely", "%(reasons)s seem likely", len(reasons))
            % {"reasons": get_text_list(reasons, gettext("and"))}
        )
    if answers:
        answered = get_text_list(answers, gettext("and"))
        parts.append(gettext("you answered %(answers)s") % {"answers": answered})
    if not parts:
        return ""
    return gettext("Because %(why)s.") % {"why": get_text_list(parts, gettext("and"))}


def result_page_for(session: QuizSession) -> ResultPage | None:
    """A completed session's result page, as its published version scores it.

    Her answers are final and her version never changes, so neither does the page: it is
    cached by token, version and the language it is read in (its words and links are in
    that language). None when her version no longer holds the questionnaire.
    """
    content = session.published_content()
    if content is None or session.questionnaire_id not in content.parts["questionnaires"]:
        return None
    key = f"quiz:result:{session.token}:{content.stamp}:{content.language}"
    page = cache.get(key)
    if page is None:
        questionnaire = content.parts["questionnaires"][session.questionnaire_id]
        page = build_result_page(content, questionnaire, session.scored_answers())
        cache.set(key, page, settings.CONTENT_CACHE_SECONDS)
    return page


def build_result_page(
    content: PublishedContent, questionnaire: PublishedQuestionnaire, answers: scoring.Answers
) -> ResultPage:
    """What `answers` give under one version (published, or a draft being previewed)."""
    rules = questionnaire.rules
    result = scoring.score(rules, answers)
    article = content.article(article_id=questionnaire.article_id)
    bodies = article.items_by_slug if article else {}
    article_url = article.get_absolute_url() if article else ""
    likely = {r.slug for r in result.likely_reasons}

    def show(scored: scoring.ScoredItem) -> ShownItem:
        item = rules.items_by_slug[scored.slug]
        body = bodies.get(scored.slug)
        return ShownItem(
            slug=scored.slug,
            kind=item.kind,
            number=item.number,
            title=item.title,
            body_html=body.body_html if body else SafeString(""),
            article_url=f"{article_url}#{scored.slug}",
            strength_percent=round(100 * scored.strength),
            likely=scored.slug in likely,
            because=tuple(describe(cause, rules) for cause in scored.causes),
            because_in_short=in_short(scored.causes, rules),
        )

    verdict = questionnaire.verdicts.get(result.verdict.slug) if result.verdict else None
    return ResultPage(
        verdict_title=verdict.title
        if verdict
        else gettext("Your answers, side by side with the article"),
        verdict_html=verdict.body_html if verdict else SafeString(""),
        cannot_know_html=questionnaire.cannot_know_html,
        reasons=tuple(show(s) for s in result.reasons),
        ways=tuple(show(s) for s in result.ways),
        signs=tuple(show(s) for s in result.signs),
        safety_notice=result.safety_notice,
        in_article=sections_of(article),
        safety_title=questionnaire.safety_title,
        safety_html=questionnaire.safety_html if result.safety_notice else SafeString(""),
        safety_because=tuple(describe(c, rules) for c in result.safety_causes),
        resources=support_lines.lines_for(content, questionnaire) if result.safety_notice else (),
        emergency_numbers=emergency.numbers_in(content) if result.safety_notice else (),
    )
