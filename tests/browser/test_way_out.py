"""The way out is always in reach, in Chromium, on a small phone, a phone and a desktop.

A reader who hears someone coming must not have to scroll back to the top: wherever she is
on a long page, "Exit this page" is on the screen and one click leaves, with JavaScript
or without. The bar it sits in never hides what the keyboard focuses, and the hint under
it speaks of the Shift shortcut only where there is likely a keyboard.
"""

import re

import pytest
from playwright.sync_api import expect

from ..quiz_helpers import START
from .test_accessibility import LEFT_WITH_WARNING_SIGNS, SCREENS
from .test_questionnaire import take_to_the_result


def settle(page):
    """Wait until the page stops scrolling (smooth scrolling takes a moment). Polled from
    here: with JavaScript off, the page runs no animation frames to wait on."""
    last, still = None, 0
    while still < 3:
        page.wait_for_timeout(20)
        now = page.evaluate("scrollY")
        still, last = (still + 1, now) if now == last else (0, now)


def scroll_to_the_end(page):
    """Scroll down with the mouse wheel, as she would with a finger, until the page ends."""
    page.mouse.move(SCREENS["small phone"]["width"] / 2, 300)
    for _ in range(100):
        page.mouse.wheel(0, 1500)
        settle(page)
        if page.evaluate("scrollY + innerHeight >= document.documentElement.scrollHeight - 1"):
            return
    raise AssertionError("the page never ended")


def the_result_page(page, site):
    """Her result with the safety panel, the longest a reader can get."""
    address = take_to_the_result(page, site, LEFT_WITH_WARNING_SIGNS)
    expect(page.get_by_role("heading", level=1)).to_have_text("It may be time to walk away")
    return address


def exit_is_at_the_top_of_the_screen(page):
    button = page.get_by_role("link", name="Exit this page")
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box["y"] < 60 and box["height"] >= 44, box
    return button


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_at_the_end_of_a_long_page_the_exit_button_is_in_view_and_one_click_leaves(
    browser, site, screen, javascript
):
    """On the article, a question and a result: scrolled to the very end, the button is
    still at the top of the screen, and one click lands on the neutral site."""
    context = browser.new_context(viewport=SCREENS[screen], java_script_enabled=javascript)
    page = context.new_page()
    exit_url = site + "/robots.txt"  # the neutral site in these tests (conftest.py)
    result = the_result_page(page, site)
    page.goto(site + START)
    page.get_by_role("button", name="Start again").click()
    question = page.url
    assert re.search(r"/questionnaire/[\w-]+/question/\d+/$", question)
    pages = {"the article": site + "/", "a question": question, "a result": result}
    heights = {}
    for name, address in pages.items():
        page.goto(address)
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
        scroll_to_the_end(page)
        exit_is_at_the_top_of_the_screen(page).click()
        expect(page).to_have_url(exit_url)
    context.close()
    assert heights["the article"] > 5 * SCREENS[screen]["height"]  # truly long, at any width
    assert heights["a result"] > SCREENS[screen]["height"]


def test_leaving_takes_the_page_out_of_the_history(page, site):
    """With JavaScript, Back after leaving does not bring the article back."""
    page.goto(site + START)
    page.goto(site + "/")
    scroll_to_the_end(page)
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(site + "/robots.txt")
    page.go_back()
    expect(page).to_have_url(site + START)
    assert page.problems == []


# Where the focused element is, against the bar, once the page has scrolled to it.
WHERE_FOCUS_IS = """async () => {
    for (let frame = 0; frame < 2; frame++) {
        await new Promise((done) => requestAnimationFrame(done));
    }
    const element = document.activeElement;
    if (element === document.body) return {round: true};
    if (element.closest(".exit-bar")) return {};
    const box = element.getBoundingClientRect();
    const bar = document.querySelector(".exit-bar").getBoundingClientRect();
    if (box.top >= bar.bottom - 0.5 && box.bottom <= innerHeight + 0.5) return {};
    return {hidden: `${element.tagName} “${element.textContent.trim().slice(0, 40)}” at ` +
        `${Math.round(box.top)}–${Math.round(box.bottom)} (bar ends at ` +
        `${Math.round(bar.bottom)}, screen at ${innerHeight})`};
}"""


def tab_through(page, key):
    """Press `key` (Tab or Shift+Tab) until focus comes round to the page again: the stops
    it hid, and how many there were."""
    hidden = []
    for stops in range(200):
        page.keyboard.press(key)
        where = page.evaluate(WHERE_FOCUS_IS)
        if where.get("round"):
            return hidden, stops
        if where.get("hidden"):
            hidden.append(where["hidden"])
    raise AssertionError("focus never came round")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_focus_moved_with_tab_is_never_hidden_under_the_bar(browser, site, screen):
    """Down the whole article and a result with Tab, and back up with Shift+Tab: each
    element the keyboard focuses is on the screen, none of it under the exit bar
    (WCAG 2.2, 2.4.11 Focus Not Obscured).

    With reduced motion, so each Tab's scroll is done at once: a smooth one ends in the same
    place, only later."""
    context = browser.new_context(viewport=SCREENS[screen], reduced_motion="reduce")
    page = context.new_page()
    result = the_result_page(page, site)
    hidden = []
    for address in (site + "/", result):
        page.goto(address)
        for key in ("Tab", "Shift+Tab"):
            found, stops = tab_through(page, key)
            hidden += [f"{address} ({key}): {where}" for where in found]
            assert stops >= 20, (address, stops)
        assert page.evaluate("scrollY") == 0  # back at the top: the bar was passed both ways
    context.close()
    assert hidden == [], "focus hidden:\n" + "\n".join(hidden)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without"])
def test_the_contents_are_one_tap_away_anywhere_in_the_article(browser, site, javascript):
    """On a phone, from the end of the article: "Contents" in the exit bar, a contents
    entry, and "Back to contents" after the section; plain links, so with no script too.
    Each target lands below the bar, not under it."""
    context = browser.new_context(viewport=SCREENS["phone"], java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site + "/")
    scroll_to_the_end(page)
    bar = page.locator(".exit-bar")
    bar.get_by_role("link", name="Contents").click()
    expect(page).to_have_url(site + "/#toc-title")
    contents = page.get_by_role("heading", name="In this article")
    settle(page)
    expect(contents).to_be_in_viewport(ratio=1)
    assert contents.bounding_box()["y"] >= bar.bounding_box()["height"]

    page.get_by_role("navigation", name="In this article").get_by_role(
        "link", name="He’s gaslighting you"
    ).click()
    heading = page.locator("#sign-gaslighting h3")
    settle(page)
    expect(heading).to_be_in_viewport(ratio=1)
    assert heading.bounding_box()["y"] >= bar.bounding_box()["height"]

    page.locator("#signs-to-walk-away").get_by_role("link", name="Back to contents").click()
    settle(page)
    expect(contents).to_be_in_viewport(ratio=1)
    context.close()


def shortcut_hint(page):
    return page.locator(".exit-hint").get_by_text("Or press Shift three times.")


def test_the_shift_shortcut_is_told_where_a_keyboard_is_likely(browser, site):
    context = browser.new_context(viewport=SCREENS["desktop"])
    page = context.new_page()
    page.goto(site + "/")
    assert page.evaluate("matchMedia('(hover: hover) and (pointer: fine)').matches")
    expect(page.locator(".exit-hint")).to_contain_text("Leaves at once for")
    expect(shortcut_hint(page)).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(site + "/robots.txt")
    context.close()


def test_a_touch_screen_gets_no_keyboard_hint(browser, site):
    context = browser.new_context(viewport=SCREENS["phone"], has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site + "/")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    expect(page.locator(".exit-hint")).to_contain_text("Leaves at once for")
    expect(shortcut_hint(page)).to_be_hidden()
    exit_is_at_the_top_of_the_screen(page).tap()
    expect(page).to_have_url(site + "/robots.txt")
    context.close()


def test_without_javascript_the_shortcut_is_not_promised(browser, site):
    context = browser.new_context(viewport=SCREENS["desktop"], java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    expect(page.locator(".exit-hint")).to_contain_text("Leaves at once for")
    expect(shortcut_hint(page)).to_be_hidden()
    context.close()
