"""An editor works in admin under the site's Content-Security-Policy, in Chromium."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

PASSWORD = "a long editor password"


@pytest.fixture
def editor_page(page, site):
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Article and questionnaire")).to_be_visible()
    return page


def test_the_markdown_editor_previews_live_and_the_reader_sees_the_saved_edit(
    editor_page, site, browser
):
    page = editor_page
    page.goto(site + "/admin/advice/item/2/change/")
    body = page.locator("textarea#id_body")
    body.fill("## Work first\n\nHe is **exhausted**. <script>window.__xss = 1</script>")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("Work first")
    expect(preview.locator("strong")).to_have_text("exhausted")
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.__xss") is None
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    # No Content-Security-Policy violation (or any other script error) on the way.
    assert page.problems == []

    reader = browser.new_context().new_page()
    reader.goto(site + "/")
    expect(reader.locator("#reason-stressed h4, #reason-stressed h2").first).to_have_text(
        "Work first"
    )
    expect(reader.locator("#reason-stressed strong")).to_have_text("exhausted")


def test_admin_pages_raise_no_policy_violations(editor_page, site):
    page = editor_page
    for path in [
        "/admin/advice/section/2/change/",
        "/admin/quiz/questionnaire/1/change/",
        "/admin/quiz/question/1/change/",
        "/admin/quiz/choice/1/change/",
        "/admin/advice/item/?q=space",
    ]:
        page.goto(site + path)
        expect(page.locator("#content")).to_be_visible()
    assert page.problems == []
