from django.contrib import admin
from django.db.models import Count
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Item, Section

# markdownx's admin class sets this widget only on the model's own form; inlines need it too.
MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "title", "kind", "slug", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
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
        "published_at",
        "updated_at",
    ]
    inlines = [SectionInline]


class ItemInline(admin.StackedInline):
    model = Item
    fields = ["position", "title", "slug", "body", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGET
    show_change_link = True
    extra = 0


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin, MarkdownxModelAdmin):
    list_display = ["title", "article", "kind", "position", "is_published", "item_count"]
    list_display_links = ["title"]
    list_editable = ["position", "is_published"]
    list_filter = ["article", "kind", "is_published"]
    search_fields = ["title", "intro", "outro", "items__title"]
    prepopulated_fields = {"slug": ["title"]}
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").annotate(Count("items"))

    @admin.display(description="items", ordering="items__count")
    def item_count(self, section: Section) -> int:
        return section.items__count


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin, MarkdownxModelAdmin):
    list_display = ["title", "section", "position", "slug", "is_published"]
    list_editable = ["position", "is_published"]
    list_filter = ["section__article", "section", "is_published"]
    list_select_related = ["section", "section__article"]
    search_fields = ["title", "slug", "body"]
    ordering = ["section__position", "position"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["section", "position", "title", "slug", "body", "is_published"]
