"""The article as editable rows: an article, its sections, and their numbered items.

These rows are the editors' draft. Readers see a `Release`: a frozen copy of the rows whose
`is_published` is set (and whose parents are published), made when an editor publishes
(advice/releases.py). The `published()` queryset methods are the one definition of what
goes into a release, for the article and the questionnaire alike.
"""

import hashlib
import json

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .kinds import ITEM_KIND_CHOICES
from .markdown import validate_markdown
from .translation import SOURCE_LANGUAGE, TranslatedCopies, language_choices

WORDS_READ_PER_MINUTE = 220


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def first_published(self, ids, moment) -> None:
        """These articles are in a release going live at `moment`: "first published" is
        the earliest such moment (a release may be scheduled after a later one)."""
        earlier = models.Q(published_at__isnull=True) | models.Q(published_at__gt=moment)
        self.filter(earlier, pk__in=ids).update(published_at=moment)


class Article(models.Model):
    title = models.CharField(max_length=200, verbose_name=_("title"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    meta_description = models.CharField(
        max_length=300,
        help_text=_("Shown by search engines and link previews. About 150 characters."),
        verbose_name=_("meta description"),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published articles reach readers.")
    )
    is_home = models.BooleanField(
        _("front page"),
        default=False,
        help_text=_("The article readers see at the site's address. Only one can be."),
    )
    # Set by `advice.releases.publish` to when the first version holding the article goes
    # live: ticking "published" only marks the draft, readers see nothing until then.
    published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        help_text=_(
            "When the first published version holding this article went live "
            "(or goes live, when scheduled). Empty until then."
        ),
    )
    updated_at = models.DateTimeField(
        _("last updated"),
        default=timezone.now,
        help_text=_("Moves forward whenever the article, a section or an item is saved."),
    )
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="related_from",
        verbose_name=_("related articles"),
        help_text=_(
            "Listed at the end of this article, for readers to go on with. Only "
            "published articles are shown; linking back from them is up to you."
        ),
    )

    translated = TranslatedCopies("title", "meta_description")

    objects = ArticleQuerySet.as_manager()
    # Every saved change, with its editor; `updated_at` alone moves without a record. The
    # related articles are recorded with each version (a table of their own, per version).
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=["related"])

    class Meta:
        ordering = ["-is_home", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"],
                condition=models.Q(is_home=True),
                name="advice_one_home_article",
                violation_error_message=_("Another article is already the front page."),
            ),
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
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
        """What a release of this article holds, loaded once."""
        return list(self.published_sections())

    @classmethod
    def touch(cls, article_id: int) -> None:
        """Record that something in the article changed: the page's date and cache key move."""
        cls.objects.filter(pk=article_id).update(updated_at=timezone.now())

    def next_section_position(self) -> int:
        """Where a new section goes: after the last one."""
        return next_position(self.sections.all())


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


# What a section is for: the introduction and the closing are prose; the sections between
# hold the numbered items of one kind each (advice/kinds.py).
SECTION_KIND_CHOICES = [
    ("introduction", _("Introduction")),
    # Translated when shown: advice/kinds.py stays free of Django.
    *[(value, _(label)) for value, label in ITEM_KIND_CHOICES],
    ("closing", _("Closing thoughts")),
]


class Section(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="sections", verbose_name=_("article")
    )
    kind = models.CharField(
        max_length=20,
        choices=SECTION_KIND_CHOICES,
        help_text=_(
            "What the section is for. The questionnaire finds reasons, ways and signs by it."
        ),
        verbose_name=_("kind"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    show_title = models.BooleanField(
        default=True,
        help_text=_(
            "Untick to keep the heading for screen readers and the contents list only "
            "(useful for the introduction)."
        ),
        verbose_name=_("show title"),
    )
    slug = models.SlugField(
        max_length=100,
        help_text=_("The section's anchor on the page (#slug). Keep it stable."),
        verbose_name=_("slug"),
    )
    intro = MarkdownxField(_("text before the items"), blank=True, validators=[validate_markdown])
    outro = MarkdownxField(_("text after the items"), blank=True, validators=[validate_markdown])
    position = models.PositiveIntegerField(
        default=0, help_text=_("Sections are shown by this."), verbose_name=_("position")
    )
    # New rows start published: an editor who adds one means readers to see it, and
    # "Publish changes" lists every row left unticked (advice/omissions.py).
    is_published = models.BooleanField(_("published"), default=True)
    translated = TranslatedCopies("title", "intro", "outro")

    objects = SectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "slug"],
                name="advice_section_slug_unique_in_article",
                violation_error_message=_("Another section of this article has this slug."),
            ),
            models.UniqueConstraint(
                fields=["article", "kind"],
                name="advice_one_section_of_each_kind",
                violation_error_message=_("This article already has a section of this kind."),
            ),
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

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

    def next_item_position(self) -> int:
        """Where a new item goes: after the last one, numbered one more."""
        return next_position(self.items.all())


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
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section")
    )
    title = models.CharField(
        max_length=200,
        help_text=_('Without a number: "1)" is added from the position.'),
        verbose_name=_("title"),
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_(
            "The item's anchor on the page and the name the questionnaire uses. "
            "Changing it breaks links and scoring rules."
        ),
        verbose_name=_("slug"),
    )
    body = MarkdownxField(validators=[validate_markdown], verbose_name=_("body"))
    position = models.PositiveIntegerField(
        default=0, help_text=_("Items are numbered by this."), verbose_name=_("position")
    )
    is_published = models.BooleanField(_("published"), default=True)  # as a section's
    translated = TranslatedCopies("title", "body")

    # Fixtures and scoring rules name items by slug (their natural key), not by id.
    objects = ItemManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Article.touch(self.section.article_id)

    def get_absolute_url(self) -> str:
        return f"{self.section.article.get_absolute_url()}#{self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def why_hidden(self) -> str:
        """Why readers cannot see this item, a sentence in an editor's words ("" when they can).

        The same three flags as `ItemQuerySet.published()`, read from this row: the
        questionnaire's admin explains with it why a rule may not point here.
        """
        names = {
            "item": self.title,
            "section": self.section.title,
            "article": self.section.article.title,
        }
        if not self.is_published:
            return gettext("“%(item)s” is not published.") % names
        if not self.section.is_published:
            return (
                gettext("“%(item)s” is in the section “%(section)s”, which is not published.")
                % names
            )
        if not self.section.article.is_published:
            return (
                gettext("“%(item)s” is in the article “%(article)s”, which is not published.")
                % names
            )
        return ""

    def delete(self, *args, **kwargs):
        article_id = self.section.article_id
        result = super().delete(*args, **kwargs)
        Article.touch(article_id)
        return result


class TranslationState(models.Model):
    """Where one language's translation of a row stands (an article's here, a
    questionnaire's in quiz): whether readers get it, and whether a native speaker has read
    it. Its texts are the rows' `<field>_<language>` columns."""

    language = models.CharField(max_length=10, choices=language_choices, verbose_name=_("language"))
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Readers of this language get the translation from the next published "
            "version on. Until then they read the English."
        ),
    )
    needs_review = models.BooleanField(
        _("needs review by a native-speaking editor"),
        default=True,
        help_text=_("Untick once a native speaker has read the whole translation."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.get_language_display()


class ArticleTranslation(TranslationState):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="translations", verbose_name=_("article")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"],
                name="advice_one_translation_per_language",
                violation_error_message=_("This article already has this language."),
            ),
        ]
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Article.touch(self.article_id)


def next_position(rows: models.QuerySet) -> int:
    """One more than the highest position among `rows` (1 for the first row)."""
    highest = rows.aggregate(highest=models.Max("position"))["highest"]
    return 1 if highest is None else highest + 1


def count_words(*texts: str) -> int:
    return sum(len(text.split()) for text in texts)


def reading_minutes(word_count: int) -> int:
    """Minutes at an unhurried reading pace, never less than one."""
    return max(1, round(word_count / WORDS_READ_PER_MINUTE))


class ReleaseQuerySet(models.QuerySet):
    def live(self, now=None):
        """Releases readers may see by `now`, the current one first."""
        return self.filter(go_live_at__lte=now or timezone.now()).order_by("-go_live_at", "-pk")

    def scheduled(self, now=None):
        return self.filter(go_live_at__gt=now or timezone.now()).order_by("go_live_at", "pk")


class Release(models.Model):
    """One published version of everything readers see, frozen when an editor publishes.

    Editors change the rows above (and the questionnaire's) as a draft; readers never see
    those rows directly. Publishing copies what is marked published into `content`, which
    is never changed afterwards: the article page, the questionnaire and every result page
    are rendered from a release, and a reader's answers stay tied to the release that
    scored them. The live release is the latest whose `go_live_at` has passed, so a
    release can be scheduled for later.
    """

    content = models.JSONField(editable=False, verbose_name=_("content"))
    note = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("A line for other editors, e.g. “Reworded way 3; safer rule for threats”."),
    )
    go_live_at = models.DateTimeField(
        _("goes live"), default=timezone.now, help_text=_("Readers see this version from then on.")
    )
    published_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)
    # A hash of `content`: with the number, it names the version in caches, ETags and the
    # workers' memory, and stays right even if a restored database reuses a number.
    digest = models.CharField(max_length=64, editable=False, verbose_name=_("digest"))

    # Who wrote the changes it published, and the review that let its safety-critical
    # changes through (advice/review.py); empty for versions from before reviews.
    written_by = models.ManyToManyField(
        "auth.User", blank=True, related_name="releases_written", verbose_name=_("written by")
    )
    approval = models.ForeignKey(
        "Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("approval"),
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-go_live_at", "-pk"]
        get_latest_by = "go_live_at"
        verbose_name = _("published version")
        indexes = [models.Index(fields=["go_live_at", "id"], name="advice_release_live")]
        # The roles (README, "Roles"): Django's "add" permission is not enough to publish.
        permissions = [
            ("publish_release", "Can publish changes"),
            ("review_release", "Can approve or send back changes"),
        ]
        verbose_name_plural = _("published versions")

    def __str__(self) -> str:
        if not self.pk:
            return gettext("Unpublished draft")
        return gettext("Version %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        self.digest = content_digest(self.content)
        super().save(*args, **kwargs)

    @property
    def stamp(self) -> str:
        """Names this version in cache keys and ETags."""
        digest = self.digest or content_digest(self.content)
        return f"{self.pk or 'draft'}-{digest[:16]}"


class Review(models.Model):
    """One step of a second editor's review of the pending changes: asked for, approved or
    sent back. An approval is for exactly the changes it was given (`digest`): any edit
    after it makes a different set of changes, which needs approving again."""

    class Decision(models.TextChoices):
        ASKED = "asked", _("Asked for a review")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")

    decision = models.CharField(max_length=20, choices=Decision.choices, verbose_name=_("decision"))
    # A hash of the pending changes as reviewed (advice/review.py)
    digest = models.CharField(max_length=64, verbose_name=_("digest"))
    # Those changes in editors' words, as the reviewer saw them: each a catalog message and
    # its values (`Problem.as_json()`), said in the language of whoever reads them
    # (`content_checks.said_stored`); steps recorded before hold English sentences, shown
    # as written.
    changes = models.JSONField(default=list, verbose_name=_("changes"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return gettext("%(decision)s by %(editor)s") % {
            "decision": self.get_decision_display(),
            "editor": self.by or gettext("a deleted user"),
        }


class ReviewedRow(models.Model):
    """A content row a review concerns: its history lists the review."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="rows", verbose_name=_("review")
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.CharField(max_length=40, verbose_name=_("object id"))

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"], name="advice_reviewed_row")]
        verbose_name = _("reviewed row")
        verbose_name_plural = _("reviewed rows")

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"


def content_digest(content) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


class SearchEntry(models.Model):
    """One searchable text of a release: an article's title, a section's texts or an item.

    Rows are written when a release is created (advice/search/), so search only ever finds
    what readers of that release see; a search looks at the live release's rows. The text
    index over `title` and `body` belongs to the database: an FTS5 table on SQLite, the
    `document` column with a GIN index on PostgreSQL (migrations 0007_search and
    0014_search_languages).
    """

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="+", verbose_name=_("release")
    )
    # Whose search finds it: a reader of this language (settings.LANGUAGES). Each language
    # is indexed as its readers read the release: an article not published in it yet is
    # indexed under it in English, as its address in that language shows it.
    language = models.CharField(
        max_length=10, default=SOURCE_LANGUAGE, verbose_name=_("readers' language")
    )
    # The language its texts are written in: which stemmer reads them, and how a result
    # in another language than the page's is marked (lang="en").
    text_language = models.CharField(
        max_length=10, default=SOURCE_LANGUAGE, verbose_name=_("language of the text")
    )
    article_title = models.CharField(max_length=200, verbose_name=_("article title"))
    article_slug = models.SlugField(max_length=100, verbose_name=_("article slug"))
    is_home = models.BooleanField(default=False, verbose_name=_("is home"))
    # an item's or section's slug
    anchor = models.SlugField(max_length=100, blank=True, verbose_name=_("anchor"))
    # the item's or section's title
    title = models.CharField(max_length=200, verbose_name=_("title"))
    # plain text, as readers read it
    body = models.TextField(blank=True, verbose_name=_("body"))
    # PostgreSQL only: title (weight A) and body (weight B) as lexemes, filled when indexed.
    document = SearchVectorField(null=True, editable=False, verbose_name=_("document"))

    class Meta:
        verbose_name_plural = _("search entries")
        verbose_name = _("search entry")

    def __str__(self) -> str:
        return self.title


class SearchWord(models.Model):
    """A word of a release's texts as one language's readers read them, lower-cased:
    the vocabulary a misspelt word is corrected from, through a trigram index (pg_trgm,
    or an FTS5 trigram table)."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="+", verbose_name=_("release")
    )
    language = models.CharField(
        max_length=10, default=SOURCE_LANGUAGE, verbose_name=_("readers' language")
    )
    word = models.CharField(max_length=100, verbose_name=_("word"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word
