"""The questionnaire as editable data, and readers' anonymous answers.

Editors own everything above `QuizSession`: questions, choices, the scoring rules that tie
choices to article items, verdicts and support resources. Any change to them moves the
questionnaire's `updated_at`, which keys the cached scoring snapshot (`snapshot.py`).

Every saved change to the editors' models is kept (django-simple-history): who, when, and
the old and new values, revertible in admin.

A `QuizSession` is one anonymous run through the questionnaire: a random token, times,
and answers. Nothing identifies the reader: no IP address, user agent, name or e-mail.
Sessions, answers and result items have no history: readers' data is never copied.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from advice.checks import emergency_number_problem, phone_problem, web_address_problem
from advice.content_checks import said, said_stored
from advice.history import related_name
from advice.kinds import ITEM_KIND_VALUES, ItemKind
from advice.markdown import validate_markdown
from advice.models import Article, Item, TranslationState
from advice.releases import live_content, published
from advice.translation import TranslatedCopies
from config.languages import site_languages

from . import daily_counts, moved, scoring

MIN_WEIGHT, MAX_WEIGHT = -5, 5
TOKEN_BYTES = 32  # 256 bits from `secrets`; 43 URL-safe characters
TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # every token new_token() gives, and nothing else


# Addresses under /questionnaire/ that are not a questionnaire's: see quiz/urls.py.
RESERVED_SLUGS = frozenset({"question", "review", "deleted"})


class QuestionnaireQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Questionnaire(models.Model):
    title = models.CharField(max_length=200, verbose_name=_("title"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        help_text=_("The article whose reasons, ways and signs the results draw on."),
        verbose_name=_("article"),
    )
    intro = MarkdownxField(
        _("what it is"),
        help_text=_("The start page: what the questionnaire is and how it helps."),
        validators=[validate_markdown],
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes to complete"), default=5, validators=[MinValueValidator(1)]
    )
    cannot_know = MarkdownxField(
        _("what it cannot know"),
        help_text=_(
            "Shown on the start page and above every result: the limits of a questionnaire."
        ),
        validators=[validate_markdown],
    )
    safety_title = models.CharField(
        max_length=200, default="Your safety comes first", verbose_name=_("safety title")
    )
    safety_text = MarkdownxField(
        _("safety notice"),
        help_text=_(
            "Shown on a result when a safety-critical answer was given, above the "
            "support resources."
        ),
        validators=[validate_markdown],
    )
    likely_reason_score = models.PositiveSmallIntegerField(
        _("points for a likely reason"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("A reason with at least this many points is shown as likely."),
    )
    recommend_way_score = models.PositiveSmallIntegerField(
        _("points to recommend a way"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("A way to handle it with at least this many points is recommended."),
    )
    max_ways = models.PositiveSmallIntegerField(
        _("ways recommended at most"), default=5, validators=[MinValueValidator(1)]
    )
    sign_score = models.PositiveSmallIntegerField(
        _("points for a sign to show up"), default=2, validators=[MinValueValidator(1)]
    )
    safety_min_level = models.PositiveSmallIntegerField(
        _("walk-away level after a safety answer"),
        default=3,
        help_text=_("A safety-critical answer lifts the walk-away level to at least this."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("updated at")
    )
    translated = TranslatedCopies("title", "intro", "cannot_know", "safety_title", "safety_text")

    objects = QuestionnaireQuerySet.as_manager()
    # Every saved change, with its editor; `updated_at` alone moves without a record.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Its start page, at its own address (readers see it once it is published)."""
        return reverse("quiz:start", args=[self.slug])

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _(
                        "/questionnaire/%(slug)s/ is taken by another page of the site, so "
                        "readers could not reach this questionnaire there: choose another slug."
                    )
                    % {"slug": self.slug}
                }
            )

    @classmethod
    def touch(cls, questionnaire_id: int) -> None:
        """Something in the questionnaire changed: cached scoring data is rebuilt."""
        cls.objects.filter(pk=questionnaire_id).update(updated_at=timezone.now())


class TouchesQuestionnaire(models.Model):
    """Saving or deleting a row moves its questionnaire's `updated_at`."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Questionnaire.touch(self.questionnaire_id_for_touch())

    def delete(self, *args, **kwargs):
        questionnaire_id = self.questionnaire_id_for_touch()
        result = super().delete(*args, **kwargs)
        Questionnaire.touch(questionnaire_id)
        return result

    def questionnaire_id_for_touch(self) -> int:
        raise NotImplementedError


class Question(TouchesQuestionnaire):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Any number of answers")

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    position = models.PositiveIntegerField(
        default=0, help_text=_("Questions are asked by this."), verbose_name=_("position")
    )
    text = models.CharField(max_length=300, verbose_name=_("text"))
    help_text = models.CharField(max_length=500, blank=True, verbose_name=_("help text"))
    kind = models.CharField(
        max_length=10, choices=Kind, default=Kind.SINGLE, verbose_name=_("kind")
    )
    show_if_choice = models.ForeignKey(
        "Choice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shows_questions",
        verbose_name=_("show only when this answer was given"),
        help_text=_(
            "Leave empty to ask everyone. Otherwise pick an answer to an earlier question."
        ),
    )
    translated = TranslatedCopies("text", "help_text")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def questionnaire_id_for_touch(self) -> int:
        return self.questionnaire_id

    def clean(self):
        self.check_asked_before_questions_depending_on_it()
        condition = self.show_if_choice
        if condition is None:
            return
        if self.pk and condition.question_id == self.pk:
            raise ValidationError(
                {"show_if_choice": _("A question cannot depend on one of its own answers.")}
            )
        asked = condition.question
        if asked.questionnaire_id != self.questionnaire_id:
            where = _("“%(question)s” of the questionnaire “%(questionnaire)s”") % {
                "question": asked.text,
                "questionnaire": asked.questionnaire,
            }
        elif not (asked.position, asked.pk) < (self.position, self.pk or float("inf")):
            where = _("“%(question)s”, which is asked after this one") % {"question": asked.text}
        else:
            return
        raise ValidationError(
            {
                "show_if_choice": _(
                    "“%(answer)s” answers %(where)s. Pick an answer to a question asked "
                    "before this one."
                )
                % {"answer": condition.text, "where": where}
            }
        )

    def check_asked_before_questions_depending_on_it(self) -> None:
        """Moving a question after one shown only on its answer would hide that one."""
        if self.pk is None:
            return
        dependents = Question.objects.filter(show_if_choice__question=self).exclude(pk=self.pk)
        for dependent in dependents.order_by("position", "pk"):
            if (dependent.position, dependent.pk) < (self.position, self.pk):
                raise ValidationError(
                    {
                        "position": _(
                            "“%(question)s” is asked only after an answer to this question, "
                            "so this question must come first: give it a position below "
                            "%(position)s."
                        )
                        % {"question": dependent.text, "position": dependent.position}
                    }
                )

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


def refuse_unseen_item(
    field: str, item: Item, questionnaire: Questionnaire | None, errors: dict[str, str]
) -> None:
    """A rule pointing at an item its readers never see would score nothing, silently: an
    item of another article than its questionnaire's, or one that is not published."""
    article_id = questionnaire.article_id if questionnaire is not None else None
    if article_id is not None and item.section.article_id != article_id:
        errors[field] = _(
            "“%(item)s” is not in “%(article)s”, the article this questionnaire draws on: its "
            "readers never see it, so a rule for it scores nothing. Pick one of that "
            "article's items."
        ) % {"item": item.title, "article": questionnaire.article}
        return
    why = item.why_hidden()
    if why:
        errors[field] = _(
            "%(why)s Readers never see it, so a rule for it scores nothing. "
            "Publish it first, or pick a published item."
        ) % {"why": why}


class Choice(TouchesQuestionnaire):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    text = models.CharField(max_length=300, verbose_name=_("text"))
    raises_safety_notice = models.BooleanField(
        _("safety-critical"),
        default=False,
        help_text=_(
            "Picking this answer shows the safety notice and support resources, "
            "whatever the rest of the result."
        ),
    )
    translated = TranslatedCopies("text")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return f"{related_name(self, 'question', 'text')} → {self.text}"

    def questionnaire_id_for_touch(self) -> int:
        return self.question.questionnaire_id


def weight_field(**kwargs):
    return models.SmallIntegerField(
        validators=[MinValueValidator(MIN_WEIGHT), MaxValueValidator(MAX_WEIGHT)],
        help_text=format_lazy(
            _("From {low} to {high}. Negative points make an item less likely."),
            low=MIN_WEIGHT,
            high=MAX_WEIGHT,
        ),
        **kwargs,
    )


def weight_in_range(name: str) -> models.CheckConstraint:
    """The database's guard on a rule's points, paired with weight_field's validators."""
    return models.CheckConstraint(
        condition=models.Q(weight__gte=MIN_WEIGHT, weight__lte=MAX_WEIGHT) & ~models.Q(weight=0),
        name=name,
        violation_error_message=format_lazy(
            _("Points must be between {low} and {high}, and not 0."),
            low=MIN_WEIGHT,
            high=MAX_WEIGHT,
        ),
    )


class ChoiceRule(TouchesQuestionnaire):
    """Picking the choice gives the article item `weight` points."""

    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, related_name="rules", verbose_name=_("choice")
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="choice_rules",
        verbose_name=_("article item"),
        limit_choices_to={"section__kind__in": list(ITEM_KIND_VALUES)},
    )
    weight = weight_field(default=1, verbose_name=_("weight"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["choice", "item__section__position", "item__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["choice", "item"],
                name="quiz_one_rule_per_choice_and_item",
                violation_error_message=_("This answer already has a rule for this item."),
            ),
            weight_in_range("quiz_choice_rule_weight_in_range"),
        ]
        verbose_name = _("choice rule")
        verbose_name_plural = _("choice rules")

    def __str__(self) -> str:
        choice, item = related_name(self, "choice", "text"), related_name(self, "item", "title")
        return f"{choice} → {self.weight:+d} {item}"

    def questionnaire_id_for_touch(self) -> int:
        return self.choice.question.questionnaire_id

    def clean(self):
        errors: dict[str, str] = {}
        if self.item_id:
            refuse_unseen_item("item", self.item, self.scored_in(), errors)
        if errors:
            raise ValidationError(errors)

    def scored_in(self) -> Questionnaire | None:
        """The questionnaire the rule scores in; None while its answer has no question."""
        try:
            return self.choice.question.questionnaire
        except ObjectDoesNotExist:
            return None


class ReasonRule(TouchesQuestionnaire):
    """When the reason seems likely, the way to handle it gets `weight` points."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="reason_rules",
        verbose_name=_("questionnaire"),
    )
    reason = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"section__kind": ItemKind.REASONS.value},
        verbose_name=_("reason"),
    )
    way = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("way to handle it"),
        limit_choices_to={"section__kind": ItemKind.WAYS.value},
    )
    weight = weight_field(default=2, verbose_name=_("weight"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["reason__position", "way__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "reason", "way"],
                name="quiz_one_rule_per_reason_and_way",
                violation_error_message=_("There is already a rule for this reason and way."),
            ),
            weight_in_range("quiz_reason_rule_weight_in_range"),
        ]
        verbose_name = _("reason rule")
        verbose_name_plural = _("reason rules")

    def __str__(self) -> str:
        reason, way = related_name(self, "reason", "title"), related_name(self, "way", "title")
        return f"{reason} → {self.weight:+d} {way}"

    def questionnaire_id_for_touch(self) -> int:
        return self.questionnaire_id

    def clean(self):
        errors = {}
        if self.reason_id and self.reason.section.kind != ItemKind.REASONS:
            errors["reason"] = _("Pick one of the article's reasons.")
        if self.way_id and self.way.section.kind != ItemKind.WAYS:
            errors["way"] = _("Pick one of the article's ways to handle it.")
        for field in ("reason", "way"):
            if field not in errors and getattr(self, f"{field}_id"):
                refuse_unseen_item(field, getattr(self, field), self.scored_in(), errors)
        if errors:
            raise ValidationError(errors)

    def scored_in(self) -> Questionnaire | None:
        """Its questionnaire: on the questionnaire's add page, one not saved yet (its
        article already chosen); None before one is picked."""
        try:
            return self.questionnaire
        except ObjectDoesNotExist:
            return None


class Verdict(TouchesQuestionnaire):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="verdicts",
        verbose_name=_("questionnaire"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    slug = models.SlugField(max_length=100, verbose_name=_("slug"))
    body = MarkdownxField(validators=[validate_markdown], verbose_name=_("body"))
    min_level = models.PositiveSmallIntegerField(
        _("from walk-away level"),
        help_text=_(
            "Given when the walk-away level (the points answers gave to warning "
            "signs) is at least this, and below the next verdict's level."
        ),
    )
    translated = TranslatedCopies("title", "body")

    history = HistoricalRecords()

    class Meta:
        ordering = ["min_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "min_level"],
                name="quiz_verdict_levels_distinct",
                violation_error_message=_("Another verdict starts at this level."),
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "slug"],
                name="quiz_verdict_slug_unique",
                violation_error_message=_("Another verdict has this slug."),
            ),
        ]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")

    def __str__(self) -> str:
        return self.title

    def questionnaire_id_for_touch(self) -> int:
        return self.questionnaire_id


class QuestionnaireTranslation(TranslationState):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("questionnaire"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "language"],
                name="quiz_one_translation_per_language",
                violation_error_message=_("This questionnaire already has this language."),
            ),
        ]
        verbose_name = _("questionnaire translation")
        verbose_name_plural = _("questionnaire translations")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Questionnaire.objects.filter(pk=self.questionnaire_id).update(updated_at=timezone.now())


class SupportResource(models.Model):
    """A helpline, text line or web site, site-wide: the safety panel of every
    questionnaire shows the lines of the reader's country first, then those for everyone
    (quiz/places.py). Releases from before lines were site-wide hold each questionnaire's
    own lines, and their result pages keep showing those (quiz/support_lines.py)."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    description = models.CharField(max_length=500, blank=True, verbose_name=_("description"))
    phone = models.CharField(max_length=50, blank=True, verbose_name=_("phone"))
    # The phone number is read as dialled in this country: a wrong number is worse than
    # none, so publishing refuses one that is not valid there (advice/checks.py).
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. GB, US, IE."))],
        help_text=_(
            "ISO 3166 country code of the phone number (GB, US, IE, ...). Leave "
            "empty for a line readers anywhere can call: its number must then start with “+” "
            "and its country code."
        ),
        verbose_name=_("country"),
    )
    # Which part of its country a line serves (the UK's nations each have their own): a
    # reader who chooses the country sees every part's line, each with its part named.
    area = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The part of the country it serves, as readers call it (“Scotland”). Leave "
            "empty when it serves the whole country."
        ),
        verbose_name=_("area"),
    )
    text_line = models.CharField(
        _("text or SMS line"),
        max_length=200,
        blank=True,
        help_text=_(
            "How to reach it by text message, as readers should do it (“Text START to 88788”)."
        ),
    )
    url = models.URLField(
        blank=True, help_text=_("Must start with https://."), verbose_name=_("url")
    )
    # When, and in which languages, it answers: a reader choosing whom to call at night, or
    # in her own language, needs both. Only what its source says: a wrong promise that a
    # line is open is worse than saying nothing.
    hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_(
            "When it answers, as its source says (“24 hours, every day”). Leave empty if "
            "the source does not say."
        ),
    )
    languages = models.CharField(
        _("languages served"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}( [a-z]{2,3})*$",
                _("Language codes separated by spaces, e.g. “en es”."),
            )
        ],
        help_text=_(
            "The languages it answers in, as codes separated by spaces (“en es” for "
            "English and Spanish), as its source says. Leave empty if it does not say."
        ),
    )
    # Only the texts are translated: a line's number and country are the same for all.
    translated = TranslatedCopies("name", "description", "hours")
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The public page the number and address were checked against."),
        verbose_name=_("source"),
    )
    checked_on = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "When they were last checked against the source. The publish page warns "
            "when this is more than 6 months ago."
        ),
        verbose_name=_("checked on"),
    )
    unconfirmed = models.CharField(
        _("not confirmed"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the source did not confirm (e.g. “web address”). The publish page "
            "lists the line as needing a check until this is empty."
        ),
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    is_published = models.BooleanField(_("published"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("support resource")
        verbose_name_plural = _("support resources")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """The same rules that block publishing, said when an editor saves."""
        problems = {}
        if problem := phone_problem(self.phone, self.country):
            problems["phone"] = said(problem)
        if problem := web_address_problem(self.url):
            problems["url"] = gettext("%(problem)s Readers need https.") % {
                "problem": said(problem)
            }
        if problems:
            raise ValidationError(problems)


class EmergencyNumberQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class EmergencyNumber(models.Model):
    """The number that reaches emergency services in one country: the first line of the
    safety panel for a reader who says she is there. Its `place` is what she chooses."""

    country = models.CharField(
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. GB, US, IE, or EU."))
        ],
        help_text=_(
            "ISO 3166 country code (GB, US, IE, ...); “EU” for a number that works in "
            "every EU country, offered to readers elsewhere in the EU."
        ),
        verbose_name=_("country"),
    )
    place = models.CharField(
        max_length=100,
        help_text=_("The country as readers choose it (“Australia”, “Elsewhere in the EU”)."),
        verbose_name=_("place"),
    )
    number = models.CharField(
        max_length=20, help_text=_("As dialled there: 999, 000, 112."), verbose_name=_("number")
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Shown beside the number: other numbers that work (“112 from mobiles”), "
            "or whom it reaches (“police”)."
        ),
        verbose_name=_("note"),
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The public page the number was checked against."),
        verbose_name=_("source"),
    )
    checked_on = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "When it was last checked against the source. The publish page warns "
            "when this is more than 6 months ago, or never."
        ),
        verbose_name=_("checked on"),
    )
    unconfirmed = models.CharField(
        _("not confirmed"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the source did not confirm. The publish page lists the number as "
            "needing a check until this is empty."
        ),
    )
    position = models.PositiveIntegerField(
        default=0, help_text=_("Order in readers' list."), verbose_name=_("position")
    )
    is_published = models.BooleanField(_("published"), default=True)

    history = HistoricalRecords()
    objects = EmergencyNumberQuerySet.as_manager()

    class Meta:
        ordering = ["position", "place"]
        verbose_name = _("emergency number")
        verbose_name_plural = _("emergency numbers")

    def __str__(self) -> str:
        return f"{self.place}: {self.number}"

    def clean(self):
        """The rule that blocks publishing, said when an editor saves."""
        if problem := emergency_number_problem(self.number, self.country):
            raise ValidationError({"number": said(problem)})


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class QuizSession(models.Model):
    """One anonymous run through the questionnaire. The token is the only key to it."""

    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False, verbose_name=_("token")
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("questionnaire"),
    )
    started_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("started at")
    )
    last_activity_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("last activity at")
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("completed at")
    )
    # Counts answer changes; each form carries it, so a stale or replayed POST is noticed.
    revision = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("revision"))
    # The result's summary for editors' anonymous statistics, stored by `complete()` as it
    # was scored then: the verdict's slug ("" when none was reached), and the likely reasons
    # and signs as `SessionResultItem` rows. Null: not completed, or completed before
    # summaries were kept (`manage.py summarise_sessions` fills those in).
    verdict_slug = models.CharField(  # noqa: DJ001 (null and "" mean different things)
        max_length=100, null=True, blank=True, editable=False, verbose_name=_("verdict slug")
    )
    # The published version of the questionnaire and article this run is asked and scored
    # under, fixed when it starts: a version published meanwhile changes nothing for her,
    # and her result link keeps showing what it showed. Null for runs from before
    # releases existed: they follow the live version.
    release = models.ForeignKey(
        "advice.Release",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("release"),
    )
    # Her answers as they were scored, copied at completion: editors may later delete a
    # question or answer from the draft (which removes its answer rows), and the result
    # must not change.
    final_answers = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("final answers")
    )
    # The language (a code of settings.LANGUAGES) she took the questionnaire in: set when
    # she starts, and again when she finishes (she may have switched on the way). Her
    # result link is in it. "": a run from before the site had languages (English). Also
    # the database's default, for rows written straight to the table (generate_sessions).
    language = models.CharField(
        max_length=16,
        blank=True,
        default="",
        db_default="",
        editable=False,
        verbose_name=_("language"),
    )
    # Check-ins (quiz/check_ins.py): "Check in again" starts a run tied to her earlier
    # ones. All the runs of one timeline point at its first run (which points nowhere), so
    # one query reads the whole timeline from any of its tokens. Nothing else ties runs
    # together: no cookie, address or account.
    timeline = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
        editable=False,
        verbose_name=_("timeline"),
    )
    # What a completed check-in added to the statistics' daily counts, kept so that
    # deleting it takes exactly that back (the check-in before may be deleted first):
    # days since the check-in before, whether it was her first return, how the walk-away
    # level and verdict moved ("lower", "same", "higher"), and the ways the check-in
    # before recommended (slugs). Empty on runs that are not completed check-ins.
    # Defaults in the database too: generate_sessions writes rows without the ORM.
    days_since_last = models.PositiveIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("days since last")
    )
    first_return = models.BooleanField(
        default=False, db_default=False, editable=False, verbose_name=_("first return")
    )
    level_moved = models.CharField(
        max_length=6, blank=True, db_default="", editable=False, verbose_name=_("level moved")
    )
    verdict_moved = models.CharField(
        max_length=6, blank=True, db_default="", editable=False, verbose_name=_("verdict moved")
    )
    ways_before = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("ways before")
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("anonymous session")
        # For the statistics (quiz/statistics.py): sessions started per day (and how many
        # of them were completed), and sessions completed per day by verdict, each read
        # from its index alone.
        indexes = [
            models.Index(
                fields=["questionnaire", "started_at", "completed_at"],
                name="quiz_session_started",
            ),
            models.Index(
                fields=["questionnaire", "completed_at", "verdict_slug"],
                name="quiz_session_completed",
            ),
        ]
        verbose_name_plural = _("anonymous sessions")

    def __str__(self) -> str:
        return gettext("Session started %(moment)s") % {
            "moment": f"{self.started_at:%Y-%m-%d %H:%M}"
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic():  # the session and its count, or neither
            super().save(*args, **kwargs)
            # A session without answers yet: it counts as started.
            started = daily_counts.contribution(daily_counts.local_day(self.started_at), {})
            DailyCount.objects.add(self.questionnaire_id, started)

    def get_absolute_url(self) -> str:
        """Her result in the language being read (admin's "View on site", links between
        pages); `result_link()` is the address she is given."""
        return reverse("quiz:result", args=[self.token])

    def result_link(self) -> str:
        """Her result, in the language she took the questionnaire in: /es/results/<token>/
        for a run in Spanish; the default language for runs from before languages were
        kept, or in a language the site no longer offers."""
        language = self.language if self.language in site_languages() else None
        with translation.override(language or settings.LANGUAGE_CODE):
            return reverse("quiz:result", args=[self.token])

    @transaction.atomic
    def forget(self) -> None:
        """Delete the session at the reader's request, with what it added to the
        statistics' daily counts: she asked to be forgotten. (Retention deletes sessions
        but keeps the anonymous counts: see quiz/daily_counts.py.)"""
        DailyCount.objects.add(self.questionnaire_id, daily_counts.negated(self.counted()))
        self.delete()

    def counted(self) -> daily_counts.Tally:
        """Everything the session added to the daily counts, read back in two queries."""
        answers: dict[int, list[int]] = {}
        for question_id, choice_id in self.answers.order_by().values_list("question_id", "choices"):
            answers.setdefault(question_id, [])
            if choice_id is not None:  # an answer without choices still counts as answered
                answers[question_id].append(choice_id)
        completed, items = None, []
        if self.completed_at is not None:
            completed = daily_counts.local_day(self.completed_at)
            items = list(self.result_items.order_by().values_list("kind", "slug"))
        started = daily_counts.local_day(self.started_at)
        tally = daily_counts.contribution(started, answers, completed, self.verdict_slug, items)
        if completed is not None and self.days_since_last is not None:
            tally.update(self.check_in_tally())
        return tally

    def check_in_tally(self) -> daily_counts.Tally:
        """What completing this check-in added to the outcome counts."""
        return daily_counts.check_in_tally(
            daily_counts.local_day(self.completed_at),
            self.days_since_last,
            self.first_return,
            self.level_moved,
            self.verdict_moved,
            self.ways_before or (),
        )

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def answer_map(self) -> dict[int, frozenset[int]]:
        """question id → chosen choice ids, in one query."""
        answers: dict[int, set[int]] = {}
        rows = Answer.choices.through.objects.filter(answer__session=self).values_list(
            "answer__question_id", "choice_id"
        )
        for question_id, choice_id in rows:
            answers.setdefault(question_id, set()).add(choice_id)
        return {q: frozenset(c) for q, c in answers.items()}

    @transaction.atomic
    def record_answer(self, question_id: int, choice_ids) -> None:
        """Store (or replace) the answer to one question, and note the activity."""
        answer, created = Answer.objects.update_or_create(
            session=self, question_id=question_id, defaults={"answered_at": timezone.now()}
        )
        # The choices before this change; no query for a new answer.
        before = None if created else frozenset(answer.choices.values_list("pk", flat=True))
        answer.choices.set(choice_ids)
        started = daily_counts.local_day(self.started_at)
        change = daily_counts.answer_change(started, question_id, before, choice_ids)
        DailyCount.objects.add(self.questionnaire_id, change)
        self.revision += 1
        self.last_activity_at = timezone.now()
        QuizSession.objects.filter(pk=self.pk).update(
            revision=models.F("revision") + 1, last_activity_at=self.last_activity_at
        )

    def published_content(self):
        """The published version this run follows (see `release`)."""
        return published(self.release) if self.release_id else live_content()

    def published_questionnaire(self):
        """Her questionnaire as her version has it; None if it is not in that version."""
        content = self.published_content()
        if content is None:
            return None
        return content.parts["questionnaires"].get(self.questionnaire_id)

    def scored_answers(self) -> dict[int, frozenset[int]]:
        """The answers her result is built from: as completed, or as they stand."""
        if self.final_answers is not None:
            return {int(q): frozenset(c) for q, c in self.final_answers.items()}
        return self.answer_map()

    @transaction.atomic
    def complete(
        self,
        rules: scoring.Rules,
        earlier: moved.Earlier | None = None,
        language: str | None = None,
    ) -> None:
        """Finish the run. `rules` score it: those of her published questionnaire. A
        check-in also gets `earlier`, the check-in it follows, to count what moved.
        `language` is the one she finished in, when she switched during the run: her result
        link's."""
        now = timezone.now()
        first_time = self.completed_at is None
        if self.completed_at is None:
            self.completed_at = now
        self.last_activity_at = now
        if language:
            self.language = language
        if not first_time:
            self.save(update_fields=["completed_at", "last_activity_at", "language"])
            return
        # The result as the reader sees it now, summarised once for the statistics.
        answers = self.answer_map()
        self.final_answers = {str(q): sorted(c) for q, c in answers.items()}
        result = scoring.score(rules, answers)
        verdict_slug, items = result_summary(result)
        self.verdict_slug = verdict_slug
        fields = ["completed_at", "last_activity_at", "verdict_slug", "final_answers", "language"]
        if earlier is not None:
            self.note_what_moved(earlier, result)
            fields += [
                "days_since_last",
                "first_return",
                "level_moved",
                "verdict_moved",
                "ways_before",
            ]
        self.save(update_fields=fields)
        SessionResultItem.objects.bulk_create(
            SessionResultItem(
                session=self,
                questionnaire_id=self.questionnaire_id,
                completed_at=self.completed_at,
                kind=kind,
                slug=slug,
            )
            for kind, slug in items
        )
        completion = daily_counts.completion(
            daily_counts.local_day(self.started_at),
            daily_counts.local_day(self.completed_at),
            verdict_slug,
            items,
        )
        if earlier is not None:
            completion.update(self.check_in_tally())
        DailyCount.objects.add(self.questionnaire_id, completion)

    def note_what_moved(self, earlier: moved.Earlier, result: scoring.Result) -> None:
        """The outcome counts' part of a check-in, kept on it (see the fields)."""
        what = moved.compare(earlier.result, result)
        # Calendar days in the site's time zone, as the counts' days are.
        self.days_since_last = (
            daily_counts.local_day(self.completed_at) - daily_counts.local_day(earlier.completed_at)
        ).days
        self.first_return = earlier.first_return
        self.level_moved = what.level_direction.value
        self.verdict_moved = what.verdict_direction.value
        self.ways_before = [way.slug for way in earlier.result.ways]


class Answer(models.Model):
    session = models.ForeignKey(
        QuizSession, on_delete=models.CASCADE, related_name="answers", verbose_name=_("session")
    )
    # Readers answer the published version while editors change the draft: a question or
    # choice deleted from the draft may still be asked until the next release goes live.
    # So answers keep their ids without a database constraint, and deleting a question
    # leaves its answers alone (the statistics and scoring go by the ids they know).
    question = models.ForeignKey(
        Question,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="answers",
        verbose_name=_("question"),
    )
    choices = models.ManyToManyField(
        Choice, related_name="answers", db_constraint=False, verbose_name=_("choices")
    )
    answered_at = models.DateTimeField(default=timezone.now, verbose_name=_("answered at"))

    class Meta:
        ordering = ["question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "question"],
                name="quiz_one_answer_per_question",
                violation_error_message=_("This session already has an answer to this question."),
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return gettext("Answer to %(question)s") % {
            "question": related_name(self, "question", "text")
        }


def result_summary(result: scoring.Result) -> tuple[str, list[tuple[str, str]]]:
    """A `scoring.Result` as the statistics keep it: the verdict's slug ("" for none) and
    (kind, slug) for each likely reason and each sign that showed up."""
    verdict_slug = result.verdict.slug if result.verdict is not None else ""
    items = [(ItemKind.REASONS.value, r.slug) for r in result.likely_reasons]
    items += [(ItemKind.SIGNS.value, s.slug) for s in result.signs]
    return verdict_slug, items


class SessionResultItem(models.Model):
    """A likely reason or a sign on a completed session's result, as scored at completion.

    Written once by `QuizSession.complete()` and deleted with its session. The
    questionnaire and completion time are copied from the session (neither changes after
    completion), so the statistics count reasons and signs over a date range from this
    table's index alone, without reading sessions or answers.
    """

    session = models.ForeignKey(
        QuizSession,
        on_delete=models.CASCADE,
        related_name="result_items",
        verbose_name=_("session"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="+", verbose_name=_("questionnaire")
    )
    completed_at = models.DateTimeField(verbose_name=_("completed at"))
    # Two of the item kinds, each named for what it is on a result.
    kind = models.CharField(
        max_length=10,
        choices=[(ItemKind.REASONS.value, _("likely reason")), (ItemKind.SIGNS.value, _("sign"))],
        verbose_name=_("kind"),
    )
    slug = models.CharField(max_length=100, verbose_name=_("slug"))

    class Meta:
        verbose_name = _("result item of an anonymous session")
        indexes = [
            # Kind and slug first: SQLite then counts each group straight off the index,
            # without sorting millions of rows first.
            models.Index(
                fields=["questionnaire", "kind", "slug", "completed_at"],
                name="quiz_result_item_stats",
            ),
        ]
        verbose_name_plural = _("result items of anonymous sessions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.slug}"


class ItemFeedback(models.Model):
    """A reader's "Was this helpful?" on one item of her result: yes or no, one per item.

    As anonymous as her session, and deleted with it. Voting again replaces the vote
    (`record`). The questionnaire is copied from the session, so editors' counts group this
    table alone (quiz/feedback.py).
    """

    session = models.ForeignKey(
        QuizSession, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("session")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="+", verbose_name=_("questionnaire")
    )
    item_slug = models.CharField(max_length=100, verbose_name=_("item slug"))
    helpful = models.BooleanField(verbose_name=_("helpful"))
    voted_at = models.DateTimeField(default=timezone.now, verbose_name=_("voted at"))

    class Meta:
        verbose_name = _("helpful vote of an anonymous session")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "item_slug"],
                name="quiz_one_vote_per_session_and_item",
                violation_error_message=_("This session has already voted on this item."),
            ),
        ]
        indexes = [
            # Editors' counts per item read this index alone.
            models.Index(
                fields=["questionnaire", "item_slug", "helpful"], name="quiz_feedback_counts"
            ),
        ]
        verbose_name_plural = _("helpful votes of anonymous sessions")

    def __str__(self) -> str:
        vote = gettext("helpful") if self.helpful else gettext("not helpful")
        return f"{self.item_slug}: {vote}"

    @classmethod
    def record(cls, session: QuizSession, item_slug: str, helpful: bool) -> "ItemFeedback":
        """Her vote on the item, replacing any earlier one: one vote per session and item."""
        vote, _created = cls.objects.update_or_create(
            session=session,
            item_slug=item_slug,
            defaults={
                "questionnaire_id": session.questionnaire_id,
                "helpful": helpful,
                "voted_at": timezone.now(),
            },
        )
        return vote

    @classmethod
    def votes_of(cls, session: QuizSession) -> dict[str, bool]:
        """item slug → helpful, for every item she voted on, in one query."""
        return dict(cls.objects.filter(session=session).values_list("item_slug", "helpful"))


class DailyCount(models.Model):
    """How many sessions did something on one day: the statistics' pre-counted totals.

    Kept up to date as readers act, by quiz/daily_counts.py (which says what each kind
    counts, on which day, and when counts are subtracted). Anonymous: no row points to a
    session. The key is text, because it is a question or choice id for some kinds and a
    slug for others; a deleted question's rows are simply no longer shown.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="+", verbose_name=_("questionnaire")
    )
    day = models.DateField(verbose_name=_("day"))
    kind = models.CharField(max_length=20, choices=daily_counts.CountKind, verbose_name=_("kind"))
    # A slug may be 100 characters, with a direction before it ("higher:").
    key = models.CharField(max_length=120, blank=True, verbose_name=_("key"))
    count = models.IntegerField(default=0, verbose_name=_("count"))

    objects = daily_counts.DailyCountManager()

    class Meta:
        verbose_name = _("daily count of anonymous sessions")
        constraints = [
            # The upserts' ON CONFLICT target, and the statistics' index (a range of days).
            models.UniqueConstraint(
                fields=["questionnaire", "day", "kind", "key"], name="quiz_one_daily_count"
            ),
        ]
        verbose_name_plural = _("daily counts of anonymous sessions")

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}: {self.count}"


class RateCount(models.Model):
    """Requests one client made in one rate-limit window (config/cache.py): counted in the
    database when there is no Redis, so that every worker sees every request."""

    key = models.CharField(max_length=250, primary_key=True, verbose_name=_("key"))
    count = models.IntegerField(default=0, verbose_name=_("count"))
    expires_at = models.DateTimeField(db_index=True, verbose_name=_("expires at"))

    class Meta:
        verbose_name = _("rate-limit count")
        verbose_name_plural = _("rate-limit counts")

    def __str__(self) -> str:
        return gettext("%(count)s until %(time)s") % {
            "count": self.count,
            "time": f"{self.expires_at:%H:%M:%S}",
        }


class LineCheck(models.Model):
    """One automatic check of a support resource's web address (`check_support_lines`).

    A row of its own rather than fields on `SupportResource`: that row's history records
    what editors changed, and a nightly check would bury it. The address is copied, since
    editors may change the resource's afterwards; a check of an older address says nothing
    about the new one. The command keeps the last `KEEP_PER_RESOURCE` checks of each.
    """

    KEEP_PER_RESOURCE = 10

    class Outcome(models.TextChoices):
        OK = "ok", _("ok")
        NOT_FOUND = "not_found", _("not found")
        ERROR_STATUS = "error_status", _("error status")
        REDIRECT_LOOP = "redirect_loop", _("redirect loop")
        TOO_MANY_REDIRECTS = "too_many_redirects", _("too many redirects")
        TIMEOUT = "timeout", _("timeout")
        UNREACHABLE = "unreachable", _("unreachable")
        CERTIFICATE = "certificate", _("certificate or TLS error")
        NOT_WEB = "not_web", _("not a public web address")

    resource = models.ForeignKey(
        SupportResource,
        on_delete=models.CASCADE,
        related_name="line_checks",
        editable=False,
        verbose_name=_("resource"),
    )
    url = models.URLField(_("address"), editable=False)
    checked_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("checked at")
    )
    outcome = models.CharField(
        max_length=20, choices=Outcome, editable=False, verbose_name=_("outcome")
    )
    # The last answer's HTTP status; none when no answer came (a timeout, no connection).
    status = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("status")
    )
    # What else the answer said: `detail_message` (a `Problem.as_json()`), said in the
    # language of the editor reading it; `detail` holds a text kept as written (an error a
    # library gave), and checks recorded before messages were kept hold their English.
    detail = models.CharField(max_length=300, blank=True, editable=False, verbose_name=_("detail"))
    detail_message = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("detail, as a message")
    )

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("support line check")
        indexes = [
            # Each resource's latest check: the admin list's column and filter, and pruning.
            models.Index(fields=["resource", "-checked_at"], name="quiz_linecheck_latest")
        ]
        verbose_name_plural = _("support line checks")

    def __str__(self) -> str:
        return gettext("%(url)s: %(outcome)s at %(moment)s") % {
            "url": self.url,
            "outcome": self.get_outcome_display(),
            "moment": f"{self.checked_at:%Y-%m-%d %H:%M}",
        }

    @property
    def failed(self) -> bool:
        return self.outcome != self.Outcome.OK

    def said_detail(self) -> str:
        """The detail in the language of the page (see `detail_message`)."""
        return said_stored(self.detail_message) if self.detail_message else self.detail
