"""Geometry for the statistics page's bar charts; the template draws them as inline SVG.

Only presentation attributes are used (x, y, width, height, fill): the site's
Content-Security-Policy allows no inline style. A masked count ("fewer than 10") has no
number, so it gets no bar length either: a short outlined stub, and its words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .statistics import MASKED, Day, Figure, Row, Statistics

WIDTH = 720
STUB = 4  # width or height of a masked count's mark
COLOURS = ("#417690", "#d4861f")  # started, completed: tell apart in grey too
LABEL_CHARS = 90


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 10)."""
    value = max(value, 10)
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


@dataclass(frozen=True)
class HBar:
    label: str
    short_label: str
    figure: Figure
    label_y: int
    bar_y: int
    bar_width: float
    value_x: float
    value_y: int


@dataclass(frozen=True)
class HBarChart:
    id: str
    title: str
    width: int
    height: int
    bar_height: int
    stub: int
    colour: str
    bars: tuple[HBar, ...]


def hbar_chart(chart_id: str, title: str, rows: Sequence[Row]) -> HBarChart:
    """One horizontal bar per row, its label above it and its count after it."""
    row_height, bar_height, room_for_value = 40, 14, 130
    longest = max((r.figure.value or 0 for r in rows), default=0) or 1
    bars = []
    for n, row in enumerate(rows):
        top = n * row_height
        width = 0.0 if row.figure.masked else (WIDTH - room_for_value) * row.figure.value / longest
        bars.append(
            HBar(
                label=row.label,
                short_label=shorten(row.label),
                figure=row.figure,
                label_y=top + 14,
                bar_y=top + 20,
                bar_width=round(width, 1),
                value_x=round((width or STUB) + 6, 1),
                value_y=top + 32,
            )
        )
    return HBarChart(
        id=chart_id,
        title=title,
        width=WIDTH,
        height=max(len(rows), 1) * row_height,
        bar_height=bar_height,
        stub=STUB,
        colour=COLOURS[0],
        bars=tuple(bars),
    )


@dataclass(frozen=True)
class Column:
    day: date
    series: str
    figure: Figure
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class DayLabel:
    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    x: int
    label: str
    colour: str
    pale: bool = False


@dataclass(frozen=True)
class DailyChart:
    id: str
    title: str
    width: int
    height: int
    left: int
    right: int
    baseline: int
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    day_labels: tuple[DayLabel, ...]
    legend: tuple[LegendItem, ...]
    label_y: int


def daily_chart(chart_id: str, title: str, days: Sequence[Day]) -> DailyChart:
    """Two columns per day, started and completed, on one scale."""
    left, right, top, baseline, height = 56, WIDTH - 8, 28, 200, 228
    shown = [f.value for d in days for f in (d.started, d.completed) if not f.masked]
    ceiling = nice_ceiling(max(shown, default=0))
    slot = (right - left) / max(len(days), 1)
    column = slot * 0.4
    columns = []
    for n, day in enumerate(days):
        for k, (series, figure) in enumerate(
            (("started", day.started), ("completed", day.completed))
        ):
            x = left + n * slot + slot * 0.1 + k * column
            size = STUB if figure.masked else (baseline - top) * figure.value / ceiling
            columns.append(
                Column(
                    day=day.day,
                    series=series,
                    figure=figure,
                    x=round(x, 2),
                    y=round(baseline - size, 2),
                    width=round(column, 2),
                    height=round(size, 2),
                    colour=COLOURS[k],
                )
            )
    ticks = tuple(
        Tick(round(baseline - (baseline - top) * part, 2), f"{ceiling * part:,.0f}")
        for part in (0, 0.5, 1)
    )
    # The first and last day, and up to four evenly spaced between.
    every = max(1, math.ceil(len(days) / 5))
    picked = sorted({*range(0, len(days), every), len(days) - 1}) if days else []
    if len(picked) > 1 and picked[-1] - picked[-2] < every / 2:
        picked.pop(-2)
    day_labels = tuple(
        DayLabel(round(left + (n + 0.5) * slot, 2), f"{days[n].day:%d %b}") for n in picked
    )
    return DailyChart(
        id=chart_id,
        title=title,
        width=WIDTH,
        height=height,
        left=left,
        right=right,
        baseline=baseline,
        columns=tuple(columns),
        ticks=ticks,
        day_labels=day_labels,
        legend=(
            LegendItem(left, "Started", COLOURS[0]),
            LegendItem(left + 100, "Completed", COLOURS[1]),
            LegendItem(left + 220, f"Pale stub: {MASKED}", COLOURS[0], pale=True),
        ),
        label_y=baseline + 18,
    )


def for_statistics(stats: Statistics) -> dict:
    """Every chart on the statistics page, keyed as the template uses them."""
    period = f"{stats.range.first:%Y-%m-%d} to {stats.range.last:%Y-%m-%d}"
    return {
        "daily": daily_chart(
            "chart-daily", f"Sessions started and completed per day, {period}", stats.days
        ),
        "funnel": hbar_chart(
            "chart-funnel",
            f"Sessions started {period} that answered each question, in order",
            stats.funnel,
        ),
        "questions": [
            (
                question,
                hbar_chart(
                    f"chart-question-{question.number}",
                    f"Answers to question {question.number}: {question.text}",
                    question.choices,
                ),
            )
            for question in stats.questions
        ],
        "verdicts": hbar_chart("chart-verdicts", f"Verdicts given, {period}", stats.verdicts),
        "reasons": hbar_chart(
            "chart-reasons", f"Likely reasons on results, {period}", stats.reasons
        ),
        "signs": hbar_chart("chart-signs", f"Signs on results, {period}", stats.signs),
    }
