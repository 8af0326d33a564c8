from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from . import scoring

NO_ANSWER = {
    False: _("Please pick an answer to go on."),
    True: _("Please pick at least one answer. If none fits, pick “None of these”."),
}
NOT_AN_ANSWER = _("That is not one of this question’s answers. Please pick from the list.")


class AnswerForm(forms.Form):
    """One question's answer. Built from the cached questionnaire, not from the database."""

    # The session's revision when the page was shown: a stale or replayed POST is noticed.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, question: scoring.Question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        options = [(str(choice.id), choice.text) for choice in question.choices]
        messages = {"required": NO_ANSWER[question.multiple], "invalid_choice": NOT_AN_ANSWER}
        if question.multiple:
            field = forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, error_messages=messages
            )
        else:
            field = forms.ChoiceField(
                choices=options, widget=forms.RadioSelect, error_messages=messages
            )
        field.label = question.text
        self.fields["choice"] = field

    @classmethod
    def showing(cls, question: scoring.Question, chosen: Iterable[int], revision: int):
        """The question's form as first shown: with the answer she gave before, if any."""
        values = [str(choice_id) for choice_id in sorted(chosen)]
        picked = values if question.multiple else (values[0] if values else None)
        return cls(question, initial={"revision": revision, "choice": picked})

    def clean_revision(self):
        # Django keeps the last of repeated values: a stale revision placed first would
        # slip through. A real form sends exactly one.
        if len(self.data.getlist("revision")) > 1:
            raise forms.ValidationError(_("This page was sent twice over. Please answer again."))
        return self.cleaned_data["revision"]

    def clean_choice(self):
        # A radio group sends one value; ChoiceField would silently keep the last of several.
        if not self.question.multiple and len(self.data.getlist("choice")) > 1:
            raise forms.ValidationError(_("Please pick only one answer to this question."))
        return self.cleaned_data["choice"]

    def chosen_ids(self) -> list[int]:
        chosen = self.cleaned_data["choice"]
        return sorted(int(c) for c in (chosen if isinstance(chosen, list) else [chosen]))
