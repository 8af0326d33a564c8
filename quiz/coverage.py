"""Which article items some reader's answers can bring into a result.

For each item, search the answer paths for one whose result shows it: walk the questions
in the order a reader meets them (conditional questions appear as their condition is
met), and at each question try every answer, keeping the one that serves the item best.
Passes repeat until nothing improves, so an answer that only pays off through a later
question (a condition, or a reason that passes points on to a way) is still found.

Pure functions over `scoring` data: the tests and the editors' tools both use them.
"""

from __future__ import annotations

from dataclasses import dataclass

from advice.kinds import ItemKind

from .scoring import (
    Answers,
    Choice,
    Item,
    Question,
    Result,
    Rules,
    Verdict,
    score,
    visible_questions,
)


def shows(result: Result, slug: str) -> bool:
    return any(s.slug == slug for s in (*result.reasons, *result.ways, *result.signs))


def _value(rules: Rules, answers: dict[int, frozenset[int]], slug: str):
    result = score(rules, answers)
    # Shown beats not shown; then more points for the item; then fewer other items
    # competing for the limited places.
    crowd = len(result.ways) + len(result.reasons) + len(result.signs)
    return (shows(result, slug), result.points.get(slug, 0), -crowd)


def _objective(rules: Rules, answers: dict[int, frozenset[int]], slug: str, before=()):
    """The value of `answers`, looking one step ahead into questions they newly show."""
    best = _value(rules, answers, slug)
    for question in visible_questions(rules, answers):
        if question.id in answers or question.id in before:
            continue
        for choice in question.choices:
            trial = {**answers, question.id: frozenset([choice.id])}
            best = max(best, _value(rules, trial, slug))
    return best


def answers_showing(rules: Rules, slug: str, max_passes: int = 4) -> Answers | None:
    """Some complete set of answers whose result shows `slug`, or None if none was found."""
    answers: dict[int, frozenset[int]] = {}
    best = None
    for _ in range(max_passes):
        improved = False
        for question in visible_questions(rules, answers):
            shown_now = {q.id for q in visible_questions(rules, answers)}
            options = [frozenset([c.id]) for c in question.choices]
            current = answers.get(question.id)
            candidates = []
            for option in options:
                trial = dict(answers)
                trial[question.id] = option
                if question.multiple and current:
                    trial_more = dict(answers)
                    trial_more[question.id] = current | option
                    value = _objective(rules, trial_more, slug, shown_now)
                    candidates.append((value, trial_more))
                candidates.append((_objective(rules, trial, slug, shown_now), trial))
            value, chosen = max(candidates, key=lambda pair: pair[0])
            if best is None or value > best:
                best, answers, improved = value, chosen, True
            elif current is None:
                answers = chosen  # every shown question gets an answer
        if not improved:
            break
    # Drop answers to questions the final path does not show.
    shown = {q.id for q in visible_questions(rules, answers)}
    answers = {q: c for q, c in answers.items() if q in shown}
    return answers if shows(score(rules, answers), slug) else None


def reachability(rules: Rules) -> dict[str, Answers | None]:
    """item slug → answers that show it (None: no answers found that do)."""
    return {item.slug: answers_showing(rules, item.slug) for item in rules.items}


def choices_that_change_nothing(rules: Rules) -> list[Choice]:
    """Answers with no points, no safety notice, and no question depending on them."""
    scored = {rule.choice_id for rule in rules.choice_rules}
    conditions = {q.show_if_choice_id for q in rules.questions if q.show_if_choice_id}
    return [
        choice
        for question in rules.questions
        for choice in question.choices
        if choice.id not in scored
        and choice.id not in conditions
        and not choice.raises_safety_notice
    ]


def questions_never_shown(rules: Rules) -> list[Question]:
    """Questions no answers can bring up: their condition sits on a question never shown,
    or comes after them, or is not one of the questionnaire's answers at all."""
    never = []
    for question in rules.questions:
        answers: dict[int, frozenset[int]] = {}
        target = question
        chain_ok = True
        # Walk the chain of conditions up, picking each condition's answer.
        seen = set()
        while target.show_if_choice_id is not None and chain_ok:
            choice = rules.choice(target.show_if_choice_id)
            if choice is None or choice.question_id in seen:
                chain_ok = False
                break
            seen.add(choice.question_id)
            answers[choice.question_id] = frozenset([choice.id])
            target = rules.questions_by_id[choice.question_id]
        shown = chain_ok and question in visible_questions(rules, answers)
        if not shown:
            never.append(question)
    return never


def highest_walk_away_level(rules: Rules) -> int:
    """The most points answers can give to warning signs, at most (every question shown)."""
    signs = {item.slug for item in rules.items if item.kind == ItemKind.SIGNS}
    by_choice: dict[int, int] = {}
    for rule in rules.choice_rules:
        if rule.item_slug in signs and rule.weight > 0:
            by_choice[rule.choice_id] = by_choice.get(rule.choice_id, 0) + rule.weight
    level = 0
    any_safety = False
    for question in rules.questions:
        points = [by_choice.get(c.id, 0) for c in question.choices]
        level += sum(points) if question.multiple else max(points, default=0)
        any_safety |= any(c.raises_safety_notice for c in question.choices)
    if any_safety:
        level = max(level, rules.thresholds.safety_min_level)
    return level


def verdicts_never_given(rules: Rules) -> list[Verdict]:
    """Verdicts whose threshold is above the highest walk-away level answers can reach."""
    ceiling = highest_walk_away_level(rules)
    return [v for v in rules.verdicts if v.min_level > ceiling]


@dataclass(frozen=True)
class CoverageReport:
    unreachable_items: tuple[Item, ...]
    inert_choices: tuple[Choice, ...]
    hidden_questions: tuple[Question, ...]
    unreached_verdicts: tuple[Verdict, ...]
    highest_walk_away_level: int
    reachable_count: int
    item_count: int


def coverage_report(rules: Rules) -> CoverageReport:
    found = reachability(rules)
    return CoverageReport(
        unreachable_items=tuple(i for i in rules.items if found[i.slug] is None),
        inert_choices=tuple(choices_that_change_nothing(rules)),
        hidden_questions=tuple(questions_never_shown(rules)),
        unreached_verdicts=tuple(verdicts_never_given(rules)),
        highest_walk_away_level=highest_walk_away_level(rules),
        reachable_count=sum(1 for answers in found.values() if answers is not None),
        item_count=len(rules.items),
    )
