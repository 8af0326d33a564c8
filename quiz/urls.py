from django.urls import path, register_converter

from . import old_addresses, reminder, revisit, views
from .models import TOKEN_PATTERN


class TokenConverter:
    """Result tokens: 43 URL-safe characters (256 random bits). Anything else is a 404."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "quiz"
urlpatterns = [
    path("questionnaire/", old_addresses.front_page, name="index"),
    # The steps' addresses before each questionnaire had its own, still open in some tabs;
    # matched before a questionnaire's slug, so `RESERVED_SLUGS` keeps them free.
    path("questionnaire/question/<int:question_id>/", old_addresses.question, name="old_question"),
    path("questionnaire/review/", old_addresses.review, name="old_review"),
    path("questionnaire/deleted/", views.deleted, name="deleted"),
    path("questionnaire/<slug:slug>/", views.start, name="start"),
    path("questionnaire/<slug:slug>/question/<int:question_id>/", views.question, name="question"),
    path("questionnaire/<slug:slug>/review/", views.review, name="review"),
    path("results/<token:token>/", views.result, name="result"),
    path("results/<token:token>/delete/", views.delete, name="delete"),
    path("results/<token:token>/check-in/", views.check_in, name="check_in"),
    path("results/<token:token>/feedback/", views.feedback, name="feedback"),
    path("results/<token:token>/article/", revisit.article, name="article"),
    path("results/<token:token>/plan/", revisit.plan, name="plan"),
    path("results/<token:token>/reminder/", reminder.reminder, name="reminder"),
]
