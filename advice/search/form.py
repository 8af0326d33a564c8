"""The search box: one field, read from the address (a plain GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the articles"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "That search is too long: please use fewer words (at most %(limit_value)d "
                "characters)."
            )
        },
    )
