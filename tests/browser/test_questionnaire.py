"""A reader takes the questionnaire in Chromium: by mouse, by keyboard, without JavaScript."""

import re

from playwright.sync_api import expect

from advice.releases import publish

from ..factories import make_article, make_questionnaire, make_section
from ..quiz_helpers import START

TOGETHER_AND_STRESSED = [
    ["We’re together, but he feels far away"],
    ["Around a year or two"],
    [
        "He’s working long hours or seems worn out",
        "He seems to care, but says less about his feelings",
    ],
    ["Yes: work, money, health or family"],
    ["It hasn’t really come up"],
    ["He seems ready for it"],
    ["Wonder what I did wrong"],
    ["No"],
    ["None of these"],
    ["None of these"],
    ["Full: work, friends and things I enjoy"],
    ["Yes, I want to make it work"],
]


def answer_by_mouse(page, labels):
    for label in labels:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Next").click()


def take_to_the_result(page, site, path):
    """Start the questionnaire, answer `path` by mouse, confirm: her result's address."""
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    for labels in path:
        answer_by_mouse(page, labels)
    page.get_by_role("button", name="See my results").click()
    expect(page).to_have_url(re.compile(r"/results/[A-Za-z0-9_-]{43}/$"))
    return page.url


def test_a_reader_takes_the_questionnaire_and_deletes_her_answers(page, site):
    page.goto(site + "/")
    page.get_by_role("link", name="Take the questionnaire").click()
    page.get_by_role("button", name="Start the questionnaire").click()
    expect(page.get_by_text("Question 1 of 12")).to_be_visible()
    for labels in TOGETHER_AND_STRESSED:
        answer_by_mouse(page, labels)
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="See my results").click()
    expect(page).to_have_url(re.compile(r"/results/[A-Za-z0-9_-]{43}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Give him space, and keep talking")
    expect(page.locator("#result-reason-stressed h3")).to_have_text(
        "2) He’s stressed and none of this is about you"
    )
    page.locator("#result-reason-stressed").get_by_text("Read more").click()
    read_more = "Read “He’s stressed and none of this is about you” in the article"
    page.get_by_role("link", name=read_more).click()
    expect(page).to_have_url(site + "/#reason-stressed")
    page.go_back()

    page.get_by_role("link", name="Delete my answers").click()
    page.get_by_role("button", name="Yes, delete my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are deleted")
    assert page.problems == []
    page.go_back()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn’t find that page")


def test_going_back_and_changing_an_answer_from_the_review(page, site):
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    answer_by_mouse(page, ["We’re together, but he feels far away"])
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("We’re together, but he feels far away")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    for labels in TOGETHER_AND_STRESSED[1:]:
        answer_by_mouse(page, labels)
    page.get_by_role(
        "link", name="Change your answer to “How long have you been seeing each other?”"
    ).click()
    page.get_by_label("Several years").check()
    page.get_by_role("button", name="Save and go back to review").click()
    expect(page.locator(".review-list__row").nth(1)).to_contain_text("Several years")


def test_she_leaves_half_way_and_resumes_later(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    for labels in TOGETHER_AND_STRESSED[:4]:
        answer_by_mouse(page, labels)
    # She leaves the site. (Not page.close(): it has no timeout, and under a loaded
    # machine Chromium has been seen to never answer it.)
    page.goto("about:blank")
    later = context.new_page()
    later.goto(site + START)
    later.get_by_role("link", name="Continue where you left off").click()
    expect(later.get_by_text("Question 5 of 12")).to_be_visible()
    context.close()


def tab_to(page, locator, most=40):
    """Press Tab from where focus is until `locator` has it, as a keyboard user would."""
    for _ in range(most):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} is not reachable with Tab")


def test_the_whole_questionnaire_by_keyboard_alone(page, site):
    page.goto(site + START)
    tab_to(page, page.get_by_role("button", name="Start the questionnaire"))
    page.keyboard.press("Enter")
    for labels in TOGETHER_AND_STRESSED:
        expect(page.locator("fieldset legend")).to_be_visible()
        first_choice = page.locator("fieldset input").first
        tab_to(page, first_choice)
        options = page.locator("fieldset label").all_inner_texts()
        multiple = page.locator("fieldset input[type=checkbox]").count() > 0
        for label in labels:
            target = options.index(label)
            if multiple:
                for _ in range(target):
                    page.keyboard.press("Tab")
                page.keyboard.press("Space")
                for _ in range(target):
                    page.keyboard.press("Shift+Tab")
            else:
                page.keyboard.press("Space")
                for _ in range(target):
                    page.keyboard.press("ArrowDown")
        for label in labels:
            expect(page.get_by_label(label, exact=True)).to_be_checked()
        page.keyboard.press("Enter")  # submits the form from a radio or checkbox
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="See my results"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Give him space, and keep talking")


def test_the_questionnaire_works_with_javascript_off(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    page.get_by_role("button", name="Next").click()  # nothing picked: a clear message
    expect(page.get_by_role("alert")).to_contain_text("Please pick an answer to go on.")
    for labels in TOGETHER_AND_STRESSED:
        answer_by_mouse(page, labels)
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Give him space, and keep talking")
    context.close()


def test_exit_this_page_leaves_at_once(page, site):
    page.goto(site + START)
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(site + "/robots.txt")


def test_pressing_shift_three_times_leaves_too(page, site):
    page.goto(site + START)
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(site + "/robots.txt")


def test_exit_this_page_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + START)
    page.get_by_role("link", name="Exit this page").click()
    expect(page).to_have_url(site + "/robots.txt")
    context.close()


HE_LEFT_AND_WARNING_SIGNS = [
    ["He has ended it"],
    ["Several years"],
    ["He cancels plans, often at the last minute"],
    ["Not that I know of"],
    ["He gets vague or changes the subject"],
    ["I don’t know"],
    ["Message or call more, to find out what’s wrong"],
    ["Yes, more than once"],
    ["An ex has come back into the picture", "His story changes when I ask about things"],
    ["None of these"],
    ["Mostly waiting to hear from him"],
    ["It has got smaller since I met him"],
    ["Probably not"],
]


def take_in_browser(browser, site, path):
    page = browser.new_context().new_page()
    take_to_the_result(page, site, path)
    return page


def test_two_readers_answering_differently_get_results_that_match_their_answers(browser, site):
    together = take_in_browser(browser, site, TOGETHER_AND_STRESSED)
    left = take_in_browser(browser, site, HE_LEFT_AND_WARNING_SIGNS)
    assert together.url != left.url

    expect(together.get_by_role("heading", level=1)).to_have_text(
        "Give him space, and keep talking"
    )
    expect(together.locator("#signs-title ~ p")).to_contain_text("None of the article’s eight")

    expect(left.get_by_role("heading", level=1)).to_have_text("It may be time to walk away")
    signs = left.locator("#signs-title ~ .result-item h3").all_inner_texts()
    assert signs == [
        "1) He keeps saying that he doesn’t deserve you",
        "2) Something suddenly comes up about an old flame",
        "3) He keeps ditching you",
        "6) His story changes",
    ]
    ways = left.locator("#ways-title ~ .result-item h3").all_inner_texts()
    assert ways and all(int(way.split(")")[0]) >= 8 for way in ways)  # he has left her
    expect(left.locator("#result-sign-old-flame .because")).to_contain_text(
        "you answered “An ex has come back into the picture”"
    )


def test_two_questionnaires_in_two_tabs_of_one_browser(page, site):
    """Each article leads to its own questionnaire; a run of one does not replace her run
    of the other, and the header leads to the questionnaire of the article she reads."""
    article = make_article(title="A second article", slug="second")
    make_section(article=article)
    make_questionnaire(article=article, title="The second questionnaire", slug="second-quiz")
    publish()
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    for labels in TOGETHER_AND_STRESSED[:2]:
        answer_by_mouse(page, labels)

    other = page.context.new_page()
    other.goto(site + "/read/second/")
    other.get_by_role("navigation", name="Site").get_by_role("link", name="Questionnaire").click()
    expect(other).to_have_url(site + "/questionnaire/second-quiz/")
    expect(other.get_by_role("heading", level=1)).to_have_text("The second questionnaire")
    other.get_by_role("button", name="Start the questionnaire").click()
    other.get_by_label("Yes", exact=False).check()
    other.get_by_role("button", name="Next").click()
    other.get_by_role("button", name="See my results").click()
    expect(other).to_have_url(re.compile(r"/results/[A-Za-z0-9_-]{43}/$"))

    answer_by_mouse(page, TOGETHER_AND_STRESSED[2])  # the first tab goes on where it was
    expect(page.get_by_text("Question 4 of 12")).to_be_visible()
    page.goto(site + START)
    expect(page.get_by_role("link", name="Continue where you left off")).to_be_visible()
    assert page.problems == []
