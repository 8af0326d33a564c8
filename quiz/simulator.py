"""The result simulator: answers an editor picks (or a reader's token), scored under the
draft and under a published version, to compare before publishing.

The answers travel in the query string (`q<question id>=<choice id>`, repeated for
several choices), so the simulator page and the two result pages it frames read the same
answers, and a simulation can be bookmarked or sent to another editor.
"""

from __future__ import annotations

import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advice.releases import PublishedContent

from .models import TOKEN_PATTERN, Questionnaire, QuizSession
from .snapshot import PublishedQuestionnaire

FIELD_PREFIX = "q"


def field_name(question_id: int) -> str:
    return f"{FIELD_PREFIX}{question_id}"


class SimulatorForm(forms.Form):
    """One field per question of the draft, and a reader's token as the alternative."""

    token = forms.CharField(
        label=_("…or a reader’s result token"),
        required=False,
        max_length=64,
        help_text=_(
            "The part of a result address after /results/. Her answers are used, and "
            "the published side shows the version she was scored under."
        ),
    )

    def __init__(self, data: QueryDict, questionnaire: PublishedQuestionnaire):
        super().__init__(data)
        for question in questionnaire.rules.questions:
            choices = [(str(c.id), c.text) for c in question.choices]
            if question.multiple:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            field.required = False
            field.label = question.text
            self.fields[field_name(question.id)] = field

    def clean_token(self) -> QuizSession | None:
        try:
            return reader_session(self.cleaned_data["token"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    @property
    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]


def reader_session(token: str) -> QuizSession | None:
    """The run a pasted token names; None for no token, ValueError for an unknown one."""
    token = token.strip()
    if not token:
        return None
    # Only what can be a token reaches the query: PostgreSQL refuses a NUL character in one.
    session = None
    if re.fullmatch(TOKEN_PATTERN, token):
        session = QuizSession.objects.filter(token=token).first()
    if session is None:
        raise ValueError(gettext("No reader’s answers have this token."))
    return session


def answers_from_query(query: QueryDict) -> dict[int, frozenset[int]]:
    """`q<id>=<choice id>` pairs as answers; ValueError for anything else that looks like one."""
    answers = {}
    for name in query:
        if not name.startswith(FIELD_PREFIX):
            continue
        try:
            question_id = int(name.removeprefix(FIELD_PREFIX))
            chosen = frozenset(int(value) for value in query.getlist(name) if value)
        except ValueError:
            # Not repeated back: the page that shows this message must not echo input.
            raise ValueError(gettext("An answer in the address is not a number.")) from None
        answers[question_id] = chosen
    return {q: c for q, c in answers.items() if c}


def why_not_shown(
    questionnaire: Questionnaire, content: PublishedContent | None, version: str
) -> str:
    """Why a version has no result page for the questionnaire, in an editor's words."""
    names = {"questionnaire": questionnaire.title, "article": questionnaire.article.title}
    if version == "draft":
        return (
            gettext(
                "“%(questionnaire)s” is not in the draft: tick “published” on it and on its "
                "article “%(article)s”."
            )
            % names
        )
    if content is None:
        return gettext("Nothing has been published yet: readers see no version at all.")
    if content.article(article_id=questionnaire.article_id) is None:
        return (
            gettext(
                "Its article “%(article)s” is not in the published version yet, so readers cannot "
                "take “%(questionnaire)s”. Publish changes to see its results here."
            )
            % names
        )
    return (
        gettext(
            "“%(questionnaire)s” is not in the published version yet. Publish changes to see its "
            "results here."
        )
        % names
    )
