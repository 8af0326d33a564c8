"""A real browser on the site: pytest-django's live server, on the test's database.

The `browser` fixture (tests/conftest.py) is Debian's Chromium driven by Playwright.
"""

import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def site(live_server, transactional_db, settings):
    call_command("load_seed_content", verbosity=0)  # as `make run` does
    # The neutral site "Exit this page" leads to; here one the test can see arrive.
    settings.QUIZ_EXIT_URL = live_server.url + "/robots.txt"
    return live_server.url


@pytest.fixture
def page(browser, site):
    """A fresh browser tab that fails the test on any script error or outside request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and page.problems.append(f"console: {message.text} {message.location.get('url')}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and page.problems.append(f"{response.status}: {response.url}")
        ),
    )
    page.on(
        "request",
        lambda request: (
            not request.url.startswith((site, "data:"))
            and page.problems.append(f"outside request: {request.url}")
        ),
    )
    yield page
    context.close()
