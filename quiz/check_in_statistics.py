"""Whether the advice helps: readers who check in again, and what moved for them.

From the daily counts that completing a check-in adds (quiz/daily_counts.py): how many
check-ins were completed in the range and after how long, how many readers came back for
the first time, and how the walk-away level and the verdict moved since the check-in
before, overall and per way that earlier result recommended ("readers told to give him
space: 40% lower, 35% same, 25% higher").

Masked as all statistics are (`Figure`): a count under 10 carries no number, and a share
is shown only when both its count and its group's total are 10 or more.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import scoring
from .daily_counts import AFTER_DAYS, CountKind
from .masking import Figure
from .moved import Direction

AFTER_LABELS = {
    0: "within a week",
    7: "one to two weeks later",
    14: "two to four weeks later",
    28: "four to eight weeks later",
    56: "eight weeks or more later",
}
ALL_CHECK_INS = "All check-ins"
DIRECTIONS = (Direction.LOWER, Direction.SAME, Direction.HIGHER)


@dataclass(frozen=True)
class Share:
    direction: str  # a moved.Direction value
    figure: Figure
    percent: int | None  # None when the count or its group is masked

    def __str__(self) -> str:
        return f"{self.percent}%" if self.percent is not None else str(self.figure)


@dataclass(frozen=True)
class Movement:
    """How one group of check-ins moved: all of them, or those told one way."""

    label: str
    total: Figure
    shares: tuple[Share, ...]  # lower, same, higher

    @property
    def in_words(self) -> str:
        """ "40% lower, 35% same, 25% higher"."""
        return ", ".join(f"{share} {share.direction}" for share in self.shares)


@dataclass(frozen=True)
class After:
    """Check-ins completed this long after the check-in before."""

    label: str
    figure: Figure
    key: str  # the bucket's first day


@dataclass(frozen=True)
class CheckInStatistics:
    check_ins: Figure
    returned: Figure
    after: tuple[After, ...]  # in order of days
    level: tuple[Movement, ...]  # all check-ins first, then per way, most frequent first
    verdict: tuple[Movement, ...]


def movements(counts: dict[str, int], way_label) -> tuple[Movement, ...]:
    """`counts`: "<direction>:<way slug>" → check-ins ("" for all of them)."""
    by_way: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        direction, _, way = key.partition(":")
        by_way.setdefault(way, {})[direction] = by_way.get(way, {}).get(direction, 0) + n

    def movement(way: str) -> Movement:
        counted = by_way.get(way, {})
        total = sum(counted.get(d.value, 0) for d in DIRECTIONS)
        total_figure = Figure.of(total)
        shares = []
        for direction in DIRECTIONS:
            share = Figure.of(counted.get(direction.value, 0))
            shown = not (share.masked or total_figure.masked) and total > 0
            percent = round(100 * share.value / total_figure.value) if shown else None
            shares.append(Share(direction.value, share, percent))
        label = ALL_CHECK_INS if way == "" else way_label(way)
        return Movement(label, total_figure, tuple(shares))

    ways = [movement(way) for way in by_way if way]
    # Masked groups last, by name: their order would tell their sizes.
    ways.sort(key=lambda m: (m.total.masked, -(m.total.value or 0), m.label.lower()))
    return (movement(""), *ways)


def compute(totals: dict[tuple[str, str], int], rules: scoring.Rules) -> CheckInStatistics:
    """From the statistics' totals over the range: (kind, key) → count."""

    def of_kind(kind: str) -> dict[str, int]:
        return {key: n for (k, key), n in totals.items() if k == kind}

    def way_label(slug: str) -> str:
        item = rules.items_by_slug.get(slug)
        return f"Told: {item.number}) {item.title}" if item else f"Told: {slug}"

    after = of_kind(CountKind.CHECK_IN)
    return CheckInStatistics(
        check_ins=Figure.of(sum(after.values())),
        returned=Figure.of(totals.get((CountKind.RETURNED, ""), 0)),
        after=tuple(
            After(AFTER_LABELS[first], Figure.of(after.get(str(first), 0)), str(first))
            for first in AFTER_DAYS
        ),
        level=movements(of_kind(CountKind.LEVEL_MOVED), way_label),
        verdict=movements(of_kind(CountKind.VERDICT_MOVED), way_label),
    )


def csv_rows(stats: CheckInStatistics | None):
    """The check-ins' counts as the statistics' CSV rows: aggregates only, masked."""
    if stats is None:
        return
    yield ("check-ins", "", "", "", "Check-ins completed", stats.check_ins.csv)
    yield ("check-ins", "", "", "", "Readers who came back for the first time", stats.returned.csv)
    for after in stats.after:
        yield ("check-ins after", "", "", "", after.label, after.figure.csv)
    for section, groups in (("level moved", stats.level), ("verdict moved", stats.verdict)):
        for group in groups:
            for share in group.shares:
                yield (section, "", "", share.direction, group.label, share.figure.csv)
