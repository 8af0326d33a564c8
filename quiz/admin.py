import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from . import charts, statistics
from .coverage import coverage_report
from .models import (
    Answer,
    Choice,
    ChoiceRule,
    Question,
    Questionnaire,
    QuizSession,
    ReasonRule,
    SupportResource,
    Verdict,
)
from .snapshot import build_rules

MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class VerdictInline(admin.StackedInline):
    model = Verdict
    fields = ["min_level", "title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGET
    extra = 0


class ReasonRuleInline(admin.TabularInline):
    model = ReasonRule
    fields = ["reason", "way", "weight"]
    autocomplete_fields = ["reason", "way"]
    extra = 0


class SupportResourceInline(admin.TabularInline):
    model = SupportResource
    fields = ["position", "name", "description", "phone", "url", "is_published"]
    # An address typed without a scheme is a web site: https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "text", "kind", "show_if_choice"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("show_if_choice__question")


@admin.register(Questionnaire)
class QuestionnaireAdmin(MarkdownxModelAdmin):
    list_display = ["title", "is_published", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "article", "is_published", "updated_at"]}),
        ("Start page", {"fields": ["intro", "minutes", "cannot_know"]}),
        (
            "Scoring",
            {
                "fields": [
                    "likely_reason_score",
                    "recommend_way_score",
                    "max_ways",
                    "sign_score",
                    "safety_min_level",
                ],
                "description": "How many points an article item needs to be shown on a "
                "result. Points come from the rules on each answer, and from the reason "
                "rules below.",
            },
        ),
        ("Safety notice", {"fields": ["safety_title", "safety_text"]}),
    ]
    inlines = [QuestionInline, ReasonRuleInline, VerdictInline, SupportResourceInline]
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
            *super().get_urls(),
        ]

    def coverage_view(self, request, object_id: int):
        """What no reader can ever see: drawn from the scoring module the site uses."""
        questionnaire = get_object_or_404(Questionnaire, pk=object_id)
        if not self.has_view_permission(request, questionnaire):
            raise PermissionDenied
        report = coverage_report(build_rules(questionnaire))
        return TemplateResponse(
            request,
            "admin/quiz/questionnaire/coverage.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": questionnaire,
                "title": f"Coverage report: {questionnaire}",
                "report": report,
            },
        )

    def statistics_view(self, request, object_id: int, export_csv: bool = False):
        """Anonymous counts over a date range (quiz/statistics.py); or the same as CSV."""
        questionnaire = get_object_or_404(
            Questionnaire.objects.select_related("article"), pk=object_id
        )
        if not self.has_view_permission(request, questionnaire):
            raise PermissionDenied
        form = statistics.RangeForm(request.GET, today=timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": questionnaire,
            "title": f"Statistics: {questionnaire}",
            "form": form,
            "mask_below": statistics.MASK_BELOW,
            "time_zone": timezone.get_current_timezone_name(),
        }
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
            writer = csv.writer(response)
            for row in statistics.csv_rows(stats):
                writer.writerow([statistics.spreadsheet_safe(cell) for cell in row])
            return response
        context.update(stats=stats, charts=charts.for_statistics(stats))
        return TemplateResponse(request, template, context)


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["position", "text", "raises_safety_notice", "rule_summary"]
    readonly_fields = ["rule_summary"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rules__item")

    @admin.display(description="points to article items")
    def rule_summary(self, choice: Choice) -> str:
        rules = choice.rules.all()
        return ", ".join(f"{r.weight:+d} {r.item.slug}" for r in rules) or "none"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "position", "kind", "show_if_choice", "choice_count"]
    list_editable = ["position"]
    list_filter = ["questionnaire", "kind"]
    search_fields = ["text", "help_text", "choices__text"]
    fields = ["questionnaire", "position", "text", "help_text", "kind", "show_if_choice"]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("show_if_choice__question")
            .annotate(Count("choices"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "show_if_choice":
            kwargs["queryset"] = Choice.objects.select_related("question").order_by(
                "question__position", "position"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="answers", ordering="choices__count")
    def choice_count(self, question: Question) -> int:
        return question.choices__count


class ChoiceRuleInline(admin.TabularInline):
    model = ChoiceRule
    fields = ["item", "weight"]
    autocomplete_fields = ["item"]
    extra = 1


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["text", "question", "position", "raises_safety_notice"]
    list_filter = ["question__questionnaire", "raises_safety_notice", "question"]
    list_select_related = ["question"]
    search_fields = ["text", "question__text"]
    fields = ["question", "position", "text", "raises_safety_notice"]
    inlines = [ChoiceRuleInline]


@admin.register(ChoiceRule)
class ChoiceRuleAdmin(admin.ModelAdmin):
    list_display = ["choice", "item", "weight"]
    list_filter = ["item__section__kind", "item"]
    list_select_related = ["choice__question", "item"]
    search_fields = ["choice__text", "item__title", "item__slug"]
    autocomplete_fields = ["item"]


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "chosen", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("choices")

    @admin.display(description="answer")
    def chosen(self, answer: Answer) -> str:
        return "; ".join(choice.text for choice in answer.choices.all())

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuizSession)
class QuizSessionAdmin(admin.ModelAdmin):
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
