"""A real browser: Debian's Chromium driven by Playwright.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium (the
Makefile installs it). The site runs in pytest-django's live server, on the same database
as the test.
"""

import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium tries to reach Google's services, which this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (make test does it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Pages here answer in milliseconds: fail in seconds, not after Playwright's 30.
        browser.new_context = with_short_timeout(browser.new_context)
        yield browser
        browser.close()


def with_short_timeout(new_context):
    def short(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.set_default_timeout(5000)
        return context

    return short


@pytest.fixture
def site(live_server, transactional_db, settings):
    call_command("loaddata", "article", "questionnaire", verbosity=0)
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
