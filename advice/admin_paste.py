"""Admin's "New article from text": paste, check what it makes, name the kinds, save a draft.

One page, in two steps that post the same form: "Preview" splits the text (advice/paste.py)
and shows the sections and items it would make, each section with a kind to choose;
"Save as a draft article" saves them (advice/drafts.py) and opens the new article in
admin, where editors edit and publish as usual. The text travels with every post and the
page always shows it again, so no error loses it. The preview is bound to the text it was
made from (a digest in the form): a text changed after its preview is previewed again,
never saved unseen.

`NewArticleFromText` is mixed into `ArticleAdmin`, which is all advice/admin.py knows of it.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .drafts import DraftRefused, create_draft, suggested_kinds
from .models import SECTION_KIND_CHOICES
from .paste import parse

# Several times the seed (17,413 characters); also what a form post may carry
# (DATA_UPLOAD_MAX_MEMORY_SIZE, 512 KB) at four bytes a character.
MAX_CHARACTERS = 100_000
KIND_LABELS = dict(SECTION_KIND_CHOICES)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class PasteForm(forms.Form):
    # No max_length: a browser would cut a longer paste short without a word (maxlength).
    text = forms.CharField(
        label=_("The article’s text"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        error_messages={"required": _("Paste the article’s text: the box is empty.")},
        help_text=_(
            "The first line is the title. Markdown: “## Section” and “### Item” "
            "headings. Plain text: a short line without a full stop starts a section, “1) Title” "
            "starts an item, every other line is a paragraph. A line “---” after a section’s "
            "items starts its text after the items."
        ),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text) > MAX_CHARACTERS:
            raise ValidationError(
                gettext(
                    "The text is %(length)s characters long; one article may have at most "
                    "%(limit)s. Paste a shorter text."
                )
                % {
                    "length": number_format(len(text), force_grouping=True),
                    "limit": number_format(MAX_CHARACTERS, force_grouping=True),
                }
            )
        self.parsed = parse(text)
        if not self.parsed.title:
            raise ValidationError(
                _("No title found: put the article’s title on the first line, then its text.")
            )
        if not self.parsed.heading_count:
            raise ValidationError(
                _(
                    "No headings found: start each section with a heading (“## Reasons”, or a "
                    "short line without a full stop) and each item with one (“### Title”, or "
                    "“1) Title”)."
                )
            )
        sections = self.parsed.sections
        if len(sections) > len(SECTION_KIND_CHOICES):
            untitled = gettext("the introduction")
            found = ", ".join(
                gettext("“%(title)s”") % {"title": section.title or untitled}
                for section in sections
            )
            raise ValidationError(
                gettext(
                    "The text has %(count)d sections (%(found)s); an article has at most "
                    "%(most)d, one of each kind. Join some of them, or end a heading that is no "
                    "section with a full stop."
                )
                % {"count": len(sections), "found": found, "most": len(SECTION_KIND_CHOICES)}
            )
        return text

    def previewed_as_is(self) -> bool:
        """Whether the editor has seen the preview of exactly this text."""
        return self.cleaned_data["previewed"] == digest(self.cleaned_data["text"])


class KindsForm(forms.Form):
    """A kind for each section of the text, each kind for one section at most."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        guesses = suggested_kinds(sections)
        for number, (section, guess) in enumerate(zip(sections, guesses, strict=True)):
            name = {"name": section.title or gettext("the text before the first heading")}
            self.fields[f"kind_{number}"] = forms.ChoiceField(
                label=gettext("Kind of “%(name)s”") % name,
                choices=[("", gettext("Choose a kind")), *SECTION_KIND_CHOICES],
                initial=guess,
                error_messages={"required": gettext("Choose what “%(name)s” is for.") % name},
            )

    def clean(self):
        chosen: dict[str, list[str]] = {}
        for number, section in enumerate(self.sections):
            kind = self.cleaned_data.get(f"kind_{number}")
            if kind:
                chosen.setdefault(kind, []).append(section.title or gettext("the introduction"))
        both = gettext(
            "%(sections)s are both “%(kind)s”: an article has one section of each kind. "
            "Choose another kind for one of them."
        )
        every = gettext(
            "%(sections)s are all “%(kind)s”: an article has one section of each kind. "
            "Choose another kind for one of them."
        )
        for kind, titles in chosen.items():
            if len(titles) > 1:
                named = get_text_list(
                    [gettext("“%(title)s”") % {"title": title} for title in titles], gettext("and")
                )
                self.add_error(
                    None,
                    (both if len(titles) == 2 else every)
                    % {"sections": named, "kind": KIND_LABELS[kind]},
                )
        return self.cleaned_data

    def kinds(self) -> list[str]:
        return [self.cleaned_data[f"kind_{number}"] for number in range(len(self.sections))]

    def rows(self):
        """Each section with its kind's field, for the preview table."""
        return zip(self.sections, (self[name] for name in self.fields), strict=True)


class NewArticleFromText:
    """For `ArticleAdmin`: the page, its address, and the link to it on the article list."""

    change_list_template = "admin/advice/article/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.from_text_view)
        return [path("from-text/", view, name="advice_article_from_text"), *super().get_urls()]

    def may_create_from_text(self, request) -> bool:
        return self.has_add_permission(request) and request.user.has_perms(
            ["advice.add_section", "advice.add_item"]
        )

    def from_text_view(self, request):
        if not self.may_create_from_text(request):
            raise PermissionDenied
        form = PasteForm(request.POST or None)
        kinds_form, problems, notice = None, [], ""
        if form.is_valid():
            saving = request.POST.get("action") == "save"
            if saving and not form.previewed_as_is():
                saving = False
                notice = gettext(
                    "The text changed after its preview: check the preview, then save."
                )
            kinds_form = KindsForm(request.POST if saving else None, sections=form.parsed.sections)
            if saving and kinds_form.is_valid():
                try:
                    article = create_draft(form.parsed, kinds_form.kinds())
                except DraftRefused as refused:
                    problems = refused.problems
                else:
                    return self.saved_from_text(request, article, form.parsed)
        failed = form.errors or (kinds_form is not None and kinds_form.errors) or problems
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("New article from text"),
            "form": form,
            "kinds_form": kinds_form,
            "parsed": getattr(form, "parsed", None),
            "digest": digest(form.cleaned_data["text"]) if kinds_form else "",
            "problems": problems,
            "notice": notice,
        }
        return TemplateResponse(
            request,
            "admin/advice/article/from_text.html",
            context,
            status=400 if failed else 200,
        )

    def saved_from_text(self, request, article, parsed):
        sections, items = len(parsed.sections), parsed.item_count
        summary = ", ".join(
            (
                ngettext("%(count)d section", "%(count)d sections", sections) % {"count": sections},
                ngettext("%(count)d item", "%(count)d items", items) % {"count": items},
            )
        )
        self.log_addition(
            request, article, gettext("Added from pasted text: %(summary)s.") % {"summary": summary}
        )
        self.message_user(
            request,
            gettext(
                "Saved “%(article)s” as a draft: %(summary)s. Readers cannot see it yet: check "
                "it, tick “published”, save, then publish changes."
            )
            % {"article": article, "summary": summary},
            messages.SUCCESS,
        )
        return redirect("admin:advice_article_change", article.pk)
