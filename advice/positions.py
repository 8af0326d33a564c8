"""New sections and items go after the last one of their article or section.

Admin's forms let the position be left empty: the row is then saved one after the last
(`Article.next_section_position`, `Section.next_item_position`). A standalone add page
that knows the parent (?article=… or ?section=… in its address) shows that number; a row
added on the parent's page with "Add another" gets it from advice/static/advice/
admin-positions.js, counting up when several are added.
"""

from django import forms

from .admin_base import row_named
from .models import Article

LEAVE_EMPTY = " Leave empty to put it after the last one."


def next_position_in(parent) -> int:
    if parent is None or parent.pk is None:
        return 1  # a parent not saved yet has no rows
    if isinstance(parent, Article):
        return parent.next_section_position()
    return parent.next_item_position()


class CountsUp(forms.ModelForm):
    """A form for a row with a `position` among its parent's (`parent_field`) rows."""

    parent_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("position")
        if field is None:
            return
        field.required = False
        field.help_text = f"{field.help_text}{LEAVE_EMPTY}"
        if self.instance.pk is None:
            # Not the model's default 0: the next number when the parent is known, else
            # empty (to be filled in by the page's script, or on save).
            foreign_key = self.instance._meta.get_field(self.parent_field)
            parent_id = getattr(self.instance, foreign_key.attname) or self.initial.get(
                self.parent_field
            )
            parent = row_named(foreign_key.related_model, parent_id)
            self.initial["position"] = next_position_in(parent) if parent else None

    def clean(self):
        cleaned = super().clean()
        if "position" in self.fields and cleaned.get("position") is None:
            parent = cleaned.get(self.parent_field)
            if parent is None and getattr(self.instance, f"{self.parent_field}_id"):
                parent = getattr(self.instance, self.parent_field)
            cleaned["position"] = next_position_in(parent)
        return cleaned


class SectionForm(CountsUp):
    parent_field = "article"


class ItemForm(CountsUp):
    parent_field = "section"
