"""Counts as editors may see them: under 10, no number at all.

Every statistics page (quiz/statistics.py, quiz/check_in_statistics.py, quiz/feedback.py)
masks through `Figure`, so a small group, which could be one reader, is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

MASK_BELOW = 10
MASKED = "fewer than 10"


@dataclass(frozen=True)
class Figure:
    """A count as editors may see it. Below MASK_BELOW it carries no number at all."""

    value: int | None

    @classmethod
    def of(cls, count: int) -> Figure:
        return cls(count if count >= MASK_BELOW else None)

    @property
    def masked(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return MASKED if self.value is None else f"{self.value:,}"

    @property
    def csv(self) -> str:
        return MASKED if self.value is None else str(self.value)
