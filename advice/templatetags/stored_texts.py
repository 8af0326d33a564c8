"""Texts kept in the database for editors, said in the language of the page they read.

    {% load stored_texts %}
    <li>{{ change|said }}</li>                       a Problem, or one stored as JSON
    <td>{{ record.history_change_reason|change_reason }}</td>

Texts stored as plain sentences (before they were kept as messages) show as written.
"""

from django import template

from advice import history
from advice.checks import Problem
from advice.content_checks import said as said_problem
from advice.content_checks import said_stored

register = template.Library()


@register.filter
def said(text) -> str:
    if isinstance(text, Problem):
        return said_problem(text)
    return said_stored(text)


@register.filter
def change_reason(reason) -> str:
    return history.change_reason(reason)
