"""The guided questionnaire: start, one question per page, review, result, delete.

Each published questionnaire has its own address, /questionnaire/<slug>/, with its steps
under it (quiz/old_addresses.py answers the addresses from before). A reader's run is a
`QuizSession`; its token is kept in her Django session, one per questionnaire
(quiz/runs.py), and only that browser can change its answers. The result page is at
/results/<token>/ and can be opened read-only from anywhere with the link. Every problem
(a missing answer, a stale form, a question her answers hide) gets a page that says what
happened and where to go on, with a 4xx status, and never touches the answers she already
gave.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from advice.navigation import questionnaire_breadcrumbs
from advice.releases import live_release, published
from advice.views import conditional, page_etag
from config.languages import site_languages
from config.page_cache import public_page

from . import check_ins, emergency, flow, place_choice, problems, runs, scoring, timeline
from .feedback import ResultFeedback, VoteForm, items_on
from .forms import AnswerForm
from .models import ItemFeedback, QuizSession
from .results import result_page_for
from .snapshot import PublishedQuestionnaire, questionnaire_by_slug


def private_page(view=None, *, referrer_policy: str = "same-origin"):
    """Pages about one reader's answers: never cached or indexed, nor sent on as a Referer.

    Result pages carry their token in the address, so they send no Referer at all. Pages
    with forms cannot: under "no-referrer" browsers send `Origin: null` with a POST, which
    Django's CSRF protection rightly refuses. They send it to this site only.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = never_cache(view)(request, *args, **kwargs)
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Referrer-Policy"] = referrer_policy
            return response

        return wrapped

    return decorate(view) if view is not None else decorate


def quiz_post_rate(group, request) -> str:
    """Read at each request, so settings (and tests) can change it."""
    return settings.QUIZ_POST_RATE


# Starting and answering share one budget per client address.
limit_posts = ratelimit(group="quiz-posts", key="ip", rate=quiz_post_rate, method="POST")


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    """django-ratelimit's answer to a client over its budget: 429, in the site's style,
    with a way back to the page she sent it from."""
    match = request.resolver_match
    if match is not None and match.url_name in ("start", "question"):
        back = request.path
    elif match is not None and match.url_name == "feedback":
        back = reverse("quiz:result", args=[match.kwargs["token"]])
    elif match is not None and match.url_name == "check_in":
        back = reverse("quiz:check_in", args=[match.kwargs["token"]])
    else:
        back = reverse("quiz:index")
    response = render(request, "429.html", {"back_url": back}, status=429)
    response["Retry-After"] = "60"
    return response


def questionnaire_gone(request: HttpRequest) -> HttpResponse:
    return problems.QUESTIONNAIRE_GONE.response(request, reverse("advice:home"))


def question_url(questionnaire: PublishedQuestionnaire, question: scoring.Question) -> str:
    return reverse("quiz:question", args=[questionnaire.slug, question.id])


def review_url(questionnaire: PublishedQuestionnaire) -> str:
    return reverse("quiz:review", args=[questionnaire.slug])


def no_session(request: HttpRequest, start_url: str) -> HttpResponse:
    if request.method == "POST":
        return problems.NO_RUN.response(request, start_url)
    messages.info(request, problems.START_HERE)
    return redirect(start_url)


def finished(request: HttpRequest, session: QuizSession) -> HttpResponse:
    if request.method == "POST":
        return problems.ALREADY_FINAL.response(request, session.get_absolute_url())
    return redirect(session)


def open_run(view):
    """For the steps of a run in progress (a question, the review) at
    /questionnaire/<slug>/...: her run of that questionnaire, not yet completed, and the
    questionnaire as her published version has it are passed to the view. Otherwise the
    view is not called, and the reader is told why."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        session = runs.run_at(runs.her_runs(request), slug)
        if session is None:
            return no_session(request, reverse("quiz:start", args=[slug]))
        if session.is_completed:
            return finished(request, session)
        questionnaire = session.published_questionnaire()
        if questionnaire is None:
            return questionnaire_gone(request)
        return view(request, session, questionnaire, *args, **kwargs)

    return wrapped


def start_page(
    request: HttpRequest, release, questionnaire, session=None, *, unknown_place=False
) -> HttpResponse:
    theirs = session.published_questionnaire() if session and not session.is_completed else None
    returning = runs.holds_a_session(request)
    numbers = emergency.numbers_in(published(release))
    return render(
        request,
        "quiz/start.html",
        {
            **place_choice.on_the_start_page(request, numbers, chosen=returning),
            "unknown_place": unknown_place,
            "questionnaire": questionnaire,
            "question_count": len(questionnaire.rules.questions),
            "session": session,
            "resume_url": resume_url(theirs, session.answer_map()) if theirs else None,
            "breadcrumbs": questionnaire_breadcrumbs(request, published(release), questionnaire),
            "page_languages": site_languages(),
            # A newcomer's page is every newcomer's: it carries no form token (see start).
            "with_form_token": session is not None or returning,
        },
    )


@public_page
def newcomers_start(request: HttpRequest, release, questionnaire) -> HttpResponse:
    """The start page as every browser without a session gets it: the same for all, so the
    page cache and proxies keep it (config/page_cache.py)."""
    return conditional(
        request,
        page_etag(published(release), f"start:{questionnaire.id}"),
        release.go_live_at,
        lambda: start_page(request, release, questionnaire),
    )


def csrf_refused(request: HttpRequest) -> bool:
    """Django's own CSRF check (token, Origin, Referer), made where the view chooses."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is not None


# Django's CSRF check is made inside, only when she has a session: a newcomer's start page
# carries no form token so that it can be one page for all (issue 15). A forged POST from
# a browser without a session can only start an empty run in it, losing nothing; one from
# a browser with a session could drop the run she had ("Start again"), so there the token
# is checked, and a POST without a good one leads back to this page, nothing changed.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts
def start(request: HttpRequest, slug: str) -> HttpResponse:
    release = live_release()
    questionnaire = questionnaire_by_slug(published(release) if release else None, slug)
    if questionnaire is None:
        return problems.NO_SUCH_QUESTIONNAIRE.response(request, reverse("advice:home"))
    returning = runs.holds_a_session(request)
    if request.method == "POST":
        if returning and csrf_refused(request):
            return redirect(questionnaire.get_absolute_url())
        session = QuizSession.objects.create(
            questionnaire_id=questionnaire.id, release=release, language=get_language()
        )
        runs.remember(request, session)
        return redirect(resume_url(questionnaire, {}))
    if place_choice.PARAMETER in request.GET:
        return private_page(choose_place)(request, release, questionnaire)
    if not returning:
        return newcomers_start(request, release, questionnaire)
    return private_page(start_page)(
        request, release, questionnaire, runs.run_of(runs.her_runs(request), questionnaire.id)
    )


def choose_place(request: HttpRequest, release, questionnaire) -> HttpResponse:
    """Where she is, chosen on the start page: kept in her session for her result's safety
    panel, then back to the start page, which shows that place's emergency number. A place
    we have no lines for gets the page saying so, nothing kept."""
    numbers = emergency.numbers_in(published(release))
    if not place_choice.choose_on_the_start_page(request, numbers):
        session = runs.run_of(runs.her_runs(request), questionnaire.id)
        return start_page(request, release, questionnaire, session, unknown_place=True)
    return redirect(questionnaire.get_absolute_url() + "#where")


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts
@open_run
def question(
    request: HttpRequest,
    session: QuizSession,
    questionnaire: PublishedQuestionnaire,
    question_id: int,
) -> HttpResponse:
    rules, answers = questionnaire.rules, session.answer_map()
    if question_id not in rules.questions_by_id:
        return problems.QUESTION_REMOVED.response(request, review_url(questionnaire))
    step = flow.step_for(rules, answers, question_id)
    if step is None:
        return problems.QUESTION_SKIPPED.response(request, resume_url(questionnaire, answers))
    if not flow.is_reachable(rules, answers, question_id):
        return problems.NOT_IN_ORDER.response(request, resume_url(questionnaire, answers))
    returning_to_review = request.GET.get("from") == "review"
    # A check-in shows what she answered last time, picked until she answers anew.
    last_time = check_ins.answered_last_time(session) if session.timeline_id else None
    if request.method != "POST":
        chosen = answers.get(question_id)
        if chosen is None and last_time is not None:
            chosen = last_time.answers.get(question_id, ())
        form = AnswerForm.showing(step.question, chosen or (), session.revision)
    else:
        form = AnswerForm(step.question, request.POST)
        if form.is_valid():
            if form.cleaned_data["revision"] != session.revision:
                return problems.OUT_OF_DATE.response(request, request.get_full_path())
            session.record_answer(step.question.id, form.chosen_ids())
            if returning_to_review:
                return redirect(review_url(questionnaire))
            answers = {**answers, step.question.id: frozenset(form.chosen_ids())}
            return redirect(resume_url(questionnaire, answers, after=step.question.id))
    context = {
        "questionnaire": questionnaire,
        "form": form,
        "step": step,
        "back_url": back_url(questionnaire, step, returning_to_review),
        "returning_to_review": returning_to_review,
        "last_time": last_time_shown(step.question, last_time),
    }
    return render(request, "quiz/question.html", context, status=400 if form.is_bound else 200)


def last_time_shown(question: scoring.Question, last_time: check_ins.Answered | None):
    """What she answered to this question at her last check-in: its date and choices."""
    if last_time is None:
        return None
    picked = last_time.answers.get(question.id, frozenset())
    return {"on": last_time.on, "chosen": [c.text for c in question.choices if c.id in picked]}


def back_url(
    questionnaire: PublishedQuestionnaire, step: flow.Step, returning_to_review: bool
) -> str:
    """Where "Back" leads: to the review she came from, the previous question, or the start."""
    if returning_to_review:
        return review_url(questionnaire)
    if step.previous:
        return question_url(questionnaire, step.previous)
    return questionnaire.get_absolute_url()


def resume_url(questionnaire: PublishedQuestionnaire, answers, after: int | None = None) -> str:
    """The next question to show: the one after `after`, else the first unanswered."""
    rules = questionnaire.rules
    if after is not None:
        step = flow.step_for(rules, answers, after)
        if step is not None and step.next is not None:
            return question_url(questionnaire, step.next)
    pending = flow.first_unanswered(rules, answers)
    return question_url(questionnaire, pending) if pending else review_url(questionnaire)


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@open_run
def review(
    request: HttpRequest, session: QuizSession, questionnaire: PublishedQuestionnaire
) -> HttpResponse:
    rules, answers = questionnaire.rules, session.answer_map()
    pending = flow.first_unanswered(rules, answers)
    if request.method == "POST":
        if pending is not None:
            return problems.UNANSWERED.response(request, question_url(questionnaire, pending))
        earlier = check_ins.earlier_for_completion(session) if session.timeline_id else None
        session.complete(rules, earlier, language=get_language())
        # Her result link, in the language she finished in (the link she keeps).
        return redirect(session.result_link())
    rows = [
        {
            "question": q,
            "chosen": [c.text for c in q.choices if c.id in answers.get(q.id, ())],
            "change_url": question_url(questionnaire, q) + "?from=review",
        }
        for q in scoring.visible_questions(rules, answers)
    ]
    return render(
        request,
        "quiz/review.html",
        {
            "questionnaire": questionnaire,
            "rows": rows,
            "pending_url": question_url(questionnaire, pending) if pending else None,
        },
    )


def session_by_token(token: str) -> QuizSession:
    return get_object_or_404(runs.sessions(), token=token, completed_at__isnull=False)


def her_timeline(token: str) -> tuple[QuizSession, list[QuizSession]]:
    """The completed run with this token and its timeline (oldest first), in one query."""
    found = check_ins.timeline_of(token)
    session = next((run for run in found if run.token == token), None)
    if session is None:
        raise Http404
    return session, found


@private_page(referrer_policy="no-referrer")
@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    session, runs_of_timeline = her_timeline(token)
    page = result_page_for(session)
    if page is None:
        return questionnaire_gone(request)
    is_owner = check_ins.owns_any(request, runs_of_timeline)
    # Her votes are read here, not kept in the cached page: voting must not rebuild it.
    # Only on the run this browser answered: an earlier check-in is shown as it was.
    voting = runs.owns(request, token)
    votes = ResultFeedback(token, ItemFeedback.votes_of(session)) if voting else None
    context = {"page": page, "session": session, "is_owner": is_owner, "feedback": votes}
    if len(runs_of_timeline) > 1:
        context["timeline"] = timeline.entries(runs_of_timeline, session)
        context["moved"] = timeline.what_moved(session, runs_of_timeline)
    context.update(place_choice.safety_lines(request, page))
    # Her questionnaire as her version has it: the header leads to its address.
    context["questionnaire"] = session.published_questionnaire()
    return render(request, "quiz/result.html", context)


# No CSRF token check, and that is safe here. The result page must send no Referer (its
# address is the reader's secret), and under that policy browsers send "Origin: null" with
# its form posts, which Django's CSRF check refuses. A vote is accepted only when both hold:
# (a) it comes from the browser that answered: its Django session names this token, and
#     the session cookie is SameSite=Lax, so a browser never sends it with a POST from
#     another site;
# (b) the address carries the result's token, 256 random bits a cross-site attacker cannot
#     know: the same guarantee a CSRF token gives.
# At worst a forged request could change her own "Was this helpful?" answer; it can never
# read, change or delete her answers.
@csrf_exempt
@private_page(referrer_policy="no-referrer")
@require_POST
@limit_posts
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """Her "Was this helpful?" on one item of her result; back to the item afterwards."""
    session = session_by_token(token)
    results = session.get_absolute_url()
    if not runs.owns(request, token):
        return problems.VOTE_FROM_ANOTHER_BROWSER.response(request, results)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return problems.VOTE_UNREADABLE.response(request, results)
    item_slug = form.cleaned_data["item"]
    page = result_page_for(session)
    if page is None or item_slug not in items_on(page):
        return problems.VOTE_ON_ITEM_NOT_SHOWN.response(request, results)
    ItemFeedback.record(session, item_slug, form.is_helpful)
    return redirect_see_other(f"{session.get_absolute_url()}#feedback-{item_slug}")


def redirect_see_other(url: str) -> HttpResponse:
    """303: the browser fetches the page with GET, and a reload does not send the vote again."""
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """ "Check in again": a new run tied to her earlier ones, from her result, in the
    browser that answered or through her private link (she may have cleared this
    browser's data since, to stay safe)."""
    session, runs_of_timeline = her_timeline(token)
    # Pressing "Check in again" twice goes on with the same check-in.
    ongoing = check_ins.ongoing(request, runs_of_timeline)
    if request.method == "POST":
        if ongoing is None:
            ongoing = check_ins.start(session, runs_of_timeline)
            if ongoing is None:
                return questionnaire_gone(request)
            runs.remember(request, ongoing)
        questionnaire = ongoing.published_questionnaire()
        return redirect(resume_url(questionnaire, ongoing.answer_map()))
    context = {"session": session, "latest": runs_of_timeline[-1], "ongoing": ongoing}
    context["questionnaire"] = session.published_questionnaire()  # the header's link
    return render(request, "quiz/check_in.html", context)


DELETE_WHICH = ("this", "all")


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    """Her answers, for good: this check-in, or (on a timeline) all of them."""
    session, runs_of_timeline = her_timeline(token)
    if not check_ins.owns_any(request, runs_of_timeline):
        return problems.DELETE_FROM_ANOTHER_BROWSER.response(request, session.get_absolute_url())
    if request.method == "POST":
        which = request.POST.get("which", "this")
        if which not in DELETE_WHICH:
            return problems.DELETE_UNREADABLE.response(request, request.path)
        left = [run for run in runs_of_timeline if run.pk != session.pk]
        # Her only result goes with any check-in she began from it: nothing of hers stays.
        if which == "all" or not left:
            for gone in check_ins.forget_all(session):
                runs.forget(request, gone)
            place_choice.forget(request)  # where she said she is goes with her answers
            return redirect("quiz:deleted")
        check_ins.forget_one(session)
        runs.forget(request, token)
        # This browser keeps hold of the rest of her timeline.
        if not check_ins.owns_any(request, left):
            runs.remember(request, left[-1])
        messages.success(request, problems.CHECK_IN_DELETED)
        return redirect(left[-1])
    context = {"session": session, "check_in_count": len(runs_of_timeline)}
    context["questionnaire"] = session.published_questionnaire()  # the header's link
    return render(request, "quiz/delete.html", context)


@private_page
@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/deleted.html")
