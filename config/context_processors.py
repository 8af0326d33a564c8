from urllib.parse import urlsplit

from django.conf import settings


def site(request):
    """Values every template may need, from settings. Nothing here can fail: the 500 page
    uses them too (config.views.server_error)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "EXIT_URL": settings.QUIZ_EXIT_URL,
        # The exit hint names the site the button leads to, so it always tells the truth.
        "EXIT_SITE": exit_site(settings.QUIZ_EXIT_URL),
    }


def exit_site(url: str) -> str:
    """The site an address leads to, as a reader would name it: www.bbc.co.uk → bbc.co.uk."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
