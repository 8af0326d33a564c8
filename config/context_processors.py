from django.conf import settings


def site(request):
    """Values every template may need, from settings."""
    return {"EXIT_URL": settings.QUIZ_EXIT_URL}
