import csv

from csp.constants import SELF
from csp.decorators import csp_replace, csp_update
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from advice.admin_base import ContentAdmin, EditorsAdmin, short_column
from advice.admin_translation import TranslatedInline, missing_in
from advice.releases import live_content, preview_content

from . import charts, places, statistics
from .coverage import coverage_report, highest_walk_away_level, verdicts_never_given
from .feedback import feedback_report, vote_counts
from .line_check_admin import LastCheckFilter, LineCheckInline, with_last_check_under
from .line_checks import with_last_check
from .models import (
    Answer,
    Choice,
    ChoiceRule,
    EmergencyNumber,
    Question,
    Questionnaire,
    QuestionnaireTranslation,
    QuizSession,
    ReasonRule,
    SupportResource,
    Verdict,
)
from .pickers import ChoiceRuleForm, QuestionForm, ReasonRuleForm, WithParent
from .place_choice import safety_lines
from .results import build_result_page
from .simulator import SimulatorForm, answers_from_query, reader_session, why_not_shown
from .snapshot import build_rules, rules_for
from .source_check_admin import NeedsACheckFilter, checked_column

VERSIONS = ("draft", "published")

MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class OneVerdictPerLevel(BaseInlineFormSet):
    """Verdicts split the walk-away levels into ranges: two starting at one level overlap."""

    def clean(self):
        starts: dict[int, list[str]] = {}
        for form in self.forms:
            level = form.cleaned_data.get("min_level") if hasattr(form, "cleaned_data") else None
            if level is not None and not self._should_delete_form(form):
                starts.setdefault(level, []).append(form.cleaned_data.get("title", ""))
        overlaps = [
            gettext("%(verdicts)s start at walk-away level %(level)s")
            % {
                "verdicts": get_text_list([f"“{t}”" for t in titles], gettext("and")),
                "level": level,
            }
            for level, titles in sorted(starts.items())
            if len(titles) > 1
        ]
        if overlaps:
            raise ValidationError(
                gettext(
                    "%(overlaps)s. Give each verdict its own level: it is given from its level "
                    "up to the next verdict's."
                )
                % {"overlaps": "; ".join(overlaps)}
            )
        super().clean()


class VerdictInline(admin.StackedInline):
    model = Verdict
    formset = OneVerdictPerLevel
    fields = ["min_level", "title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGET
    show_change_link = True  # to the verdict's own page and its History
    extra = 0


class ReasonRuleInline(admin.TabularInline):
    model = ReasonRule
    form = ReasonRuleForm
    formset = WithParent
    fields = ["reason", "way", "weight"]
    show_change_link = True
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    form = QuestionForm
    formset = WithParent
    fields = ["position", "text", "kind", "show_if_choice"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("show_if_choice__question")


class QuestionnaireTranslationInline(admin.TabularInline):
    """Per language: whether readers get it (once the article's translation is published
    too), whether a native speaker has read it, and how many rows still miss a text."""

    model = QuestionnaireTranslation
    extra = 0
    fields = ["language", "is_published", "needs_review", "rows_missing"]
    readonly_fields = ["rows_missing"]
    verbose_name = _("translation")
    verbose_name_plural = _("translations")

    @admin.display(description=_("rows with a text missing"))
    def rows_missing(self, state: QuestionnaireTranslation) -> str:
        if state.pk is None:
            return ""
        questionnaire = state.questionnaire
        count = sum(
            model.objects.filter(parent, missing_in(model, state.language)).count()
            for model, parent in [
                (Questionnaire, models.Q(pk=questionnaire.pk)),
                (Question, models.Q(questionnaire=questionnaire)),
                (Choice, models.Q(question__questionnaire=questionnaire)),
                (Verdict, models.Q(questionnaire=questionnaire)),
            ]
        )
        if not count:
            return gettext("none: complete")
        return ngettext("%(count)s missing", "%(count)s missing", count) % {"count": count}


@admin.register(Questionnaire)
class QuestionnaireAdmin(ContentAdmin, MarkdownxModelAdmin):
    list_display = ["title", "is_published", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "article", "is_published", "updated_at"]}),
        (_("Start page"), {"fields": ["intro", "minutes", "cannot_know"]}),
        (
            _("Scoring"),
            {
                "fields": [
                    "likely_reason_score",
                    "recommend_way_score",
                    "max_ways",
                    "sign_score",
                    "safety_min_level",
                ],
                "description": _(
                    "How many points an article item needs to be shown on a result. Points "
                    "come from the rules on each answer, and from the reason rules below."
                ),
            },
        ),
        (
            _("Safety notice"),
            {
                "fields": ["safety_title", "safety_text"],
                "description": _(
                    "Below this text, the safety panel shows the site's emergency numbers and "
                    "support resources, those of her country first: they are shared by every "
                    "questionnaire, each on its own admin page."
                ),
            },
        ),
    ]
    inlines = [
        QuestionnaireTranslationInline,
        QuestionInline,
        ReasonRuleInline,
        VerdictInline,
    ]
    change_form_template = "admin/quiz/questionnaire/change_form.html"

    def get_urls(self):
        coverage = self.admin_site.admin_view(self.coverage_view)
        return [
            path("<int:object_id>/coverage/", coverage, name="quiz_questionnaire_coverage"),
            path(
                "<int:object_id>/statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="quiz_questionnaire_statistics",
            ),
            path(
                "<int:object_id>/statistics.csv",
                self.admin_site.admin_view(self.statistics_view),
                {"export_csv": True},
                name="quiz_questionnaire_statistics_csv",
            ),
            path(
                "<int:object_id>/simulator/",
                self.admin_site.admin_view(self.simulator_view),
                name="quiz_questionnaire_simulator",
            ),
            path(
                "<int:object_id>/simulator/<str:version>/",
                self.admin_site.admin_view(self.simulated_result_view),
                name="quiz_questionnaire_simulated_result",
            ),
            path(
                "<int:object_id>/feedback/",
                self.admin_site.admin_view(self.feedback_view),
                name="quiz_questionnaire_feedback",
            ),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_of_questions_without_a_choice(request, form.instance)
        warn_of_verdicts_never_given(request, form.instance)

    # -- Editors' tools about one questionnaire (templates/admin/quiz/questionnaire/) --

    def tool_questionnaire(self, request, object_id: int) -> Questionnaire:
        """The questionnaire a tool page is about: 404 if there is none, 403 for staff
        who may not view questionnaires (admin_view has already sent everyone else to
        the login page)."""
        questionnaire = get_object_or_404(
            Questionnaire.objects.select_related("article"), pk=object_id
        )
        if not self.has_view_permission(request, questionnaire):
            raise PermissionDenied
        return questionnaire

    def tool_context(self, request, questionnaire: Questionnaire, title: str, **extra) -> dict:
        """What a tool page's template needs for admin's header and breadcrumbs, and `extra`."""
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": questionnaire,
            "title": title,
            **extra,
        }

    @csp_update({"frame-src": [SELF]})
    def simulator_view(self, request, object_id: int):
        """Pick answers (or paste a token): the draft's and the published result, side by side."""
        questionnaire = self.tool_questionnaire(request, object_id)
        draft = preview_content().parts["questionnaires"].get(questionnaire.pk)
        context = self.tool_context(
            request,
            questionnaire,
            gettext("Result simulator: %(questionnaire)s") % {"questionnaire": questionnaire},
            draft=draft,
        )
        status = 200
        if draft is not None:
            form = SimulatorForm(request.GET, draft)
            context["form"] = form
            if request.GET and form.is_valid():
                context["query"] = request.GET.urlencode()
            elif request.GET:
                status = 400
        return TemplateResponse(
            request, "admin/quiz/questionnaire/simulator.html", context, status=status
        )

    @csp_replace({"frame-ancestors": [SELF]})
    @xframe_options_sameorigin
    def simulated_result_view(self, request, object_id: int, version: str):
        """One side of the simulator: a result page exactly as readers would get it."""
        questionnaire = self.tool_questionnaire(request, object_id)
        if version not in VERSIONS:
            raise Http404(gettext("No such version."))
        try:
            session = reader_session(request.GET.get("token", ""))
            answers = session.scored_answers() if session else answers_from_query(request.GET)
        except ValueError as problem:
            return HttpResponseBadRequest(
                gettext("%(problem)s Answers are q<question id>=<choice id>.")
                % {"problem": problem},
                content_type="text/plain; charset=utf-8",
            )
        published = session.published_content() if session else live_content()
        content = preview_content() if version == "draft" else published
        shown = content.parts["questionnaires"].get(questionnaire.pk) if content else None
        label = (
            gettext("Preview: the draft, not yet published.")
            if version == "draft"
            else gettext("Preview: the published version, as readers get it.")
        )
        if shown is None:
            # A page in the frame that says so, not an error page in half of the simulator.
            response = TemplateResponse(
                request,
                "quiz/not_published_preview.html",
                {"preview": label, "reason": why_not_shown(questionnaire, content, version)},
            )
        else:
            response = TemplateResponse(
                request,
                "quiz/result.html",
                {
                    "page": (page := build_result_page(content, shown, answers)),
                    "questionnaire": shown,
                    "is_owner": False,
                    "preview": label,
                    # The panel as a reader choosing that place sees it; nothing remembered.
                    **safety_lines(request, page, remember=False),
                },
            )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def coverage_view(self, request, object_id: int):
        """What no reader can ever see: drawn from the scoring module the site uses."""
        questionnaire = self.tool_questionnaire(request, object_id)
        report = coverage_report(build_rules(questionnaire))
        without_a_line = places.places_without_a_line(
            EmergencyNumber.objects.published(),
            SupportResource.objects.filter(is_published=True),
        )
        return TemplateResponse(
            request,
            "admin/quiz/questionnaire/coverage.html",
            self.tool_context(
                request,
                questionnaire,
                gettext("Coverage report: %(questionnaire)s") % {"questionnaire": questionnaire},
                report=report,
                places_without_a_line=without_a_line,
            ),
        )

    def statistics_view(self, request, object_id: int, export_csv: bool = False):
        """Anonymous counts over a date range (quiz/statistics.py); or the same as CSV."""
        questionnaire = self.tool_questionnaire(request, object_id)
        form = statistics.RangeForm(request.GET, today=timezone.localdate())
        context = self.tool_context(
            request,
            questionnaire,
            gettext("Statistics: %(questionnaire)s") % {"questionnaire": questionnaire},
            form=form,
            mask_below=statistics.MASK_BELOW,
            time_zone=timezone.get_current_timezone_name(),
        )
        template = "admin/quiz/questionnaire/statistics.html"
        if not form.is_valid():
            return TemplateResponse(request, template, context, status=400)
        try:
            stats = statistics.compute(questionnaire, form.cleaned_data["range"])
        except statistics.TooSlow:
            context["too_slow"] = statistics.TIME_BUDGET_SECONDS
            return TemplateResponse(request, template, context, status=503)
        if export_csv:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            name = f"statistics-{questionnaire.slug}-{stats.range.first}-{stats.range.last}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            # Every field quoted: a spreadsheet that splits on ";" or tabs (as many locales
            # do) still reads each field whole, so no text inside one starts a cell.
            writer = csv.writer(response, quoting=csv.QUOTE_ALL)
            for row in statistics.csv_rows(stats):
                writer.writerow([statistics.spreadsheet_safe(cell) for cell in row])
            return response
        context.update(stats=stats, charts=charts.for_statistics(stats))
        return TemplateResponse(request, template, context)

    def feedback_view(self, request, object_id: int):
        """Readers' "Was this helpful?" per article item: one aggregate query, masked."""
        questionnaire = self.tool_questionnaire(request, object_id)
        groups = feedback_report(rules_for(questionnaire), vote_counts(questionnaire))
        return TemplateResponse(
            request,
            "admin/quiz/questionnaire/feedback.html",
            self.tool_context(
                request,
                questionnaire,
                gettext("Was this helpful? %(questionnaire)s") % {"questionnaire": questionnaire},
                groups=groups,
                mask_below=statistics.MASK_BELOW,
            ),
        )


MIN_CHOICES = 2  # one answer alone is no choice, single or multiple


class AtLeastTwoChoices(BaseInlineFormSet):
    """A question's answers as they will be after saving: at least two to choose between."""

    def clean(self):
        super().clean()
        # Rows already saved count unless ticked for deletion (a form that posts fewer
        # rows than exist leaves the others untouched); new rows count when filled in.
        kept = {choice.pk for choice in self.get_queryset()}
        kept -= {form.instance.pk for form in self.initial_forms if self._should_delete_form(form)}
        added = [
            form
            for form in self.extra_forms
            if form.has_changed() and not self._should_delete_form(form)
        ]
        if len(kept) + len(added) < MIN_CHOICES:
            raise ValidationError(
                _("A question needs at least two answers to choose between: add another answer.")
            )


class ChoiceInline(TranslatedInline, admin.TabularInline):
    model = Choice
    formset = AtLeastTwoChoices
    # Each answer's translations beside its English (TranslatedInline), so a question is
    # translated on one page.
    fields = ["position", "text", "raises_safety_notice", "rule_summary"]
    readonly_fields = ["rule_summary"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rules__item")

    @admin.display(description=_("points to article items"))
    def rule_summary(self, choice: Choice) -> str:
        rules = choice.rules.all()
        return ", ".join(f"{r.weight:+d} {r.item.slug}" for r in rules) or gettext("none")


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = ["short_text", "position", "kind", "condition", "choice_count"]
    list_editable = ["position"]
    list_filter = ["questionnaire", "kind"]
    search_fields = ["text", "help_text", "choices__text"]
    fields = ["questionnaire", "position", "text", "help_text", "kind", "show_if_choice"]
    form = QuestionForm
    inlines = [ChoiceInline]
    short_text = short_column("text", "text", chars=60)
    condition = short_column("show_if_choice.text", "shown only when")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("show_if_choice__question")
            .annotate(Count("choices"))
        )

    @admin.display(description=_("answers"), ordering="choices__count")
    def choice_count(self, question: Question) -> int:
        return question.choices__count


class ChoiceRuleInline(admin.TabularInline):
    model = ChoiceRule
    form = ChoiceRuleForm
    formset = WithParent
    fields = ["item", "weight"]
    extra = 1


@admin.register(Choice)
class ChoiceAdmin(ContentAdmin):
    list_display = ["short_text", "of_question", "position", "raises_safety_notice"]
    list_filter = ["question__questionnaire", "raises_safety_notice", "question"]
    list_select_related = ["question"]
    search_fields = ["text", "question__text"]
    fields = ["question", "position", "text", "raises_safety_notice"]
    inlines = [ChoiceRuleInline]
    short_text = short_column("text", "text")
    of_question = short_column("question.text", "question")


@admin.register(ChoiceRule)
class ChoiceRuleAdmin(ContentAdmin):
    list_display = ["answer", "article_item", "weight"]
    list_filter = ["item__section__kind", "item"]
    list_select_related = ["choice__question", "item"]
    answer = short_column("choice.text", "answer")
    article_item = short_column("item.title", "article item")
    search_fields = ["choice__text", "item__title", "item__slug"]
    form = ChoiceRuleForm


# Rows edited inline on a questionnaire get a page of their own for their History and revert.
@admin.register(ReasonRule)
class ReasonRuleAdmin(ContentAdmin):
    list_display = ["short_reason", "short_way", "weight", "in_questionnaire"]
    list_filter = ["questionnaire", "reason", "way"]
    list_select_related = ["reason", "way", "questionnaire"]
    search_fields = ["reason__title", "way__title"]
    fields = ["questionnaire", "reason", "way", "weight"]
    form = ReasonRuleForm
    short_reason = short_column("reason.title", "reason")
    short_way = short_column("way.title", "way to handle it")
    in_questionnaire = short_column("questionnaire.title", "questionnaire", chars=30)


@admin.register(Verdict)
class VerdictAdmin(ContentAdmin, MarkdownxModelAdmin):
    list_display = ["title", "min_level", "questionnaire"]
    list_filter = ["questionnaire"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["questionnaire", "min_level", "title", "slug", "body"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_of_verdicts_never_given(request, obj.questionnaire)


@admin.register(SupportResource)
class SupportResourceAdmin(ContentAdmin):
    list_display = [
        "name",
        "phone_in_country",
        "web_site",
        "checked",
        "is_published",
    ]
    list_filter = ["is_published", "country", NeedsACheckFilter, LastCheckFilter]
    search_fields = ["name", "description"]
    fields = [
        "position",
        "name",
        "description",
        "phone",
        "text_line",
        "country",
        "area",
        "url",
        "hours",
        "languages",
        "source",
        "checked_on",
        "unconfirmed",
        "is_published",
    ]
    short_url = short_column("url", "web site", chars=24)
    web_site = with_last_check_under(short_url)
    # An address typed without a scheme is a web site: https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [LineCheckInline]

    # Country beside the number and "needs a check" beside the date: one column each, so
    # the list still fits a 1280-pixel screen; the details are on the resource's page.
    @admin.display(description=_("phone"), ordering="phone")
    def phone_in_country(self, resource) -> str:
        if resource.phone and resource.country:
            return f"{resource.phone} ({resource.country})"
        return resource.phone

    @admin.display(description=_("checked on"), ordering="checked_on")
    def checked(self, resource) -> str:
        return checked_column(resource)

    def get_queryset(self, request):
        # Each resource's last check (quiz/line_checks.py) for the column and the filter.
        return with_last_check(super().get_queryset(request))


@admin.register(EmergencyNumber)
class EmergencyNumberAdmin(ContentAdmin):
    """One number per country: the first line of the safety panel for readers there."""

    list_display = ["place", "number_in_country", "note", "checked", "is_published"]
    list_filter = ["is_published", NeedsACheckFilter]
    search_fields = ["place", "country", "number"]
    fields = [
        "place",
        "country",
        "number",
        "note",
        "position",
        "source",
        "checked_on",
        "unconfirmed",
        "is_published",
    ]

    @admin.display(description=_("number"), ordering="number")
    def number_in_country(self, number: EmergencyNumber) -> str:
        return f"{number.number} ({number.country})"

    @admin.display(description=_("checked on"), ordering="checked_on")
    def checked(self, number: EmergencyNumber) -> str:
        return checked_column(number)


def warn_of_questions_without_a_choice(request, questionnaire: Questionnaire) -> None:
    """Questions added on the questionnaire's page start with no answers: a reader shown
    one could not go on."""
    questions = questionnaire.questions.annotate(Count("choices")).filter(
        choices__count__lt=MIN_CHOICES
    )
    for question in questions:
        messages.warning(
            request,
            ngettext(
                "The question “%(question)s” has %(count)d answer: open it and add at least "
                "two before readers meet it.",
                "The question “%(question)s” has %(count)d answers: open it and add at least "
                "two before readers meet it.",
                question.choices__count,
            )
            % {"question": question.text, "count": question.choices__count},
        )


def warn_of_verdicts_never_given(request, questionnaire: Questionnaire) -> None:
    """Saved, but worth a second look: a verdict no reader's answers can reach."""
    rules = build_rules(questionnaire)
    for verdict in verdicts_never_given(rules):
        messages.warning(
            request,
            gettext(
                "No reader can get the verdict “%(verdict)s”: it starts at walk-away level "
                "%(level)s, and answers reach at most %(highest)s. Lower its level, or give "
                "warning signs more points."
            )
            % {
                "verdict": verdict.title,
                "level": verdict.min_level,
                "highest": highest_walk_away_level(rules),
            },
        )


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "chosen", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("choices")

    @admin.display(description=_("answer"))
    def chosen(self, answer: Answer) -> str:
        return "; ".join(choice.text for choice in answer.choices.all())

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuizSession)
class QuizSessionAdmin(EditorsAdmin):
    """Anonymous sessions: readable for editors, never editable."""

    list_display = ["started_at", "last_activity_at", "completed_at"]
    list_filter = ["completed_at", "questionnaire"]
    date_hierarchy = "started_at"
    fields = ["questionnaire", "started_at", "last_activity_at", "completed_at"]
    readonly_fields = fields
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
