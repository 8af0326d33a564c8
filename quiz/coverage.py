"""Which article items some reader's answers can bring into a result.

For each item, search the answer paths for one whose result shows it: walk the questions
in the order a reader meets them (conditional questions appear as their condition is
met), and at each question try every answer, keeping the one that serves the item best.
Passes repeat until nothing improves, so an answer that only pays off through a later
question (a condition, or a reason that passes points on to a way) is still found.

Pure functions over `scoring` data: the tests and the editors' tools both use them.
"""

from __future__ import annotations

from .scoring import Answers, Result, Rules, score, visible_questions


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
