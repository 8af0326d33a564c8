"""Her runs in this browser: one per questionnaire, kept in her Django session.

Each questionnaire has its own address, and a reader may have two open in two tabs, so
her Django session maps each questionnaire (by id: editors may change a slug) to the
token of her run of it. Starting again replaces the run of that questionnaire only, and
deleting her answers forgets only that run.

Before questionnaires had their own addresses a browser held a single run, under
`OLD_KEY`. A reader who was in the middle of it when the site changed keeps it: the first
time her runs are read, it moves to its questionnaire's place (unless she has already
started that questionnaire again since).
"""

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest

from .models import QuizSession

RUNS_KEY = "quiz_runs"  # {"<questionnaire id>": token}
OLD_KEY = "quiz_token"  # one token per browser, as it was before


def sessions():
    """Runs with their published version's number and hash (its content stays in memory),
    and the draft slug of their questionnaire (for a run whose version lacks it)."""
    return (
        QuizSession.objects.select_related("release")
        .defer("release__content")
        .annotate(draft_slug=F("questionnaire__slug"))
    )


def tokens_by_questionnaire(request: HttpRequest) -> dict[str, str]:
    runs = request.session.get(RUNS_KEY)
    if not isinstance(runs, dict):
        return {}
    return {key: token for key, token in runs.items() if isinstance(token, str)}


def old_token(request: HttpRequest) -> str | None:
    token = request.session.get(OLD_KEY)
    return token if isinstance(token, str) else None


def owns(request: HttpRequest, token: str) -> bool:
    """Her own run (she may change, vote on or delete it): one this browser started."""
    return token == old_token(request) or token in tokens_by_questionnaire(request).values()


def holds_a_session(request: HttpRequest) -> bool:
    """Whether her browser sent a session cookie, known without reading the session (which
    would make the page vary with her cookie)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def her_runs(request: HttpRequest) -> list[QuizSession]:
    """Every run this browser holds that still exists, in one query (none when she holds
    none). Runs deleted meanwhile (by retention) are forgotten; the old single run moves
    to its questionnaire's place."""
    runs = tokens_by_questionnaire(request)
    old = old_token(request)
    wanted = set(runs.values()) | ({old} if old else set())
    if not wanted:
        return []
    found = list(sessions().filter(token__in=wanted))
    kept = {s.token: s for s in found}
    updated = {key: token for key, token in runs.items() if token in kept}
    if old is not None:
        request.session.pop(OLD_KEY, None)
        if old in kept:
            updated.setdefault(str(kept[old].questionnaire_id), old)
    if updated != runs:
        request.session[RUNS_KEY] = updated
    current = set(updated.values())
    return [session for session in found if session.token in current]


def remember(request: HttpRequest, session: QuizSession) -> None:
    """Her new run of its questionnaire replaces her earlier one; her others stay."""
    runs = tokens_by_questionnaire(request)
    request.session[RUNS_KEY] = {**runs, str(session.questionnaire_id): session.token}


def forget(request: HttpRequest, token: str) -> None:
    """Only this run: she asked to delete these answers, not her others."""
    runs = tokens_by_questionnaire(request)
    request.session[RUNS_KEY] = {key: value for key, value in runs.items() if value != token}
    if old_token(request) == token:
        request.session.pop(OLD_KEY, None)


def run_of(runs: list[QuizSession], questionnaire_id: int) -> QuizSession | None:
    return next((s for s in runs if s.questionnaire_id == questionnaire_id), None)


def run_at(runs: list[QuizSession], slug: str) -> QuizSession | None:
    """Her run of the questionnaire at /questionnaire/<slug>/, named as in the version she
    is asked under (the address she was given), even if editors changed it since."""
    for session in runs:
        questionnaire = session.published_questionnaire()
        if (questionnaire.slug if questionnaire else session.draft_slug) == slug:
            return session
    return None
