"""Readers’ “Was this helpful?” on the items of their results, and the counts editors see.

A reader who owns a result can say, for each item shown on it (likely and possible reasons,
ways to handle it, warning signs), whether it helped: one vote per item, and voting again
replaces it (`ItemFeedback.record`). Nobody else can vote on her result.

Editors see, per article item, how many readers said yes and no, counted by the database
in one query. Counts below `statistics.MASK_BELOW` are masked exactly as on the statistics
page (a `Figure` with no number). The share of yes votes is shown only when neither count
is masked: with one side shown and the share, the masked side could be worked out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext

from advice.kinds import ItemKind

from . import scoring
from .models import ItemFeedback, Questionnaire
from .results import ResultPage
from .statistics import Figure

HELPFUL = {"yes": True, "no": False}


class VoteForm(forms.Form):
    """One press of "Yes" or "No": the item's slug and the button's value."""

    item = forms.SlugField(max_length=100, error_messages={"required": "No item was named."})
    helpful = forms.ChoiceField(
        choices=[(value, value) for value in HELPFUL],
        error_messages={
            "required": "Neither “Yes” nor “No” was pressed.",
            "invalid_choice": "Only “Yes” or “No” can be recorded.",
        },
    )

    def clean(self):
        # Django keeps the last of repeated values; a real form sends each field once.
        if any(len(self.data.getlist(name)) > 1 for name in self.fields):
            raise forms.ValidationError("The vote was sent twice over.")
        return super().clean()

    @property
    def is_helpful(self) -> bool:
        return HELPFUL[self.cleaned_data["helpful"]]


def items_on(page: ResultPage) -> set[str]:
    """The slugs of every item her result page shows: the only ones she can vote on."""
    return {item.slug for group in (page.reasons, page.ways, page.signs) for item in group}


@dataclass(frozen=True)
class ResultFeedback:
    """What the result page needs to ask, or to thank: the owner's votes so far."""

    token: str
    votes: dict[str, bool]

    def vote_on(self, item_slug: str) -> bool | None:
        """True (it helped), False (it didn't), or None (she has not said)."""
        return self.votes.get(item_slug)


@dataclass(frozen=True)
class ItemVotes:
    """One article item's votes as editors may see them."""

    label: str
    key: str
    yes: Figure
    no: Figure
    helpful_percent: int | None  # None: no votes, or a count is masked

    @classmethod
    def of(cls, label: str, key: str, yes: int, no: int) -> ItemVotes:
        yes_figure, no_figure = Figure.of(yes), Figure.of(no)
        share = None
        if not (yes_figure.masked or no_figure.masked):
            share = round(100 * yes / (yes + no))
        return cls(label, key, yes_figure, no_figure, share)


@dataclass(frozen=True)
class FeedbackGroup:
    kind: str
    title: str
    rows: tuple[ItemVotes, ...]


def vote_counts(questionnaire: Questionnaire) -> dict[str, tuple[int, int]]:
    """item slug → (yes, no) over every vote on the questionnaire's results: one query."""
    rows = (
        ItemFeedback.objects.filter(questionnaire=questionnaire)
        .order_by()
        .values("item_slug")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    )
    return {row["item_slug"]: (row["yes"], row["no"]) for row in rows}


def feedback_report(
    rules: scoring.Rules, counts: dict[str, tuple[int, int]]
) -> tuple[FeedbackGroup, ...]:
    """Every reason, way and sign of the article in reading order, with its votes.

    Votes on items no longer in the article (deleted, unpublished, or renamed) are kept and
    listed last, by slug, so no vote is silently dropped from the counts.
    """
    groups = []
    for kind in ItemKind:
        rows = tuple(
            ItemVotes.of(f"{item.number}) {item.title}", item.slug, *counts.get(item.slug, (0, 0)))
            for item in rules.items
            if item.kind == kind
        )
        groups.append(FeedbackGroup(kind, gettext(kind.label), rows))
    gone = sorted(set(counts) - set(rules.items_by_slug))
    if gone:
        rows = tuple(ItemVotes.of(slug, slug, *counts[slug]) for slug in gone)
        groups.append(FeedbackGroup("gone", gettext("Items no longer in the article"), rows))
    return tuple(groups)
