"""The guided questionnaire: start, one question per page, review, result, delete.

A reader's run is a `QuizSession`; its token is kept in her Django session, and only that
browser can change its answers. The result page is at /results/<token>/ and can be opened
read-only from anywhere with the link. Every problem (a missing answer, a stale form, a
question her answers hide) gets a page that says what happened and where to go on, with a
4xx status, and never touches the answers she already gave.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from advice.releases import live_release

from . import flow, scoring
from .feedback import ResultFeedback, VoteForm, items_on
from .forms import AnswerForm
from .models import ItemFeedback, QuizSession
from .results import result_page_for
from .snapshot import public_questionnaire

SESSION_KEY = "quiz_token"


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
    """django-ratelimit's answer to a client over its budget: 429, in the site's style."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def problem(request, status: int, title: str, message: str, link: str, link_text: str):
    return render(
        request,
        "quiz/problem.html",
        {"title": title, "message": message, "link": link, "link_text": link_text},
        status=status,
    )


def current_session(request: HttpRequest) -> QuizSession | None:
    """The run this browser started, if it still exists."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    session = sessions().filter(token=token).first()
    if session is None:
        request.session.pop(SESSION_KEY, None)
    return session


def sessions():
    """Runs with their published version's number and hash (its content stays in memory)."""
    return QuizSession.objects.select_related("release").defer("release__content")


def questionnaire_gone(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        410,
        "This questionnaire is no longer available",
        "It was taken down after you started. Your answers are kept, but can’t be shown "
        "with it any more.",
        reverse("advice:home"),
        "Read the article",
    )


def question_url(question: scoring.Question) -> str:
    return reverse("quiz:question", args=[question.id])


def no_session(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return problem(
            request,
            403,
            "We couldn’t find your answers in this browser",
            "Answers can only be changed from the browser that started the questionnaire. "
            "Your session may have expired, or cookies may be switched off. Nothing was "
            "changed.",
            reverse("quiz:start"),
            "Start the questionnaire",
        )
    messages.info(request, "Start the questionnaire here; it only takes a few minutes.")
    return redirect("quiz:start")


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts
def start(request: HttpRequest) -> HttpResponse:
    release = live_release()
    questionnaire = public_questionnaire(release)
    if questionnaire is None:
        return render(request, "quiz/coming_soon.html")
    session = current_session(request)
    if request.method == "POST":
        session = QuizSession.objects.create(questionnaire_id=questionnaire.id, release=release)
        request.session[SESSION_KEY] = session.token
        first = flow.first_unanswered(questionnaire.rules, {})
        return redirect(question_url(first) if first else reverse("quiz:review"))
    resume_url = None
    theirs = session.published_questionnaire() if session and not session.is_completed else None
    if theirs is not None:
        pending = flow.first_unanswered(theirs.rules, session.answer_map())
        resume_url = question_url(pending) if pending else reverse("quiz:review")
    return render(
        request,
        "quiz/start.html",
        {
            "questionnaire": questionnaire,
            "question_count": len(questionnaire.rules.questions),
            "session": session,
            "resume_url": resume_url,
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts
def question(request: HttpRequest, question_id: int) -> HttpResponse:
    session = current_session(request)
    if session is None:
        return no_session(request)
    if session.is_completed:
        return finished(request, session)
    questionnaire = session.published_questionnaire()
    if questionnaire is None:
        return questionnaire_gone(request)
    rules = questionnaire.rules
    if question_id not in rules.questions_by_id:
        return problem(
            request,
            404,
            "This question isn’t part of the questionnaire",
            "It may have been removed since you started. Your answers are kept.",
            reverse("quiz:review"),
            "See your answers",
        )
    answers = session.answer_map()
    step = flow.step_for(rules, answers, question_id)
    if step is None:
        return problem(
            request,
            409,
            "This question doesn’t apply to your answers",
            "Because of how you answered an earlier question, we skip this one. Your "
            "answers are kept.",
            resume_url(rules, answers),
            "Go on with the questionnaire",
        )
    if not flow.is_reachable(rules, answers, question_id):
        return problem(
            request,
            409,
            "Please answer the questions in order",
            "Some earlier questions are still unanswered. Your answers are kept.",
            resume_url(rules, answers),
            "Go to the next unanswered question",
        )

    returning_to_review = request.GET.get("from") == "review"
    if request.method == "POST":
        form = AnswerForm(step.question, request.POST)
        if form.is_valid():
            if form.cleaned_data["revision"] != session.revision:
                return problem(
                    request,
                    409,
                    "This page was out of date",
                    "The answer was sent from an older copy of this page (perhaps after "
                    "going back, or from another tab), so we did not use it. Your answers "
                    "are kept; please answer this question again.",
                    request.get_full_path(),
                    "Show the question again",
                )
            session.record_answer(step.question.id, form.chosen_ids())
            answers = {**answers, step.question.id: frozenset(form.chosen_ids())}
            if returning_to_review:
                return redirect("quiz:review")
            return redirect(resume_url(rules, answers, after=step.question.id))
        status = 400
    else:
        chosen = [str(c) for c in sorted(answers.get(question_id, ()))]
        initial_choice = chosen if step.question.multiple else (chosen[0] if chosen else None)
        form = AnswerForm(
            step.question, initial={"revision": session.revision, "choice": initial_choice}
        )
        status = 200
    return render(
        request,
        "quiz/question.html",
        {
            "form": form,
            "step": step,
            "back_url": reverse("quiz:review")
            if returning_to_review
            else (question_url(step.previous) if step.previous else reverse("quiz:start")),
            "returning_to_review": returning_to_review,
        },
        status=status,
    )


def resume_url(rules: scoring.Rules, answers, after: int | None = None) -> str:
    """The next question to show: the one after `after`, else the first unanswered."""
    if after is not None:
        step = flow.step_for(rules, answers, after)
        if step is not None and step.next is not None:
            return question_url(step.next)
    pending = flow.first_unanswered(rules, answers)
    return question_url(pending) if pending else reverse("quiz:review")


def finished(request: HttpRequest, session: QuizSession) -> HttpResponse:
    if request.method == "POST":
        return problem(
            request,
            409,
            "Your answers are already final",
            "You have seen your results, so these answers can’t be changed any more. Nothing "
            "was changed. To answer differently, take the questionnaire again.",
            session.get_absolute_url(),
            "See your results",
        )
    return redirect(session)


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    session = current_session(request)
    if session is None:
        return no_session(request)
    if session.is_completed:
        return finished(request, session)
    questionnaire = session.published_questionnaire()
    if questionnaire is None:
        return questionnaire_gone(request)
    rules = questionnaire.rules
    answers = session.answer_map()
    pending = flow.first_unanswered(rules, answers)
    if request.method == "POST":
        if pending is not None:
            return problem(
                request,
                409,
                "A few questions are still unanswered",
                "Please answer them first; your results need every question you are shown. "
                "Your answers are kept.",
                question_url(pending),
                "Go to the next unanswered question",
            )
        session.complete(questionnaire.rules)
        return redirect(session)
    rows = [
        {
            "question": q,
            "chosen": [c.text for c in q.choices if c.id in answers.get(q.id, ())],
            "change_url": question_url(q) + "?from=review",
        }
        for q in scoring.visible_questions(rules, answers)
    ]
    return render(
        request,
        "quiz/review.html",
        {"rows": rows, "pending_url": question_url(pending) if pending else None},
    )


def session_by_token(token: str) -> QuizSession:
    return get_object_or_404(sessions(), token=token, completed_at__isnull=False)


@private_page(referrer_policy="no-referrer")
@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    session = session_by_token(token)
    page = result_page_for(session)
    if page is None:
        return questionnaire_gone(request)
    is_owner = request.session.get(SESSION_KEY) == token
    # Her votes are read here, not kept in the cached page: voting must not rebuild it.
    votes = ResultFeedback(token, ItemFeedback.votes_of(session)) if is_owner else None
    return render(
        request,
        "quiz/result.html",
        {"page": page, "session": session, "is_owner": is_owner, "feedback": votes},
    )


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
    if request.session.get(SESSION_KEY) != token:
        return problem(
            request,
            403,
            "Only the browser that gave these answers can say what helped",
            "Open the results in the browser you used for the questionnaire. Nothing was recorded.",
            session.get_absolute_url(),
            "Back to the results",
        )
    form = VoteForm(request.POST)
    if not form.is_valid():
        return problem(
            request,
            400,
            "We couldn’t record that",
            "Please press “Yes” or “No” under one of the items on your results. Nothing was "
            "recorded.",
            session.get_absolute_url(),
            "Back to the results",
        )
    item_slug = form.cleaned_data["item"]
    page = result_page_for(session)
    if page is None or item_slug not in items_on(page):
        return problem(
            request,
            404,
            "This item isn’t on your results",
            "It may have changed since the page was loaded, when editors updated the article. "
            "Nothing was recorded.",
            session.get_absolute_url(),
            "Back to the results",
        )
    ItemFeedback.record(session, item_slug, form.is_helpful)
    return redirect_see_other(f"{session.get_absolute_url()}#feedback-{item_slug}")


def redirect_see_other(url: str) -> HttpResponse:
    """303: the browser fetches the page with GET, and a reload does not send the vote again."""
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    session = session_by_token(token)
    if request.session.get(SESSION_KEY) != token:
        return problem(
            request,
            403,
            "Only the browser that gave these answers can delete them",
            "Open this page in the browser you used for the questionnaire.",
            session.get_absolute_url(),
            "Back to the results",
        )
    if request.method == "POST":
        session.forget()
        request.session.pop(SESSION_KEY, None)
        return redirect("quiz:deleted")
    return render(request, "quiz/delete.html", {"session": session})


@private_page
@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "quiz/deleted.html")
