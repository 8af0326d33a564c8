"""The article as editable rows: an article, its sections, and their numbered items.

Readers only ever see rows whose `is_published` is set (and whose parents are published):
the `published()` queryset methods are the one definition of "public", used by the page,
the sitemap and the questionnaire alike.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .markdown import render_markdown

WORDS_READ_PER_MINUTE = 220


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    meta_description = models.CharField(
        max_length=300,
        help_text="Shown by search engines and link previews. About 150 characters.",
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Only published articles reach readers."
    )
    is_home = models.BooleanField(
        "front page",
        default=False,
        help_text="The article readers see at the site's address. Only one can be.",
    )
    published_at = models.DateTimeField(
        "first published", null=True, blank=True, help_text="Set when first published."
    )
    updated_at = models.DateTimeField(
        "last updated",
        default=timezone.now,
        help_text="Moves forward whenever the article, a section or an item is saved.",
    )

    objects = ArticleQuerySet.as_manager()
    # Every saved change, with its editor; `updated_at` alone moves without a record.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-is_home", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"],
                condition=models.Q(is_home=True),
                name="advice_one_home_article",
                violation_error_message="Another article is already the front page.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if self.is_published and self.published_at is None:
            self.published_at = self.updated_at
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at", "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.is_home:
            return reverse("advice:home")
        return reverse("advice:article", args=[self.slug])

    def published_sections(self):
        """Published sections with their published items, in reading order, in two queries."""
        return self.sections.published().prefetch_related(
            # The sections are already filtered, so the items need only their own flag.
            models.Prefetch(
                "items", queryset=Item.objects.filter(is_published=True), to_attr="public_items"
            )
        )

    @cached_property
    def public_sections(self) -> list["Section"]:
        """What a reader sees, loaded once per request (and only if the page isn't cached)."""
        return list(self.published_sections())

    @cached_property
    def word_count(self) -> int:
        texts = [self.title]
        for section in self.public_sections:
            texts += [section.title, section.intro, section.outro]
            texts += [text for item in section.public_items for text in (item.title, item.body)]
        return count_words(*texts)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)

    @classmethod
    def touch(cls, article_id: int) -> None:
        """Record that something in the article changed: the page's date and cache key move."""
        cls.objects.filter(pk=article_id).update(updated_at=timezone.now())


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Section(models.Model):
    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        REASONS = "reasons", "Reasons he may pull away"
        WAYS = "ways", "Ways to handle it"
        SIGNS = "signs", "Signs it is time to walk away"
        CLOSING = "closing", "Closing thoughts"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        help_text="What the section is for. The questionnaire finds reasons, ways and signs by it.",
    )
    title = models.CharField(max_length=200)
    show_title = models.BooleanField(
        default=True,
        help_text="Untick to keep the heading for screen readers and the contents list only "
        "(useful for the introduction).",
    )
    slug = models.SlugField(
        max_length=100, help_text="The section's anchor on the page (#slug). Keep it stable."
    )
    intro = MarkdownxField("text before the items", blank=True)
    outro = MarkdownxField("text after the items", blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Sections are shown by this.")
    is_published = models.BooleanField("published", default=False)

    objects = SectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "slug"],
                name="advice_section_slug_unique_in_article",
                violation_error_message="Another section of this article has this slug.",
            ),
            models.UniqueConstraint(
                fields=["article", "kind"],
                name="advice_one_section_of_each_kind",
                violation_error_message="This article already has a section of this kind.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Article.touch(self.article_id)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.slug}"

    def delete(self, *args, **kwargs):
        article_id = self.article_id
        result = super().delete(*args, **kwargs)
        Article.touch(article_id)
        return result

    @cached_property
    def intro_html(self):
        return render_markdown(self.intro)

    @cached_property
    def outro_html(self):
        return render_markdown(self.outro)


class ItemQuerySet(models.QuerySet):
    def published(self):
        """Items a reader can see: the item, its section and its article all published."""
        return self.filter(
            is_published=True,
            section__is_published=True,
            section__article__is_published=True,
        )


class ItemManager(models.Manager.from_queryset(ItemQuerySet)):
    def get_by_natural_key(self, slug: str) -> "Item":
        return self.get(slug=slug)


class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(
        max_length=200, help_text='Without a number: "1)" is added from the position.'
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The item's anchor on the page and the name the questionnaire uses. "
        "Changing it breaks links and scoring rules.",
    )
    body = MarkdownxField()
    position = models.PositiveIntegerField(default=0, help_text="Items are numbered by this.")
    is_published = models.BooleanField("published", default=False)

    # Fixtures and scoring rules name items by slug (their natural key), not by id.
    objects = ItemManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Article.touch(self.section.article_id)

    def get_absolute_url(self) -> str:
        return f"{self.section.article.get_absolute_url()}#{self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def delete(self, *args, **kwargs):
        article_id = self.section.article_id
        result = super().delete(*args, **kwargs)
        Article.touch(article_id)
        return result

    @cached_property
    def body_html(self):
        return render_markdown(self.body)


def count_words(*texts: str) -> int:
    return sum(len(text.split()) for text in texts)


def reading_minutes(word_count: int) -> int:
    """Minutes at an unhurried reading pace, never less than one."""
    return max(1, round(word_count / WORDS_READ_PER_MINUTE))
