"""Mail about reviews (Django's mail: the console unless EMAIL_HOST is set).

- Asked for a review: the reviewers who did not write the changes are told.
- Approved or sent back: whoever wrote the changes or asked for the review is told, with
  the reviewer's comment.

A mail that cannot be sent is logged and does not undo the review step: admin shows the
same state to everyone who opens it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext

from .content_checks import said_stored
from .models import Review
from .review import REVIEW_PERMISSION, Pending

logger = logging.getLogger(__name__)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def address_of_review_page() -> str:
    return f"{settings.SITE_URL}{reverse('admin:advice_release_review')}"


def mails_to(users, subject: str, body: str) -> list[tuple]:
    return [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in users
        if user.email and user.is_active
    ]


def send(messages: list[tuple]) -> int:
    try:
        return send_mass_mail(messages)
    except OSError:  # smtplib's errors are OSErrors: a mail server down or refusing
        logger.exception("Review mail not sent")
        return 0


def tell(step: Review, found: Pending) -> int:
    """Mail the editors this review step concerns; how many mails were sent."""
    users = get_user_model().objects.exclude(pk=step.by_id)
    # In the language of this request: the editors told read the mail as it is sent.
    changes = "\n".join(f"- {said_stored(line)}" for line in step.changes)
    if step.decision == Review.Decision.ASKED:
        reviewers = (
            get_user_model()
            # axes' backend grants nothing: the model backend is the one that knows roles.
            .objects.with_perm(REVIEW_PERMISSION, backend=MODEL_BACKEND)
            .exclude(pk=step.by_id)
            .exclude(pk__in=found.writers.users)
        )
        subject = gettext("%(site)s: changes wait for your review") % {"site": settings.SITE_NAME}
        body = gettext(
            "%(editor)s asks for a review of these safety-critical changes before they are "
            "published:\n\n%(changes)s\n\nReview them: %(address)s\n"
        ) % {"editor": step.by, "changes": changes, "address": address_of_review_page()}
        return send(mails_to(reviewers, subject, body))
    askers = Review.objects.filter(digest=step.digest).values("by")
    waiting = users.filter(pk__in=found.writers.users) | users.filter(pk__in=askers)
    approved = step.decision == Review.Decision.APPROVED
    if approved:
        subject = gettext("%(site)s: your changes were approved")
    else:
        subject = gettext("%(site)s: your changes were sent back")
    subject = subject % {"site": settings.SITE_NAME}
    comment = (
        (gettext("\n\nTheir comment:\n%(comment)s") % {"comment": step.comment})
        if step.comment
        else ""
    )
    if approved:
        body = gettext(
            "%(editor)s approved these safety-critical changes:\n\n%(changes)s%(comment)s\n\n"
            "See them: %(address)s\n"
        )
    else:
        body = gettext(
            "%(editor)s sent back these safety-critical changes:\n\n%(changes)s%(comment)s\n\n"
            "See them: %(address)s\n"
        )
    body = body % {
        "editor": step.by,
        "changes": changes,
        "comment": comment,
        "address": address_of_review_page(),
    }
    return send(mails_to(waiting.distinct(), subject, body))
