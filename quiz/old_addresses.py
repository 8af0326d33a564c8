"""The questionnaire's addresses from before each questionnaire had its own.

There was one questionnaire, at /questionnaire/, with its steps at
/questionnaire/question/<id>/ and /questionnaire/review/. Links and bookmarks to
/questionnaire/ now lead to the front-page article's questionnaire. A reader who had a
step open in a tab when the site changed is taken to the same step of her run at its new
address, and a form she sends to the old address is sent on there unchanged (307, which
keeps the method and the body). When her run cannot be told, she starts from the start,
told why; her answers are never touched here.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from advice.releases import live_content

from . import problems, runs
from .models import QuizSession
from .snapshot import front_page_questionnaire
from .views import private_page

STEP_METHODS = ["GET", "HEAD", "POST"]


def moved(request: HttpRequest, url: str) -> HttpResponse:
    """To `url`, with the query string (?from=review) and, for a form, the same POST."""
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    response = HttpResponseRedirect(url)
    if request.method == "POST":
        response.status_code = 307
    return response


def run_unknown(request: HttpRequest) -> HttpResponse:
    """Her run is not in this browser, or cannot be told from the address: the start. A
    form is not sent on (it would start a run she did not ask for); its page says why."""
    start = reverse("quiz:index")
    if request.method == "POST":
        return problems.NO_RUN.response(request, start)
    messages.info(request, problems.OLD_ADDRESS)
    return redirect(start)


@private_page
@require_http_methods(STEP_METHODS)
def front_page(request: HttpRequest) -> HttpResponse:
    """/questionnaire/: the front-page article's questionnaire. A 302, not a 301: which
    article is on the front page is editors' choice, and browsers keep a 301 for good."""
    questionnaire = front_page_questionnaire(live_content())
    if questionnaire is None:
        return render(request, "quiz/coming_soon.html")
    # A start form from before (it was sent here) starts that questionnaire.
    return moved(request, questionnaire.get_absolute_url())


def open_first(found: list[QuizSession]) -> list[QuizSession]:
    return sorted(found, key=lambda session: session.is_completed)


@private_page
@require_http_methods(STEP_METHODS)
def question(request: HttpRequest, question_id: int) -> HttpResponse:
    """The question in her run that asks it (question ids are unique across
    questionnaires), at its new address."""
    for session in open_first(runs.her_runs(request)):
        questionnaire = session.published_questionnaire()
        if questionnaire is not None and question_id in questionnaire.rules.questions_by_id:
            return moved(request, reverse("quiz:question", args=[questionnaire.slug, question_id]))
    return run_unknown(request)


@private_page
@require_http_methods(STEP_METHODS)
def review(request: HttpRequest) -> HttpResponse:
    """The review of her run, when she has one to review (a tab from before the change
    held one run per browser); with several open, the address cannot tell which."""
    found = runs.her_runs(request)
    candidates = [s for s in found if not s.is_completed] or found
    questionnaire = candidates[0].published_questionnaire() if len(candidates) == 1 else None
    if questionnaire is None:
        return run_unknown(request)
    return moved(request, reverse("quiz:review", args=[questionnaire.slug]))
