"""Texts that name or describe a setting read the setting: the site's name, where the exit
button leads, how long a locked admin account waits. Templates hold no such words, and
link with {% url %}, never to a path typed in."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pytest_django.asserts import assertContains, assertNotContains

from config.context_processors import exit_site

from .quiz_helpers import START

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


def test_the_site_name_comes_from_its_setting(client, questionnaire, settings):
    settings.SITE_NAME = "Another Advice Site"
    for address in ("/", START, "/no-such-page/"):
        response = client.get(address)
        assertContains(response, "Another Advice Site", status_code=response.status_code)
        assertNotContains(response, "Pushing Away", status_code=response.status_code)
    assertContains(client.get("/"), '<meta property="og:site_name" content="Another Advice Site">')


def test_the_500_page_names_the_site_too(client, seeded, settings, monkeypatch):
    """Django renders its 500 page with no context at all; ours adds the settings."""
    from advice import views

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    settings.SITE_NAME = "Another Advice Site"
    monkeypatch.setattr(views, "render_article", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assertContains(response, "<title>Something went wrong · Another Advice Site", status_code=500)


@pytest.mark.parametrize(
    ("address", "named"),
    [
        ("https://www.bbc.co.uk/weather", "bbc.co.uk"),
        ("https://news.example.org/today?x=1", "news.example.org"),
    ],
)
def test_the_exit_hint_names_the_site_the_button_leads_to(
    client, questionnaire, settings, address, named
):
    settings.QUIZ_EXIT_URL = address
    assert exit_site(address) == named
    page = client.get(START)
    assertContains(page, f'href="{address.replace("&", "&amp;")}"')
    assertContains(page, f"Leaves at once for {named}.")


def test_the_lock_out_page_says_how_long_and_after_how_many_failures(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 1.5  # hours
    for n in range(3):
        locked = client.post("/admin/login/", {"username": "editor", "password": f"wrong {n}"})
    text = " ".join(locked.content.decode().replace("\xa0", " ").split())
    assert "for the next 1 hour, 30 minutes, after 3 wrong passwords" in text


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_no_template_names_the_site_or_links_to_a_typed_in_path(template):
    source = template.read_text(encoding="utf-8")
    assert django_settings.SITE_NAME not in source
    assert not re.findall(r'href="/[^"]*"', source), "link with {% url %}"
