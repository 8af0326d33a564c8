"""The review page in admin (Published versions → Review changes), for ReleaseAdmin.

Every editor who may see the versions sees what readers would see change and which of it
is safety-critical; a writer asks for a review; a reviewer approves or sends back, with a
comment. Each step is for the changes as the editor saw them: the form carries their
digest, and a step for changes that moved on meanwhile is refused (the page shows the new
ones). The rules themselves live in advice/review.py, so a raw POST meets them too.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import releases, review, review_mail
from .models import Review

MOVED_ON = _(
    "The changes moved on while you read them (someone saved or published). Read them again below."
)


class ReviewForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    decision = forms.ChoiceField(choices=Review.Decision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For the writers: what to change when sending back; anything worth "
            "knowing when approving. It shows in the history of the rows concerned."
        ),
    )


def review_context(request, found: review.Pending) -> dict:
    """What the publish and review pages say about the review (the `_review.html` include)."""
    user = request.user
    return {
        "review": found,
        "may_review": user.has_perm(review.REVIEW_PERMISSION),
        "wrote_it": found.wrote(user),
        "may_publish": user.has_perm(review.PUBLISH_PERMISSION),
        "steps": review.steps_since(found.since)[:10],
    }


class ReviewViews(admin.ModelAdmin):
    """Mixed into ReleaseAdmin: the review page and its URL."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.review_view)
        return [path("review/", view, name="advice_release_review"), *super().get_urls()]

    def review_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        unpublishable = []
        draft = releases.preview_content(unpublishable)
        found = review.pending(draft)
        form = ReviewForm(request.POST or None, initial={"digest": found.digest})
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid() and form.cleaned_data["digest"] != found.digest:
                form.add_error(None, MOVED_ON)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    step = review.record_step(
                        found, request.user, data["decision"], data["comment"]
                    )
                except review.ReviewRefused as refused:
                    form.add_error(None, refused.message)
                    status = refused.status
                else:
                    return self.reviewed(request, step, found)
        return TemplateResponse(
            request,
            "admin/advice/release/review.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Review changes"),
                "form": form,
                "changes": releases.changes(releases.live_content(), draft),
                "unpublishable": unpublishable,
                **review_context(request, found),
            },
            status=status,
        )

    def reviewed(self, request, step: Review, found: review.Pending):
        review_mail.tell(step, found)
        said = {
            Review.Decision.ASKED: _("Reviewers have been told these changes wait for them."),
            Review.Decision.APPROVED: _("Approved: a publisher can publish these changes now."),
            Review.Decision.SENT_BACK: _("Sent back: the writers have been told."),
        }[step.decision]
        self.message_user(request, said, messages.SUCCESS)
        return redirect("admin:advice_release_review")
