"""The questionnaire and its rules as plain `scoring` data: in the draft, and published.

Readers are asked and scored under a published version (`advice.Release`): this module
writes the questionnaire's part of a release (`build_part`) and reads it back as a
`PublishedQuestionnaire` (`read_part`), with its rules as `scoring.Rules`.

Editors' tools (coverage report, statistics) look at the draft: `rules_for` builds its
rules from the rows. They change only when an editor saves something, and every such save
moves `Questionnaire.updated_at` (and item changes move `Article.updated_at`), so the cache
key includes both stamps: a stale snapshot is never used, in any process, whatever the
cache backend.
"""

from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

from advice.checks import Problem
from advice.kinds import ITEM_KIND_VALUES
from advice.models import Item
from advice.release_languages import (
    digest_of,
    is_published_in,
    overlay,
    published_languages,
    translated_markdown,
    with_translations,
)
from advice.releases import (
    MarkdownField,
    PublishedContent,
    PublishedItem,
    from_json,
    language_said,
    read_item,
    stored_html,
)

from . import scoring, support_lines
from .models import Choice, ChoiceRule, Question, Questionnaire
from .support_lines import PublishedResource


def cache_key(questionnaire: Questionnaire) -> str:
    article_stamp = questionnaire.article.updated_at.timestamp()
    return f"quiz:rules:{questionnaire.pk}:{questionnaire.updated_at.timestamp()}:{article_stamp}"


def scoring_items(items) -> list[scoring.Item]:
    """Published items of the scored kinds, in reading order, numbered as the article does."""
    numbered, number_in_section = [], {}
    for position, item in enumerate(items):
        kind = item.section.kind
        number_in_section[kind] = number_in_section.get(kind, 0) + 1
        if kind in ITEM_KIND_VALUES:
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
        cache.set(key, rules, settings.CONTENT_CACHE_SECONDS)
    return rules


# -- The questionnaire as published in a release (see advice/releases.py) -----------------


@dataclass(frozen=True)
class PublishedQuestionnaire:
    """What readers of one release see of a questionnaire: its texts and its rules."""

    id: int
    slug: str
    title: str
    article_id: int
    intro: str
    minutes: int
    cannot_know: str
    safety_title: str
    safety_text: str
    rules: scoring.Rules
    verdicts: dict[str, PublishedItem]  # a verdict reads like an item: a title, a Markdown body
    # Its own support lines, in releases from before they were site-wide (format 3 and
    # older); newer releases hold none here (quiz/support_lines.py).
    resources: tuple[PublishedResource, ...] = ()
    intro_html: SafeString = SafeString("")
    cannot_know_html: SafeString = SafeString("")
    safety_html: SafeString = SafeString("")
    # The languages readers get it in, and a digest of its translations (for the list of
    # changes). Older releases are English only.
    languages: tuple[str, ...] = ("en",)
    translations_digest: str = ""

    def get_absolute_url(self) -> str:
        """Its start page, at its own address."""
        return reverse("quiz:start", args=[self.slug])


TEXT_FIELDS = ("slug", "title", "intro", "minutes", "cannot_know", "safety_title", "safety_text")
# What a translation may change (the rest, slugs and numbers, is the same in every language).
TRANSLATED = {
    "questionnaire": ("title", "intro", "cannot_know", "safety_title", "safety_text"),
    "question": ("text", "help_text"),
    "choice": ("text",),
    "verdict": ("title", "body"),
    "resource": support_lines.TRANSLATED,
}


def questionnaire_content(questionnaire: Questionnaire) -> dict:
    """A published questionnaire as a release holds it: JSON-ready, its translations beside
    each English text (advice/release_languages.py)."""
    article_languages = published_languages(questionnaire.article.translations.all())
    data = {
        "id": questionnaire.pk,
        "article_id": questionnaire.article_id,
        **{name: getattr(questionnaire, name) for name in TEXT_FIELDS},
        # A language reaches readers once both translations are published: the
        # questionnaire's results are the article's items.
        "languages": [
            language
            for language in published_languages(questionnaire.translations.all())
            if language in article_languages
        ],
        "rules": rules_with_translations(asdict(build_rules(questionnaire)), questionnaire),
        "verdicts": [
            with_translations(
                {"slug": v.slug, "title": v.title, "body": v.body}, v, TRANSLATED["verdict"]
            )
            for v in questionnaire.verdicts.all()
        ],
    }
    return with_translations(data, questionnaire, TRANSLATED["questionnaire"])


def rules_with_translations(rules: dict, questionnaire: Questionnaire) -> dict:
    """The rules' questions and answers with their translations: scoring reads ids only,
    so every language is scored by the same rules."""
    questions = {q.pk: q for q in Question.objects.filter(questionnaire=questionnaire)}
    choices = {c.pk: c for c in Choice.objects.filter(question__questionnaire=questionnaire)}
    return {
        **rules,
        "questions": [
            with_translations(
                {
                    **q,
                    "choices": [
                        with_translations(c, choices[c["id"]], TRANSLATED["choice"])
                        for c in q["choices"]
                    ],
                },
                questions[q["id"]],
                TRANSLATED["question"],
            )
            for q in rules["questions"]
        ],
    }


def localize_part(questionnaires: list[dict], language: str, content: dict) -> list[dict]:
    """The questionnaires as readers of `language` get them (advice/releases.py): item
    titles in results come from the article, as that language's readers see it."""
    titles = {
        item["slug"]: item["title"]
        for article in content["articles"]
        for section in article["sections"]
        for item in section["items"]
    }
    return [localize_questionnaire(q, language, titles) for q in questionnaires]


def localize_questionnaire(data: dict, language: str, item_titles: dict) -> dict:
    on = is_published_in(data, language)
    verdicts = [overlay(v, language, TRANSLATED["verdict"], on) for v in data["verdicts"]]
    verdict_titles = {v["slug"]: v["title"] for v in verdicts}
    rules = data["rules"]
    return {
        **overlay(data, language, TRANSLATED["questionnaire"], on),
        "verdicts": verdicts,
        "resources": [
            overlay(r, language, TRANSLATED["resource"], on) for r in data.get("resources", ())
        ],
        "rules": {
            **rules,
            "questions": [
                {
                    **overlay(q, language, TRANSLATED["question"], on),
                    "choices": [
                        overlay(c, language, TRANSLATED["choice"], on) for c in q["choices"]
                    ],
                }
                for q in rules["questions"]
            ],
            "items": [
                {**item, "title": item_titles.get(item["slug"], item.get("title", ""))}
                for item in rules["items"]
            ],
            "verdicts": [
                {**v, "title": verdict_titles.get(v["slug"], v["title"])} for v in rules["verdicts"]
            ],
        },
    }


def build_part() -> list[dict]:
    """Every published questionnaire of a published article, for a release."""
    questionnaires = Questionnaire.objects.published().filter(article__is_published=True)
    return [questionnaire_content(q) for q in questionnaires.order_by("pk")]


def rules_from_json(data: dict) -> scoring.Rules:
    def many(cls, rows):
        return tuple(from_json(cls, row) for row in rows)

    return from_json(
        scoring.Rules,
        data,
        questions=tuple(
            from_json(scoring.Question, q, choices=many(scoring.Choice, q["choices"]))
            for q in data["questions"]
        ),
        items=many(scoring.Item, data["items"]),
        choice_rules=many(scoring.ChoiceRule, data["choice_rules"]),
        reason_rules=many(scoring.ReasonRule, data["reason_rules"]),
        verdicts=many(scoring.Verdict, data["verdicts"]),
        thresholds=from_json(scoring.Thresholds, data["thresholds"]),
    )


HTML_FIELDS = ("intro_html", "cannot_know_html", "safety_html")


def read_questionnaire(data: dict) -> PublishedQuestionnaire:
    return from_json(
        PublishedQuestionnaire,
        data,
        rules=rules_from_json(data["rules"]),
        verdicts={v["slug"]: read_item(v) for v in data["verdicts"]},
        resources=support_lines.read_lines(data.get("resources", ())),
        **{key: stored_html(data, key) for key in HTML_FIELDS},
        languages=tuple(data.get("languages", ("en",))),
        translations_digest=digest_of(translated_rows(data)),
    )


def translated_rows(data: dict) -> list[dict]:
    """The questionnaire's JSON objects that may hold translations. Not the support lines
    older releases hold in it: those are site-wide now, with changes of their own."""
    questions = data["rules"]["questions"]
    choices = [choice for question in questions for choice in question["choices"]]
    return [data, *questions, *choices, *data["verdicts"]]


def part_markdown(questionnaires: list[dict]) -> list[MarkdownField]:
    """The questionnaires' Markdown texts, rendered when publishing (advice/releases.py)."""
    found = []
    for q in questionnaires:
        title = {"title": q["title"]}
        name = gettext("Questionnaire “%(title)s”") % title
        found += [
            MarkdownField(
                q, "intro", "intro_html", gettext("Questionnaire “%(title)s”, introduction") % title
            ),
            MarkdownField(
                q,
                "cannot_know",
                "cannot_know_html",
                gettext("Questionnaire “%(title)s”, what it cannot know") % title,
            ),
            MarkdownField(
                q,
                "safety_text",
                "safety_html",
                gettext("Questionnaire “%(title)s”, safety text") % title,
            ),
        ]
        found += [MarkdownField(v, "body", "body_html", verdict_name(v)) for v in q["verdicts"]]
        found += [MarkdownField(*field) for field in translated_markdown(q, name)]
        found += [
            MarkdownField(*field)
            for v in q["verdicts"]
            for field in translated_markdown(v, verdict_name(v))
        ]
    return found


def verdict_name(verdict: dict) -> str:
    return gettext("Verdict “%(verdict)s”") % {"verdict": verdict["title"]}


def read_part(data: list[dict] | None) -> dict[int, PublishedQuestionnaire]:
    """A release's questionnaires by id, in the order they were published."""
    return {q["id"]: read_questionnaire(q) for q in data or ()}


def describe_changes(
    old: dict[int, PublishedQuestionnaire] | None, new: dict[int, PublishedQuestionnaire]
) -> list[Problem]:
    """What publishing would change in the questionnaires, in editors' words (`Problem`s,
    said in the language of whoever reads them)."""
    found = []
    old = old or {}
    for questionnaire in new.values():
        before = old.get(questionnaire.id)
        name = {"questionnaire": str(questionnaire.title)}
        if before is None:
            found.append(Problem(gettext_noop("New questionnaire: “%(questionnaire)s”"), name))
            continue
        if any(getattr(before, f) != getattr(questionnaire, f) for f in TEXT_FIELDS):
            found.append(Problem(gettext_noop("“%(questionnaire)s”: texts changed"), name))
        found += [
            Problem(
                gettext_noop("“%(questionnaire)s”: now published in %(language)s"),
                {**name, "language": language_said(language)},
            )
            for language in questionnaire.languages
            if language not in before.languages
        ]
        if before.translations_digest != questionnaire.translations_digest:
            found.append(Problem(gettext_noop("“%(questionnaire)s”: translations changed"), name))
        old_questions = before.rules.questions_by_id
        for question in questionnaire.rules.questions:
            was = old_questions.get(question.id)
            if was is None:
                found.append(
                    Problem(
                        gettext_noop("New question: “%(question)s”"), {"question": question.text}
                    )
                )
            elif was != question:
                found.append(
                    Problem(
                        gettext_noop("Question changed: “%(question)s”"),
                        {"question": question.text},
                    )
                )
        for question_id, question in old_questions.items():
            if question_id not in questionnaire.rules.questions_by_id:
                found.append(
                    Problem(
                        gettext_noop("Question removed: “%(question)s”"),
                        {"question": question.text},
                    )
                )
        rule_changes = len(
            set(before.rules.choice_rules) ^ set(questionnaire.rules.choice_rules)
        ) + len(set(before.rules.reason_rules) ^ set(questionnaire.rules.reason_rules))
        if rule_changes:
            found.append(
                Problem(
                    gettext_noop(
                        "“%(questionnaire)s”: scoring rules changed (%(count)s added or removed)"
                    ),
                    {**name, "count": rule_changes},
                )
            )
        if before.rules.thresholds != questionnaire.rules.thresholds:
            found.append(Problem(gettext_noop("“%(questionnaire)s”: thresholds changed"), name))
        if (before.verdicts, before.rules.verdicts) != (
            questionnaire.verdicts,
            questionnaire.rules.verdicts,
        ):
            found.append(Problem(gettext_noop("“%(questionnaire)s”: verdicts changed"), name))
    for questionnaire_id, questionnaire in old.items():
        if questionnaire_id not in new:
            found.append(
                Problem(
                    gettext_noop("No longer shown: questionnaire “%(questionnaire)s”"),
                    {"questionnaire": str(questionnaire.title)},
                )
            )
    return found


# -- Which questionnaire readers are offered where ------------------------------------------
#
# Each questionnaire has its own address (its slug) and belongs to one article. A version
# holds a few dozen at most: plain lookups over the parsed version, no query.


def questionnaires_in(content: PublishedContent | None) -> list[PublishedQuestionnaire]:
    """A version's questionnaires, in the order they were published."""
    return list(content.parts["questionnaires"].values()) if content is not None else []


def questionnaire_by_slug(
    content: PublishedContent | None, slug: str
) -> PublishedQuestionnaire | None:
    """The questionnaire at /questionnaire/<slug>/ in this version."""
    return next((q for q in questionnaires_in(content) if q.slug == slug), None)


def questionnaire_of_article(
    content: PublishedContent | None, article_id: int
) -> PublishedQuestionnaire | None:
    """The questionnaire an article invites its readers to (the first published, should
    editors give one article two)."""
    return next((q for q in questionnaires_in(content) if q.article_id == article_id), None)


def front_page_questionnaire(content: PublishedContent | None) -> PublishedQuestionnaire | None:
    """The front-page article's questionnaire: where /questionnaire/ leads."""
    home = content.home if content is not None else None
    return questionnaire_of_article(content, home.id) if home is not None else None
