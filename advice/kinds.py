"""The kinds of numbered items an article holds: one vocabulary for the whole site.

An item's kind is the kind of the section that holds it. The questionnaire scores these
three kinds (quiz/scoring.py), its results and statistics group by them, and the admin
offers them for sections. Plain Python, no Django: scoring must run without it.

The values are what database rows and published releases store ("reasons", "ways",
"signs"). Releases never change once published, so neither may these values.
"""

from enum import StrEnum


class ItemKind(StrEnum):
    REASONS = "reasons"
    WAYS = "ways"
    SIGNS = "signs"

    @property
    def label(self) -> str:
        """What editors read for this kind, like a `TextChoices` member's label."""
        return LABELS[self]


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalog (makemessages knows this name) without
    importing Django; whoever shows the label translates it (advice/models.py)."""
    return message


LABELS = {
    ItemKind.REASONS: gettext_noop("Reasons"),
    ItemKind.WAYS: gettext_noop("Ways to handle it"),
    ItemKind.SIGNS: gettext_noop("Warning signs"),
}

# As plain strings, for a model field's `choices` and queries (migrations then never name
# this module), and to ask whether a stored kind is one of these (`in ItemKind` cannot, in
# Python 3.11).
ITEM_KIND_VALUES = tuple(kind.value for kind in ItemKind)
ITEM_KIND_CHOICES = [(kind.value, kind.label) for kind in ItemKind]
