from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from . import releases, review
from .admin_base import ContentAdmin, EditorsAdmin, short_column
from .admin_paste import NewArticleFromText
from .admin_translation import missing_in
from .content_checks import RefusedContent
from .markdown import RefusedMarkdown
from .models import Article, ArticleTranslation, Item, Release, Section
from .positions import ItemForm, SectionForm
from .review_admin import ReviewViews, review_context
from .views import render_page

# markdownx's admin class sets this widget only on the model's own form; inlines need it too.
MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


POSITIONS_SCRIPT = ["advice/admin-positions.js"]


class SectionInline(admin.TabularInline):
    model = Section
    form = SectionForm
    fields = ["position", "title", "kind", "slug", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0

    class Media:
        js = POSITIONS_SCRIPT


class ArticleTranslationInline(admin.TabularInline):
    """Per language: whether readers get it, whether a native speaker has read it, and
    how many of the article's rows still miss a text in it."""

    model = ArticleTranslation
    extra = 0
    fields = ["language", "is_published", "needs_review", "rows_missing"]
    readonly_fields = ["rows_missing"]
    verbose_name = _("translation")
    verbose_name_plural = _("translations")

    @admin.display(description=_("rows with a text missing"))
    def rows_missing(self, state: ArticleTranslation) -> str:
        if state.pk is None:
            return ""
        article = state.article
        count = sum(
            model.objects.filter(parent, missing_in(model, state.language)).count()
            for model, parent in [
                (Article, models.Q(pk=article.pk)),
                (Section, models.Q(article=article)),
                (Item, models.Q(section__article=article)),
            ]
        )
        if not count:
            return gettext("none: complete")
        return ngettext("%(count)s missing", "%(count)s missing", count) % {"count": count}


class ArticleForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "related" in self.fields:
            # An article is never offered as related to itself.
            related = self.fields["related"]
            related.queryset = related.queryset.exclude(pk=self.instance.pk)


@admin.register(Article)
class ArticleAdmin(NewArticleFromText, ContentAdmin):
    form = ArticleForm
    list_display = ["title", "is_published", "is_home", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "meta_description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["published_at", "updated_at"]
    fields = [
        "title",
        "slug",
        "meta_description",
        "is_published",
        "is_home",
        "related",
        "published_at",
        "updated_at",
    ]
    filter_horizontal = ["related"]
    inlines = [ArticleTranslationInline, SectionInline]


class ItemInline(admin.StackedInline):
    model = Item
    form = ItemForm
    fields = ["position", "title", "slug", "body", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGET
    show_change_link = True
    extra = 0

    class Media:
        js = POSITIONS_SCRIPT


@admin.register(Section)
class SectionAdmin(ContentAdmin, MarkdownxModelAdmin):
    list_display = ["short_title", "in_article", "kind", "position", "is_published", "item_count"]
    list_display_links = ["short_title"]
    list_editable = ["position", "is_published"]
    list_filter = ["article", "kind", "is_published"]
    search_fields = ["title", "intro", "outro", "items__title"]
    prepopulated_fields = {"slug": ["title"]}
    form = SectionForm
    fields = [
        "article",
        "kind",
        "title",
        "show_title",
        "slug",
        "position",
        "is_published",
        "intro",
        "outro",
    ]
    inlines = [ItemInline]
    short_title = short_column("title", "title")
    in_article = short_column("article.title", "article", chars=30)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").annotate(Count("items"))

    @admin.display(description=_("items"), ordering="items__count")
    def item_count(self, section: Section) -> int:
        return section.items__count


@admin.register(Item)
class ItemAdmin(ContentAdmin, MarkdownxModelAdmin):
    list_display = ["short_title", "in_section", "position", "short_slug", "is_published"]
    list_editable = ["position", "is_published"]
    list_filter = ["section__article", "section", "is_published"]
    list_select_related = ["section", "section__article"]
    search_fields = ["title", "slug", "body"]
    ordering = ["section__position", "position"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["section", "position", "title", "slug", "body", "is_published"]
    form = ItemForm
    short_title = short_column("title", "title")
    in_section = short_column("section.title", "section", chars=30)
    short_slug = short_column("slug", "slug", chars=30)


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A line for other editors, e.g. “Reworded way 3”."),
    )
    go_live_at = forms.DateTimeField(
        label=_("Go live at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Leave empty to publish now. A later time schedules the version; readers "
            "keep the current one until then."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's picker sends a time without a zone: it is read in the site's.
        self.fields["go_live_at"].help_text = gettext("%(help)s Time zone: %(zone)s.") % {
            "help": self.fields["go_live_at"].help_text,
            "zone": timezone.get_current_timezone_name(),
        }

    def clean_go_live_at(self):
        moment = self.cleaned_data["go_live_at"]
        if moment is not None and moment < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError(_("Pick a time in the future, or leave it empty for now."))
        return moment


def moment(when) -> str:
    """A version's time in the site's zone, as the page's language writes it."""
    return date_format(timezone.localtime(when), "d M Y, H:i")


@admin.register(Release)
class ReleaseAdmin(ReviewViews, EditorsAdmin):
    """Published versions. “Publish changes” (the add button) freezes the draft as one;
    “Review changes” is where a second editor approves it (advice/review_admin.py)."""

    list_display = ["__str__", "status", "go_live_at", "note", "published_by", "approved_by"]
    list_select_related = ["published_by", "approval__by"]
    fields = [
        "note",
        "go_live_at",
        "written_by_names",
        "approved_by",
        "published_by",
        "created_at",
        "status",
    ]
    readonly_fields = fields
    change_list_template = "admin/advice/release/change_list.html"

    def get_queryset(self, request):
        # Each row knows the live version's number, so the list needs one query.
        live = Release.objects.live().values("pk")[:1]
        return super().get_queryset(request).defer("content").annotate(live_pk=Subquery(live))

    @admin.display(description=_("status"))
    def status(self, release: Release) -> str:
        if release.pk == release.live_pk:
            return gettext("Live: readers see this version")
        if release.go_live_at > timezone.now():
            return gettext("Scheduled for %(moment)s") % {"moment": moment(release.go_live_at)}
        return gettext("Earlier version")

    @admin.display(description=_("written by"))
    def written_by_names(self, release: Release) -> str:
        return ", ".join(str(user) for user in release.written_by.all()) or "-"

    @admin.display(description=_("approved by"))
    def approved_by(self, release: Release) -> str:
        return str(release.approval.by) if release.approval and release.approval.by else "-"

    def has_add_permission(self, request):
        """Publishing is the publishers' role (README, "Roles"), not Django's "add"."""
        return request.user.has_perm(review.PUBLISH_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """Only a scheduled version may be withdrawn: one readers saw is their record."""
        if obj is None or obj.go_live_at <= timezone.now():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        releases.withdraw(obj)

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="advice_release_preview",
            ),
            path(
                "preview/<slug:slug>/",
                self.admin_site.admin_view(self.preview_view),
                name="advice_release_preview_article",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_changes": releases.changes(
                releases.live_content(), releases.preview_content()
            ),
            "review_steps": review.steps_since(review.live_since(releases.live_release()))[:5],
        }
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """The publish page: what would change, previews, then publish now or later."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                release = review.publish_reviewed(
                    request.user,
                    note=form.cleaned_data["note"],
                    go_live_at=form.cleaned_data["go_live_at"],
                )
            except (RefusedMarkdown, RefusedContent) as refused:
                form.add_error(
                    None, gettext("Nothing was published. %(why)s") % {"why": refused.message}
                )
            except review.ReviewRefused as refused:
                form.add_error(None, refused.message)
            else:
                return self.published(request, release, form.cleaned_data["go_live_at"])
        unpublishable = []
        draft_release = releases.draft_release(problems=unpublishable)
        draft = releases.published(draft_release)
        return TemplateResponse(
            request,
            "admin/advice/release/publish.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Publish changes"),
                "form": form,
                "changes": releases.changes(releases.live_content(), draft),
                "draft": draft,
                "unpublishable": unpublishable,
                "left_out": releases.omissions(),
                "findings": releases.findings(draft_release.content),
                "scheduled": Release.objects.scheduled().defer("content"),
                **review_context(request, review.pending(draft)),
            },
            status=400 if form.errors else 200,
        )

    def published(self, request, release: Release, when) -> HttpResponseRedirect:
        if when is None:
            message = gettext("Published: readers now see %(version)s.") % {"version": release}
        else:
            message = gettext("%(version)s is scheduled for %(moment)s.") % {
                "version": release,
                "moment": moment(when),
            }
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:advice_release_changelist")

    def preview_view(self, request, slug: str | None = None):
        """An article exactly as readers would see it after publishing the draft: for
        every editor who may see the versions (writers and reviewers check it too)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft = releases.preview_content()
        article = draft.article(slug=slug) if slug else draft.home
        if article is None:
            raise Http404(gettext("The draft has no such published article."))
        response = render_page(request, draft, article, preview=True)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
