"""An editor makes a new article from pasted text in admin, in Chromium, under the site's
Content-Security-Policy."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from advice.models import Article

PASSWORD = "a long editor password"
TEXT = """# Quiet weeks

When he goes quiet, read this first.

## Why it happens

### He is tired

Work, mostly.

### He is scared

Of what comes next.

## Final thoughts

Look after yourself.
"""


@pytest.fixture
def editor_page(page, site):
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.goto(site + "/admin/login/?next=/admin/advice/article/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="New article from text")).to_be_visible()
    return page


def test_an_editor_pastes_previews_names_the_kinds_and_saves_a_draft(editor_page):
    page = editor_page
    page.get_by_role("link", name="New article from text").click()
    page.get_by_label("The article’s text").fill(TEXT)
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_text("“Quiet weeks”: 3 sections, 2 items.")).to_be_visible()
    rows = page.locator("#preview tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator("li")).to_have_count(2)
    kind = page.get_by_label("Kind of “Why it happens”")
    expect(kind).to_have_value("reasons")
    kind.select_option(label="Warning signs")
    page.get_by_role("button", name="Save as a draft article").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Saved “Quiet weeks” as a draft: 3 sections, 2 items."
    )
    article = Article.objects.get(slug="quiet-weeks")
    assert not article.is_published
    assert list(article.sections.values_list("kind", flat=True)) == [
        "introduction",
        "signs",
        "closing",
    ]
    expect(page.get_by_label("Title:")).to_have_value("Quiet weeks")
    assert page.problems == []


def test_a_text_edited_after_its_preview_is_shown_again_before_saving(editor_page):
    page = editor_page
    page.get_by_role("link", name="New article from text").click()
    text = page.get_by_label("The article’s text")
    text.fill(TEXT)
    page.get_by_role("button", name="Preview").click()
    text.fill(TEXT.replace("## Final thoughts", "## Last words"))
    page.get_by_role("button", name="Save as a draft article").click()

    expect(page.get_by_text("The text changed after its preview")).to_be_visible()
    expect(page.locator("#preview tbody th").nth(2)).to_have_text("Last words")
    assert not Article.objects.filter(slug="quiet-weeks").exists()
    page.get_by_role("button", name="Save as a draft article").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved “Quiet weeks” as a draft")
    assert page.problems == []
