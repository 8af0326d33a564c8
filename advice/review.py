"""A second editor's review before safety-critical changes reach readers.

A wrong helpline number is worse than none, so changes to what keeps a reader safe are
published only once an editor who did not write them has approved them:

- What is safety-critical (`critical_part`, advice/review_scope.py): support resources,
  answers that raise the safety notice, the questionnaire's safety title, text and level,
  its verdicts, and the walk-away signs (items of "signs" sections) with the rules that
  score them and the score at which a sign counts. With `settings.REVIEW_ALL_CONTENT`,
  everything is.
- "That exact set of changes" (`Pending.digest`): a hash of the safety-critical part of
  the live version and of the draft. An approval stores it; any later edit changes the
  draft, so the digest, so the approval no longer applies. The parts compared are those
  readers would see, built by the same code as a release, so the check looks at exactly
  what publishing would freeze (`publish_reviewed` checks the content being published).
- Who wrote it (`writers_since`, advice/review_writers.py): the editors history recorded
  changing safety-critical rows since the live version was published. None of them may
  approve it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import releases
from .checks import Problem
from .models import Release, Review, ReviewedRow
from .review_scope import critical_changes, critical_part, digest_of
from .review_writers import Writers, writers_since

PUBLISH_PERMISSION = "advice.publish_release"
REVIEW_PERMISSION = "advice.review_release"


class ReviewRefused(Exception):
    """A review step or a publish the rules do not allow; `message` says why."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status  # for a page: 403 refused to this editor, 400 to fix and resend


# -- The pending changes and their review ---------------------------------------------------


@dataclass
class Pending:
    """The safety-critical changes the draft holds over the live version."""

    changes: list[Problem]  # said in the language of whoever reads them
    digest: str  # "" when there are none
    writers: Writers
    since: datetime | None
    last: Review | None  # the latest review step for exactly these changes

    @property
    def needs_review(self) -> bool:
        return bool(self.digest)

    @property
    def approval(self) -> Review | None:
        """The approval of exactly these changes, by an editor who made none of them (one
        who edited and then undid their edit is a writer now, so theirs no longer counts)."""
        last = self.last
        if last is not None and last.decision == Review.Decision.APPROVED:
            return last if last.by_id not in self.writers.users else None
        return None

    @property
    def approved(self) -> bool:
        return not self.needs_review or self.approval is not None

    def wrote(self, user) -> bool:
        return user.pk in self.writers.users


def live_since(live: Release | None) -> datetime | None:
    return live.created_at if live is not None else None


def pending(draft: releases.PublishedContent | None = None, live: Release | None = None) -> Pending:
    """The pending safety-critical changes (from the draft given, or the current one)."""
    live = live or releases.live_release()
    before = releases.published(live) if live is not None else None
    draft = draft if draft is not None else releases.preview_content()
    old, new = critical_part(before), critical_part(draft)
    digest = digest_of(old, new) if old != new else ""
    since = live_since(live)
    if settings.REVIEW_ALL_CONTENT:  # every change: the list readers would see change
        described = releases.changes(before, draft) if digest else []
    else:
        described = critical_changes(old, new)
    return Pending(
        changes=described,
        digest=digest,
        writers=writers_since(since, critical_only=True) if digest else Writers(),
        since=since,
        last=Review.objects.filter(digest=digest).select_related("by").first() if digest else None,
    )


def steps_since(since: datetime | None):
    """Review steps since the live version, the latest first: what admin tells editors."""
    steps = Review.objects.select_related("by")
    return steps.filter(created_at__gt=since) if since is not None else steps


@transaction.atomic
def record_step(found: Pending, user, decision: str, comment: str = "") -> Review:
    """Ask for a review of, approve or send back the pending changes. Refused (raises
    ReviewRefused) when there is nothing to review, when the user may not review, or
    approves changes they wrote."""
    if not found.needs_review:
        raise ReviewRefused(
            gettext("Nothing waits for review: no safety-critical changes are pending."),
            status=400,
        )
    if decision != Review.Decision.ASKED:
        if not user.has_perm(REVIEW_PERMISSION):
            raise ReviewRefused(gettext("Only reviewers may approve or send back changes."))
        if decision == Review.Decision.APPROVED and found.wrote(user):
            raise ReviewRefused(
                gettext(
                    "You cannot approve these changes: you made some of them. Another "
                    "reviewer has to approve them."
                )
            )
        if decision == Review.Decision.SENT_BACK and not comment.strip():
            raise ReviewRefused(
                gettext("Say what to change when sending changes back."), status=400
            )
    step = Review.objects.create(
        decision=decision,
        digest=found.digest,
        changes=[change.as_json() for change in found.changes],
        comment=comment,
        by=user,
    )
    ReviewedRow.objects.bulk_create(
        ReviewedRow(
            review=step,
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
        )
        for model, pk in found.writers.rows
    )
    return step


def steps_about(model: type[models.Model], pk) -> models.QuerySet:
    """Review steps concerning one content row (deleted or not), the latest first."""
    return (
        Review.objects.filter(
            rows__content_type=ContentType.objects.get_for_model(model),
            rows__object_id=str(pk),
        )
        .select_related("by")
        .distinct()
    )


@transaction.atomic
def publish_reviewed(user, *, note: str = "", go_live_at=None) -> Release:
    """Publish the draft, if what it would change that needs review was approved by an
    editor who did not write it. Checked against the content being published, in the
    same transaction, so an edit saved meanwhile cannot slip past the approval."""
    live = releases.live_release()
    checked = {}

    def check(content: dict) -> None:
        frozen = releases.published(Release(content=content, go_live_at=timezone.now()))
        found = checked["pending"] = pending(frozen, live)
        if not found.approved:
            raise ReviewRefused(
                gettext(
                    "Nothing was published: the safety-critical changes need a second "
                    "editor’s approval first."
                )
            )

    release = releases.publish(user=user, note=note, go_live_at=go_live_at, check=check)
    release.approval = checked["pending"].approval
    release.save(update_fields=["approval"])
    writers = writers_since(live_since(live), critical_only=False).users
    release.written_by.set(get_user_model().objects.filter(pk__in=writers))
    return release
