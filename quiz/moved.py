"""What moved between two of a reader's check-ins: a pure function over two results.

A relationship changes week by week; a reader who checks in again sees what changed since
her last result. The rules, in her words:

- The walk-away level went up, down or stayed. So did the verdict, compared by the level
  each verdict starts at (no verdict reached sits below every verdict).
- A warning sign "appeared" when it shows on the new result and did not on the earlier
  one; it "went away" the other way round.
- A reason "grew" when her answers point to it more strongly than before (its strength,
  the share of the points it could get, as the result shows it in percent); it "faded"
  when less strongly, down to not at all.
- The whole reads as worse when anything that warns her went up (level, verdict, a sign
  appeared, the safety notice appeared), better when only such things went down, mixed
  when both, and "the same" otherwise. A new warning sign is never read as better: the
  site must never reassure her while a sign of danger is new.

The two results may be scored by different published versions; items are compared by
slug. No ORM here: `check_ins.py` loads the runs, this module compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .scoring import Result


class Direction(StrEnum):
    LOWER = "lower"
    SAME = "same"
    HIGHER = "higher"

    @classmethod
    def of(cls, before: int, after: int) -> Direction:
        if after > before:
            return cls.HIGHER
        return cls.LOWER if after < before else cls.SAME


class Reading(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    MIXED = "mixed"
    SAME = "same"


@dataclass(frozen=True)
class ReasonMove:
    slug: str
    before_percent: int  # 0: not among her reasons then
    after_percent: int  # 0: not among her reasons now


@dataclass(frozen=True)
class Moved:
    level_before: int
    level_after: int
    verdict_before: str | None  # a verdict's slug; None when none was reached
    verdict_after: str | None
    verdict_direction: Direction
    signs_appeared: tuple[str, ...]  # slugs, strongest first (as the new result lists them)
    signs_gone: tuple[str, ...]  # slugs, as the earlier result listed them
    reasons_grew: tuple[ReasonMove, ...]
    reasons_faded: tuple[ReasonMove, ...]
    safety_appeared: bool
    safety_gone: bool

    @property
    def level_direction(self) -> Direction:
        return Direction.of(self.level_before, self.level_after)

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_before != self.verdict_after

    @property
    def nothing_moved(self) -> bool:
        return not (
            self.verdict_changed
            or self.level_before != self.level_after
            or self.signs_appeared
            or self.signs_gone
            or self.reasons_grew
            or self.reasons_faded
            or self.safety_appeared
            or self.safety_gone
        )

    @property
    def reading(self) -> Reading:
        worse = (
            self.level_direction is Direction.HIGHER
            or self.verdict_direction is Direction.HIGHER
            or bool(self.signs_appeared)
            or self.safety_appeared
        )
        better = (
            self.level_direction is Direction.LOWER
            or self.verdict_direction is Direction.LOWER
            or bool(self.signs_gone)
            or self.safety_gone
        )
        if worse and better:
            return Reading.MIXED
        if worse:
            return Reading.WORSE
        return Reading.BETTER if better else Reading.SAME


def percent(strength: float) -> int:
    """As the result page shows a reason's strength."""
    return round(100 * strength)


def verdict_rank(result: Result) -> int:
    """Where the verdict sits: the level it starts at; below all when none was reached."""
    return result.verdict.min_level if result.verdict is not None else -1


def compare(before: Result, after: Result) -> Moved:
    """What moved from the earlier result `before` to the newer `after`."""
    signs_before = {s.slug for s in before.signs}
    signs_after = {s.slug for s in after.signs}
    reasons_before = {r.slug: percent(r.strength) for r in before.reasons}
    reasons_after = {r.slug: percent(r.strength) for r in after.reasons}
    grew, faded = [], []
    # The new result's order first (strongest first), then reasons no longer there.
    order = [r.slug for r in after.reasons] + [
        r.slug for r in before.reasons if r.slug not in reasons_after
    ]
    for slug in order:
        move = ReasonMove(slug, reasons_before.get(slug, 0), reasons_after.get(slug, 0))
        if move.after_percent > move.before_percent:
            grew.append(move)
        elif move.after_percent < move.before_percent:
            faded.append(move)
    return Moved(
        level_before=before.walk_away_level,
        level_after=after.walk_away_level,
        verdict_before=before.verdict.slug if before.verdict else None,
        verdict_after=after.verdict.slug if after.verdict else None,
        verdict_direction=Direction.of(verdict_rank(before), verdict_rank(after)),
        signs_appeared=tuple(s.slug for s in after.signs if s.slug not in signs_before),
        signs_gone=tuple(s.slug for s in before.signs if s.slug not in signs_after),
        reasons_grew=tuple(grew),
        reasons_faded=tuple(faded),
        safety_appeared=after.safety_notice and not before.safety_notice,
        safety_gone=before.safety_notice and not after.safety_notice,
    )


@dataclass(frozen=True)
class Earlier:
    """The check-in a new one follows, as completing the new one needs it."""

    completed_at: datetime
    result: Result  # scored by its own published version
    first_return: bool  # it is the first run of her timeline
