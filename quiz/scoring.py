"""From a reader's answers to her result: pure functions over plain data.

No ORM, no request: the views (and the admin's tools) build a `Rules` snapshot from the
database and call `visible_questions` and `score`. Everything here is deterministic and
does not depend on the order answers were given in.

The rules, in the article's words:

- Each chosen answer adds its rules' weights to article items: reasons he may pull away,
  ways to handle it, and signs it is time to walk away.
- A reason with at least `likely_reason_score` points "likely applies"; reasons are ranked
  by points, and their strength is the share of the points that reason could get at most.
- A way to handle it gets points from answers (her situation: still together, or he has
  left) and from each likely reason that the editors tied to it ("when he is stressed,
  listen and learn"). Ways with at least `recommend_way_score` points are recommended, the
  strongest first, at most `max_ways` of them.
- A sign "showed up" with at least `sign_score` points.
- The walk-away level is the sum of the positive points answers gave to signs. Negative
  points never lower it, so one more warning sign can only raise it. A safety-critical
  answer (gaslighting, fear, threats) raises the safety notice whatever the totals, and
  lifts the level to at least `safety_min_level`.
- The verdict is the one with the highest threshold the level reaches.
- Only answers to questions the reader was shown count: a conditional question whose
  condition no longer holds is ignored, with its answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from advice.kinds import ItemKind


@dataclass(frozen=True)
class Choice:
    id: int
    question_id: int
    text: str
    raises_safety_notice: bool = False


@dataclass(frozen=True)
class Question:
    id: int
    position: int
    text: str
    multiple: bool = False
    # Shown only when this choice (of an earlier question) was picked.
    show_if_choice_id: int | None = None
    help_text: str = ""
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Item:
    slug: str
    kind: str  # an ItemKind value, as releases store it
    position: int  # reading order in the article, used to break ties
    title: str = ""
    number: int = 0  # the number the article shows ("3)"), for display only


@dataclass(frozen=True)
class ChoiceRule:
    """Picking `choice_id` gives `weight` points to the item `item_slug`."""

    choice_id: int
    item_slug: str
    weight: int


@dataclass(frozen=True)
class ReasonRule:
    """When the reason `reason_slug` is likely, the way `way_slug` gets `weight` points."""

    reason_slug: str
    way_slug: str
    weight: int


@dataclass(frozen=True)
class Verdict:
    slug: str
    title: str
    min_level: int


@dataclass(frozen=True)
class Thresholds:
    likely_reason_score: int = 2
    recommend_way_score: int = 2
    max_ways: int = 5
    sign_score: int = 2
    safety_min_level: int = 3


@dataclass(frozen=True)
class Rules:
    questions: tuple[Question, ...]
    items: tuple[Item, ...]
    choice_rules: tuple[ChoiceRule, ...] = ()
    reason_rules: tuple[ReasonRule, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)

    def choice(self, choice_id: int) -> Choice | None:
        return self.choices_by_id.get(choice_id)

    @cached_property
    def choices_by_id(self) -> dict[int, Choice]:
        return {c.id: c for q in self.questions for c in q.choices}

    @cached_property
    def questions_by_id(self) -> dict[int, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def items_by_slug(self) -> dict[str, Item]:
        return {i.slug: i for i in self.items}


# Answers: question id → the ids of the choices picked for it.
Answers = Mapping[int, Iterable[int]]


@dataclass(frozen=True)
class Cause:
    """Why an item is in the result: an answer she gave, or a reason that seems likely."""

    question_id: int | None = None
    choice_id: int | None = None
    reason_slug: str | None = None


@dataclass(frozen=True)
class ScoredItem:
    slug: str
    score: int
    strength: float  # 0..1: share of the points this item could get at most
    causes: tuple[Cause, ...]


@dataclass(frozen=True)
class Result:
    reasons: tuple[ScoredItem, ...]  # every reason with points, strongest first
    likely_reasons: tuple[ScoredItem, ...]
    ways: tuple[ScoredItem, ...]  # recommended, strongest first
    signs: tuple[ScoredItem, ...]  # signs that showed up, strongest first
    walk_away_level: int
    verdict: Verdict | None
    safety_notice: bool
    safety_causes: tuple[Cause, ...]
    # Every item's points, shown or not (after likely reasons passed theirs on to ways).
    points: Mapping[str, int] = field(default_factory=dict)


def normalise(answers: Answers) -> dict[int, frozenset[int]]:
    return {int(q): frozenset(int(c) for c in chosen) for q, chosen in answers.items()}


def visible_questions(rules: Rules, answers: Answers) -> list[Question]:
    """The questions she is shown, in order, given her answers so far.

    A conditional question is shown when its condition's question is itself shown and was
    answered with the condition's choice.
    """
    answers = normalise(answers)
    shown: list[Question] = []
    picked: set[int] = set()
    for question in sorted(rules.questions, key=lambda q: (q.position, q.id)):
        condition = question.show_if_choice_id
        if condition is not None and condition not in picked:
            continue
        shown.append(question)
        picked |= answers.get(question.id, frozenset())
    return shown


def counted_answers(rules: Rules, answers: Answers) -> dict[int, frozenset[int]]:
    """Answers to shown questions only, limited to each question's own choices."""
    answers = normalise(answers)
    counted = {}
    for question in visible_questions(rules, answers):
        own = {c.id for c in question.choices}
        chosen = answers.get(question.id, frozenset()) & own
        if chosen:
            counted[question.id] = frozenset(chosen)
    return counted


def max_points(rules: Rules) -> dict[str, int]:
    """The most points each item can get from answers (every question assumed shown)."""
    by_choice: dict[int, list[ChoiceRule]] = defaultdict(list)
    for rule in rules.choice_rules:
        by_choice[rule.choice_id].append(rule)
    best: dict[str, int] = defaultdict(int)
    for question in rules.questions:
        per_item: dict[str, list[int]] = defaultdict(list)
        for choice in question.choices:
            for rule in by_choice[choice.id]:
                if rule.weight > 0:
                    per_item[rule.item_slug].append(rule.weight)
        for slug, weights in per_item.items():
            best[slug] += sum(weights) if question.multiple else max(weights)
    return dict(best)


def score(rules: Rules, answers: Answers) -> Result:
    """The reader's result. See the module docstring for the rules in words."""
    t = rules.thresholds
    counted = counted_answers(rules, answers)
    items = rules.items_by_slug
    rules_by_choice: dict[int, list[ChoiceRule]] = defaultdict(list)
    for rule in rules.choice_rules:
        rules_by_choice[rule.choice_id].append(rule)

    points: dict[str, int] = defaultdict(int)
    causes: dict[str, list[Cause]] = defaultdict(list)
    walk_away_level = 0
    safety_causes: list[Cause] = []
    for question_id in sorted(counted):
        for choice_id in sorted(counted[question_id]):
            cause = Cause(question_id=question_id, choice_id=choice_id)
            choice = rules.choice(choice_id)
            if choice is not None and choice.raises_safety_notice:
                safety_causes.append(cause)
            for rule in sorted(rules_by_choice[choice_id], key=lambda r: r.item_slug):
                item = items.get(rule.item_slug)
                if item is None:
                    continue
                points[item.slug] += rule.weight
                if rule.weight > 0:
                    causes[item.slug].append(cause)
                    if item.kind == ItemKind.SIGNS:
                        walk_away_level += rule.weight

    most = max_points(rules)

    def scored(slug: str) -> ScoredItem:
        possible = most.get(slug, 0)
        strength = min(1.0, points[slug] / possible) if possible > 0 else 0.0
        return ScoredItem(slug, points[slug], round(max(0.0, strength), 4), tuple(causes[slug]))

    def ranked(kind: ItemKind, minimum: int) -> list[ScoredItem]:
        chosen = [scored(i.slug) for i in rules.items if i.kind == kind and points[i.slug] > 0]
        chosen = [s for s in chosen if s.score >= minimum]
        return sorted(chosen, key=lambda s: (-s.score, items[s.slug].position, s.slug))

    reasons = ranked(ItemKind.REASONS, 1)
    likely = [r for r in reasons if r.score >= t.likely_reason_score]

    # Likely reasons pass points on to the ways the editors tied to them.
    for reason in likely:
        for rule in sorted(rules.reason_rules, key=lambda r: (r.reason_slug, r.way_slug)):
            if rule.reason_slug == reason.slug and rule.way_slug in items:
                points[rule.way_slug] += rule.weight
                if rule.weight > 0:
                    causes[rule.way_slug].append(Cause(reason_slug=reason.slug))
    ways = ranked(ItemKind.WAYS, t.recommend_way_score)[: max(0, t.max_ways)]
    signs = ranked(ItemKind.SIGNS, t.sign_score)

    if safety_causes:
        walk_away_level = max(walk_away_level, t.safety_min_level)
    reached = [v for v in rules.verdicts if v.min_level <= walk_away_level]
    verdict = max(reached, key=lambda v: (v.min_level, v.slug)) if reached else None

    return Result(
        reasons=tuple(reasons),
        likely_reasons=tuple(likely),
        ways=tuple(ways),
        signs=tuple(signs),
        walk_away_level=walk_away_level,
        verdict=verdict,
        safety_notice=bool(safety_causes),
        safety_causes=tuple(safety_causes),
        points=dict(points),
    )
