"""Where a reader is in the questionnaire: pure functions over `scoring` data.

The path through the questions depends on her answers (conditional questions), so every
step is worked out again from the answers stored so far.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scoring import Answers, Question, Rules, normalise, visible_questions


@dataclass(frozen=True)
class Step:
    question: Question
    number: int  # 1-based among the questions she is shown
    total: int  # questions she is shown, given her answers so far
    previous: Question | None
    next: Question | None

    @property
    def percent(self) -> int:
        return round(100 * self.number / self.total)


def step_for(rules: Rules, answers: Answers, question_id: int) -> Step | None:
    """The step showing `question_id`, or None when her answers hide that question."""
    shown = visible_questions(rules, answers)
    for index, question in enumerate(shown):
        if question.id == question_id:
            return Step(
                question=question,
                number=index + 1,
                total=len(shown),
                previous=shown[index - 1] if index > 0 else None,
                next=shown[index + 1] if index + 1 < len(shown) else None,
            )
    return None


def first_unanswered(rules: Rules, answers: Answers) -> Question | None:
    answers = normalise(answers)
    for question in visible_questions(rules, answers):
        if not answers.get(question.id):
            return question
    return None


def is_reachable(rules: Rules, answers: Answers, question_id: int) -> bool:
    """She may open a shown question she answered, or the first one she has not."""
    answers = normalise(answers)
    if answers.get(question_id):
        return True
    pending = first_unanswered(rules, answers)
    return pending is not None and pending.id == question_id
