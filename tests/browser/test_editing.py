"""An editor works in admin, in Chromium, under the site's Content-Security-Policy."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from advice.models import Item
from quiz.models import Choice, ChoiceRule

from ..quiz_helpers import START
from .test_questionnaire import TOGETHER_AND_STRESSED, answer_by_mouse

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


def test_an_editor_drafts_previews_publishes_and_reverts(editor_page, site, browser):
    """Issue 4's editor journey: draft an item and a rule, preview, publish, revert."""
    page = editor_page
    item = Item.objects.get(slug="reason-stressed")
    rule = ChoiceRule.objects.get(
        choice__text__startswith="Wonder what I did wrong", item__slug=SELF_BLAME_WAY
    )

    # An item, as a draft, with markdownx's live preview.
    page.goto(site + f"/admin/advice/item/{item.pk}/change/")
    body = page.locator("textarea#id_body")
    body.fill("## Work first\n\nHe is **exhausted**. <script>window.__xss = 1</script>")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("Work first")
    expect(preview.locator("strong")).to_have_text("exhausted")
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.__xss") is None
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # A scoring rule, as a draft: self-blame no longer points to this way.
    page.goto(site + f"/admin/quiz/choicerule/{rule.pk}/change/")
    page.get_by_label("Weight").fill("-3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Readers still get the published version.
    reader = browser.new_context().new_page()
    reader.goto(site + "/")
    expect(reader.locator("#reason-stressed strong")).to_have_count(0)
    expect(take_questionnaire(browser, site).locator(RESULT_WAY)).to_have_count(1)

    # The publish page says what would change and links to previews.
    page.goto(site + "/admin/advice/release/add/")
    changes = page.locator("h2:has-text('What readers would see change') + ul")
    expect(changes).to_contain_text("Changed: “He’s stressed and none of this is about you”")
    expect(changes).to_contain_text("scoring rules changed")
    page.get_by_role("link", name="Preview “Why is he pushing me away when he loves me?”").click()
    expect(page.get_by_text("Preview of unpublished changes.")).to_be_visible()
    expect(page.locator("#reason-stressed strong")).to_have_text("exhausted")
    page.go_back()
    page.get_by_role("link", name=re.compile("^Try answers for")).click()
    page.goto(page.url + "?" + urlencode(simulator_answers(), doseq=True))
    draft = page.frame_locator('iframe[title="Result under the draft"]')
    published = page.frame_locator('iframe[title="Result under the published version"]')
    expect(draft.get_by_text("Preview: the draft, not yet published.")).to_be_visible()
    expect(draft.locator(RESULT_WAY)).to_have_count(0)
    expect(published.locator(RESULT_WAY)).to_have_count(1)

    # Publish: the article and a fresh result show both changes.
    page.goto(site + "/admin/advice/release/add/")
    page.get_by_label("What changed").fill("Reason 2 reworded; self-blame rule")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Published: readers now see")
    reader.reload()
    expect(reader.locator("#reason-stressed strong")).to_have_text("exhausted")
    expect(take_questionnaire(browser, site).locator(RESULT_WAY)).to_have_count(0)

    # Revert the item and the rule from their history, publish again: all is as before.
    for path in (f"advice/item/{item.pk}", f"quiz/choicerule/{rule.pk}"):
        page.goto(site + f"/admin/{path}/history/")
        page.locator(f'#change-history a[href*="/{path}/history/"]').last.click()
        page.get_by_role("button", name="Revert").first.click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(site + "/admin/advice/release/add/")
    page.get_by_role("button", name="Publish").click()
    reader.reload()
    expect(reader.locator("#reason-stressed h3")).to_contain_text("He’s stressed")
    expect(reader.locator("#reason-stressed strong")).to_have_count(0)
    expect(take_questionnaire(browser, site).locator(RESULT_WAY)).to_have_count(1)
    assert page.problems == []


SELF_BLAME_WAY = "way-dont-make-it-about-you"
RESULT_WAY = f"#result-{SELF_BLAME_WAY}"


def take_questionnaire(browser, site):
    """A new reader answers as TOGETHER_AND_STRESSED; her result page."""
    reader = browser.new_context().new_page()
    reader.goto(site + START)
    reader.get_by_role("button", name="Start the questionnaire").click()
    for labels in TOGETHER_AND_STRESSED:
        answer_by_mouse(reader, labels)
    reader.get_by_role("button", name="See my results").click()
    expect(reader.get_by_role("heading", name="Warning signs")).to_be_visible()
    return reader


def simulator_answers() -> dict[str, list[str]]:
    query = {}
    for labels in TOGETHER_AND_STRESSED:
        for label in labels:
            picked = Choice.objects.filter(text=label).first()
            query.setdefault(f"q{picked.question_id}", []).append(str(picked.pk))
    return query


def test_admin_pages_raise_no_policy_violations(editor_page, site):
    page = editor_page
    for path in [
        "/admin/advice/section/2/change/",
        "/admin/quiz/questionnaire/1/change/",
        "/admin/quiz/question/1/change/",
        "/admin/quiz/choice/1/change/",
        "/admin/advice/item/?q=space",
        "/admin/quiz/question/deleted/",
    ]:
        page.goto(site + path)
        expect(page.locator("#content")).to_be_visible()
    assert page.problems == []
