"""The search box: one field, read from the address (a plain GET form)."""

from django import forms

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the articles",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "That search is too long: please use fewer words "
            f"(at most {MAX_QUERY_LENGTH} characters)."
        },
    )
