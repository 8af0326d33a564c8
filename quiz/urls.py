from django.urls import path, register_converter

from . import views
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
    path("questionnaire/", views.start, name="start"),
    path("questionnaire/question/<int:question_id>/", views.question, name="question"),
    path("questionnaire/review/", views.review, name="review"),
    path("questionnaire/deleted/", views.deleted, name="deleted"),
    path("results/<token:token>/", views.result, name="result"),
    path("results/<token:token>/delete/", views.delete, name="delete"),
    path("results/<token:token>/feedback/", views.feedback, name="feedback"),
]
