"""What a reader is told when a step of the questionnaire cannot go ahead.

Every problem gets a page that says what happened, what became of her answers, and where
to go on, with a 4xx status. The words live here, in one voice and ready for
translation; the views decide which problem applies and where its link leads.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Problem:
    status: int
    title: str
    message: str
    link_text: str

    def response(self, request: HttpRequest, link: str) -> HttpResponse:
        """The problem's page, with a link to `link`: where she can go on."""
        return render(
            request, "quiz/problem.html", {"problem": self, "link": link}, status=self.status
        )


# -- Her run --------------------------------------------------------------------------------

NO_RUN = Problem(
    403,
    _("We couldn’t find your answers in this browser"),
    _(
        "Answers can only be changed from the browser that started the questionnaire. Your "
        "session may have expired, or cookies may be switched off. Nothing was changed."
    ),
    _("Start the questionnaire"),
)
# Not a problem page: opening a step without a run leads to the start page, with this note.
START_HERE = _("Start the questionnaire here; it only takes a few minutes.")

NO_SUCH_QUESTIONNAIRE = Problem(
    404,
    _("We couldn’t find this questionnaire"),
    _(
        "The address may be mistyped, or the questionnaire may not be published (any more). "
        "Each article that has a questionnaire invites you to it."
    ),
    _("Read the article"),
)
# Not a problem page: an address from before each questionnaire had its own, whose run is
# not in this browser; she is taken to the start, with this note.
OLD_ADDRESS = _(
    "The questionnaire’s address has changed. We couldn’t tell which questions you were "
    "answering in this browser, so please start here."
)

QUESTIONNAIRE_GONE = Problem(
    410,
    _("This questionnaire is no longer available"),
    _(
        "It was taken down after you started. Your answers are kept, but can’t be shown with "
        "it any more."
    ),
    _("Read the article"),
)
ALREADY_FINAL = Problem(
    409,
    _("Your answers are already final"),
    _(
        "You have seen your results, so these answers can’t be changed any more. Nothing was "
        "changed. To answer differently, take the questionnaire again."
    ),
    _("See your results"),
)

# -- A question -----------------------------------------------------------------------------

QUESTION_REMOVED = Problem(
    404,
    _("This question isn’t part of the questionnaire"),
    _("It may have been removed since you started. Your answers are kept."),
    _("See your answers"),
)
QUESTION_SKIPPED = Problem(
    409,
    _("This question doesn’t apply to your answers"),
    _("Because of how you answered an earlier question, we skip this one. Your answers are kept."),
    _("Go on with the questionnaire"),
)
NOT_IN_ORDER = Problem(
    409,
    _("Please answer the questions in order"),
    _("Some earlier questions are still unanswered. Your answers are kept."),
    _("Go to the next unanswered question"),
)
OUT_OF_DATE = Problem(
    409,
    _("This page was out of date"),
    _(
        "The answer was sent from an older copy of this page (perhaps after going back, or "
        "from another tab), so we did not use it. Your answers are kept; please answer this "
        "question again."
    ),
    _("Show the question again"),
)
UNANSWERED = Problem(
    409,
    _("A few questions are still unanswered"),
    _(
        "Please answer them first; your results need every question you are shown. Your "
        "answers are kept."
    ),
    _("Go to the next unanswered question"),
)

# -- Her result -----------------------------------------------------------------------------

VOTE_FROM_ANOTHER_BROWSER = Problem(
    403,
    _("Only the browser that gave these answers can say what helped"),
    _("Open the results in the browser you used for the questionnaire. Nothing was recorded."),
    _("Back to the results"),
)
VOTE_UNREADABLE = Problem(
    400,
    _("We couldn’t record that"),
    _("Please press “Yes” or “No” under one of the items on your results. Nothing was recorded."),
    _("Back to the results"),
)
VOTE_ON_ITEM_NOT_SHOWN = Problem(
    404,
    _("This item isn’t on your results"),
    _(
        "It may have changed since the page was loaded, when editors updated the article. "
        "Nothing was recorded."
    ),
    _("Back to the results"),
)
DELETE_FROM_ANOTHER_BROWSER = Problem(
    403,
    _("Only the browser that gave these answers can delete them"),
    _("Open this page in the browser you used for the questionnaire."),
    _("Back to the results"),
)
DELETE_UNREADABLE = Problem(
    400,
    _("We couldn’t tell what to delete"),
    _(
        "Please press one of the buttons on the page: this check-in, or all of them. "
        "Nothing was deleted."
    ),
    _("Back to deleting"),
)
# Not a problem page: after one check-in of several is deleted, on her next result.
CHECK_IN_DELETED = _("That check-in is deleted. Your other check-ins are kept.")
