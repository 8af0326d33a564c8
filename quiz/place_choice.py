"""Where she says she is, read from her request for the safety panel (quiz/places.py).

Her choice comes in the address (`?country=AU`, the GET form on the panel and on the
questionnaire's start page) and is kept in her
anonymous Django session, beside her runs, so it holds when she comes back to the page
(after a "Was this helpful?" answer, say) and goes when the session does. That is all
that is stored: a country code she chose, never anything looked up about her. "Delete my
answers" forgets it too.
"""

from __future__ import annotations

from django.http import HttpRequest

from . import places
from .results import ResultPage

SESSION_KEY = "quiz_place"
PARAMETER = "country"


def safety_lines(request: HttpRequest, page: ResultPage, *, remember: bool = True) -> dict:
    """Context for the safety panel: `safety` (a places.SafetyLines), `unknown_place`
    (the address named a place we have no lines for), and `keep`, the address's other
    parameters, which the panel's form sends again (the result simulator's answers)."""
    numbers = page.emergency_numbers
    asked = request.GET.get(PARAMETER)
    place = places.known(asked, numbers) if asked is not None else None
    unknown = bool(asked and asked.strip()) and place is None and bool(numbers)
    if asked is not None and not unknown:
        # She chose (a place, or "Choose a country" to take her choice back).
        if remember:
            remember_choice(request, place)
        how = places.CHOSEN
    else:
        # Nothing chosen in this address (or a place we lack): her earlier choice, then
        # her browser's region.
        place = places.known(request.session.get(SESSION_KEY, ""), numbers) if remember else None
        how = places.CHOSEN
        if place is None:
            place = places.place_from_browser(request.headers.get("Accept-Language", ""), numbers)
            how = places.FROM_BROWSER
    keep = [(k, v) for k, values in request.GET.lists() if k != PARAMETER for v in values]
    return {
        "safety": places.lines_for(numbers, page.resources, place, how),
        "unknown_place": unknown,
        "keep": keep,
    }


def on_the_start_page(request: HttpRequest, numbers, *, chosen: bool) -> dict:
    """Context for the start page's "Where are you?": the place she chose earlier in this
    browser (read from her session only when `chosen`: a newcomer's page is every
    newcomer's, so it reads no session and shows nothing chosen)."""
    place = places.known(request.session.get(SESSION_KEY, ""), numbers) if chosen else None
    return {"safety": places.lines_for(numbers, (), place, places.CHOSEN), "keep": ()}


def choose_on_the_start_page(request: HttpRequest, numbers) -> bool:
    """Her choice from the start page's form (`?country=AU`, or empty to take it back),
    kept in her session. False, keeping nothing, for a place we have no lines for."""
    asked = request.GET.get(PARAMETER, "")
    place = places.known(asked, numbers)
    if asked.strip() and place is None:
        return False
    remember_choice(request, place)
    return True


def remember_choice(request: HttpRequest, place: str | None) -> None:
    # Written only when it changes: a session write is a query.
    if request.session.get(SESSION_KEY) == place:
        return
    if place:
        request.session[SESSION_KEY] = place
    else:
        request.session.pop(SESSION_KEY, None)


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
