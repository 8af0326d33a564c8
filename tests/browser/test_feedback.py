"""“Was this helpful?” in Chromium: the vote goes through from a page that sends no Referer.

The result page's `Referrer-Policy: no-referrer` makes Chromium send `Origin: null` with the
form's POST. Django's CSRF check would refuse that with a 403; these tests prove the vote
is accepted, from the browser that answered only, with and without JavaScript.
"""

from playwright.sync_api import expect

from quiz.models import ItemFeedback

from .test_questionnaire import TOGETHER_AND_STRESSED, take_to_the_result

TITLE = "He’s stressed and none of this is about you"


def reach_the_result(page, site):
    return take_to_the_result(page, site, TOGETHER_AND_STRESSED)


def unfold(page, item_slug):
    """Open an item's folded part, where "Was this helpful?" is asked after its words."""
    page.locator(f"#result-{item_slug}").get_by_text("Read more").click()


def test_she_says_an_item_helped_then_changes_her_mind(page, site):
    result_url = reach_the_result(page, site)
    item = page.locator("#result-reason-stressed")
    unfold(page, "reason-stressed")
    expect(item.get_by_role("group", name=f"Was this helpful? “{TITLE}”")).to_be_visible()

    with page.expect_request(lambda r: r.method == "POST" and "/feedback/" in r.url) as sent:
        page.get_by_role("button", name=f"Yes, “{TITLE}” helped").click()
    headers = sent.value.all_headers()
    assert headers.get("origin") == "null"  # what Django's CSRF check would refuse
    assert "referer" not in headers

    expect(page).to_have_url(result_url + "#feedback-reason-stressed")
    expect(item.locator(".feedback__thanks")).to_have_text("Thanks — you said this helped.")
    expect(item.locator(".feedback__thanks")).to_be_in_viewport()  # its fold stayed open
    assert ItemFeedback.objects.get().helpful is True

    page.get_by_role("button", name=f"Change to “didn’t help”: “{TITLE}”").click()
    expect(item.locator(".feedback__thanks")).to_have_text("Thanks — you said this didn’t help.")
    assert list(ItemFeedback.objects.values_list("item_slug", "helpful")) == [
        ("reason-stressed", False)
    ]
    assert page.problems == []


def test_the_buttons_are_big_enough_to_hit(page, site):
    reach_the_result(page, site)
    for summary in page.locator(".result-item summary").all():
        summary.click()
    assert page.locator("form.feedback button").count() == 2 * page.locator(".result-item").count()
    for button in page.locator("form.feedback button").all():
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


def test_voting_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    reach_the_result(page, site)
    unfold(page, "way-listen-and-learn")
    page.get_by_role("button", name="No, “Listen and learn” didn’t help").click()
    expect(page.locator("#feedback-way-listen-and-learn .feedback__thanks")).to_have_text(
        "Thanks — you said this didn’t help."
    )
    assert list(ItemFeedback.objects.values_list("item_slug", "helpful")) == [
        ("way-listen-and-learn", False)
    ]
    context.close()


def test_someone_she_shares_the_link_with_is_not_asked(browser, page, site):
    result_url = reach_the_result(page, site)
    unfold(page, "reason-stressed")
    expect(page.locator("#result-reason-stressed form.feedback")).to_be_visible()
    friend = browser.new_context()
    shared = friend.new_page()
    shared.goto(result_url)
    expect(shared.locator(".result-item").first).to_be_visible()
    expect(shared.locator("form.feedback")).to_have_count(0)
    friend.close()
