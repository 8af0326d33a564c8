"""Pages under her private result address that go back to the article: the article with
the items her result picked marked, and a plan to print with the ways she chose to try.

Both read the version her result is pinned to, like the result itself, so the marks and
the ways are the ones she was shown. Both are private (never cached, never indexed, no
Referer), and both leave the public article alone: it stays the same bytes for everyone.
"""

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from advice.releases import PublishedArticle, PublishedItem, PublishedSection

from .results import ResultPage, ShownItem, result_page_for
from .views import private_page, questionnaire_gone, session_by_token


def picked_slugs(page: ResultPage) -> frozenset[str]:
    """Every item her result shows: reasons, ways and warning signs."""
    return frozenset(item.slug for group in (page.reasons, page.ways, page.signs) for item in group)


@dataclass(frozen=True)
class Jump:
    """One line of the jump list: an item as the article numbers it in its section."""

    number: int
    item: PublishedItem


def jump_list(
    article: PublishedArticle, picked: frozenset[str]
) -> list[tuple[PublishedSection, list[Jump]]]:
    """Her items in reading order, under the sections that hold them."""
    found = []
    for section in article.public_sections:
        jumps = [
            Jump(number, item)
            for number, item in enumerate(section.public_items, start=1)
            if item.slug in picked
        ]
        if jumps:
            found.append((section, jumps))
    return found


@private_page(referrer_policy="no-referrer")
@require_safe
def article(request: HttpRequest, token: str) -> HttpResponse:
    """The article of her questionnaire, as her version has it, her items marked."""
    session = session_by_token(token)
    page = result_page_for(session)
    if page is None:  # her version no longer holds the questionnaire
        return questionnaire_gone(request)
    questionnaire = session.published_questionnaire()
    found = session.published_content().article(article_id=questionnaire.article_id)
    if found is None:
        return questionnaire_gone(request)
    picked = picked_slugs(page)
    context = {
        "session": session,
        "article": found,
        "picked": picked,
        "jump_list": jump_list(found, picked),
        "questionnaire": questionnaire,  # the header's link, without a query
    }
    return render(request, "quiz/article_for_her.html", context)


class PlanForm(forms.Form):
    """Which of her result's ways go on the plan. Sent as a query (a GET form): choosing
    changes nothing stored, and the plain link shows them all."""

    way = forms.MultipleChoiceField(
        label=gettext_lazy("The ones you want to try"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Tick at least one, or print them all."),
            "invalid_choice": gettext_lazy(
                "That is not one of the ways on your results: tick from the list."
            ),
        },
    )

    def __init__(self, *args, ways: tuple[ShownItem, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["way"].choices = [(way.slug, way.title) for way in ways]


@private_page(referrer_policy="no-referrer")
@require_safe
def plan(request: HttpRequest, token: str) -> HttpResponse:
    """The ways she chose (all of her result's, until she chooses), to print.

    Only the ways: no verdict, no reasons, no warning signs, no answers of hers, and not
    the safety panel's helplines either. A sheet left on a table should say little to
    whoever picks it up; a helpline's name on it says the most. They stay one link away
    on her result, which is where the plan's "Back" leads.
    """
    session = session_by_token(token)
    page = result_page_for(session)
    if page is None:
        return questionnaire_gone(request)
    every = [way.slug for way in page.ways]
    # Bound only when her form was sent: a stray query (a link tracker's) shows them all.
    sent = request.GET if {"way", "choose"} & request.GET.keys() else None
    form = PlanForm(sent, ways=page.ways, initial={"way": every})
    chosen = page.ways
    if form.is_bound and form.is_valid():
        wanted = set(form.cleaned_data["way"])
        chosen = tuple(way for way in page.ways if way.slug in wanted)
    context = {
        "session": session,
        "form": form,
        "ways": chosen,
        "choosing": len(chosen) < len(page.ways),
        "questionnaire": session.published_questionnaire(),
    }
    return render(request, "quiz/plan.html", context, status=400 if form.errors else 200)
