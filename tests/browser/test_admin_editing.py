"""Admin in Chromium at 1280×900: lists fit the screen, and rows added on a page go last.

Issue 11, part 4.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from advice.models import Section
from quiz.models import Questionnaire, QuizSession

PASSWORD = "a long editor password"

# Every content list an editor works in, and the published versions.
LISTS = [
    "advice/article",
    "advice/section",
    "advice/item",
    "advice/release",
    "quiz/questionnaire",
    "quiz/question",
    "quiz/choice",
    "quiz/choicerule",
    "quiz/reasonrule",
    "quiz/verdict",
    "quiz/supportresource",
    "quiz/quizsession",
]


@pytest.fixture
def signed_in(page, site):
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    QuizSession.objects.create(questionnaire=Questionnaire.objects.get())  # a row to list
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Article and questionnaire")).to_be_visible()
    return page


def test_every_admin_list_fits_a_1280_pixel_screen(signed_in, site):
    page = signed_in
    assert page.viewport_size == {"width": 1280, "height": 900}
    too_wide = {}
    for name in LISTS:
        page.goto(f"{site}/admin/{name}/")
        expect(page.locator("#result_list, .paginator").first).to_be_visible()
        # Admin scrolls a wide table inside its box, so the page alone would not show it.
        width = page.evaluate(
            """() => Math.max(
                document.documentElement.scrollWidth,
                ...[...document.querySelectorAll('.results')].map((box) =>
                    1280 + box.scrollWidth - box.clientWidth)
            )"""
        )
        if width > 1280:
            too_wide[name] = width
    assert not too_wide, f"lists wider than the screen, in pixels: {too_wide}"
    assert page.problems == []


def test_items_added_on_a_sections_page_are_numbered_after_the_last(signed_in, site):
    page = signed_in
    section = Section.objects.get(kind="reasons")
    last = max(section.items.values_list("position", flat=True))
    page.goto(f"{site}/admin/advice/section/{section.pk}/change/")
    add = page.get_by_role("button", name="Add another Item")
    add.click()
    add.click()
    rows = page.locator("#items-group .inline-related:not(.empty-form):not(.has_original)")
    expect(rows).to_have_count(2)
    assert [rows.nth(n).locator("input[name$='-position']").input_value() for n in (0, 1)] == [
        str(last + 1),
        str(last + 2),
    ]
    assert rows.nth(0).locator("input[name$='-is_published']").is_checked()
    assert page.problems == []
