"""A reader comes back two weeks later, checks in again, and sees what moved, in Chromium."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from .test_questionnaire import TOGETHER_AND_STRESSED, take_to_the_result

# Two answers that changed in two weeks (questions 8 and 10): he says he doesn't deserve
# her, and he tells her she is imagining things.
SAYS_HE_DOES_NOT_DESERVE_YOU = 7
SOUNDS_FAMILIAR = 9
CHANGED = {
    SAYS_HE_DOES_NOT_DESERVE_YOU: ["Yes, more than once"],
    SOUNDS_FAMILIAR: [
        "He tells me I’m imagining things, or that something is wrong with me for worrying"
    ],
}
WORSE = [CHANGED.get(n, labels) for n, labels in enumerate(TOGETHER_AND_STRESSED)]


def check_in(page, last_time, changed):
    """From her result: "Check in again", each question showing her answer `last_time`
    picked; she changes only `changed` (question index → labels). Her new result's
    address."""
    page.get_by_role("link", name="Check in again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in again")
    page.get_by_role("button", name="Start my check-in").click()
    for number, labels in enumerate(last_time):
        expect(page.get_by_text(re.compile(r"^On \d+ \w+ 2031 you answered:"))).to_be_visible()
        for label in labels:  # her answer last time is already picked
            expect(page.get_by_label(label, exact=True)).to_be_checked()
        if number in changed:
            for label in labels:
                if page.get_by_label(label, exact=True).get_attribute("type") == "checkbox":
                    page.get_by_label(label, exact=True).uncheck()
            for label in changed[number]:
                page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="See my results").click()
    expect(page).to_have_url(re.compile(r"/results/[A-Za-z0-9_-]{43}/$"))
    return page.url


def test_a_reader_checks_in_two_weeks_later_and_deletes_one_check_in_then_all(clock, page, site):
    first = take_to_the_result(page, site, TOGETHER_AND_STRESSED)
    clock.shift(timedelta(days=14))

    # She comes back through her private link, in the browser that answered.
    page.goto(first)
    expect(page.get_by_role("region", name="Your check-ins")).to_have_count(0)
    second = check_in(page, TOGETHER_AND_STRESSED, CHANGED)
    assert second != first

    # The new result opens with what moved since last time.
    moved = page.get_by_role("region", name="What moved since 18 June 2031")
    expect(moved).to_contain_text("Some things look more worrying than last time.")
    expect(moved).to_contain_text(
        "Verdict: “Give him space, and keep talking” then, “Look after yourself first” now."
    )
    expect(moved).to_contain_text("Warning signs that appeared:")
    expect(moved).to_contain_text("Your answers of 2 July 2031")

    # Her timeline: the earlier result opens as it was.
    timeline = page.get_by_role("region", name="Your check-ins")
    expect(timeline.get_by_role("listitem")).to_have_count(2)
    timeline.get_by_role("link", name="18 June 2031: Give him space, and keep talking").click()
    expect(page).to_have_url(first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Give him space, and keep talking")
    expect(page.get_by_role("region", name=re.compile("What moved"))).to_have_count(0)

    # A week later nothing changed.
    clock.shift(timedelta(days=7))
    page.goto(second)
    third = check_in(page, WORSE, {})
    expect(page.get_by_role("region", name="What moved since 2 July 2031")).to_contain_text(
        "Nothing moved"
    )
    expect(page.get_by_role("region", name="Your check-ins").get_by_role("listitem")).to_have_count(
        3
    )

    # She deletes the middle check-in and keeps the others...
    page.goto(second)
    page.get_by_role("link", name="Delete my answers").click()
    page.get_by_role("button", name="Delete this check-in").click()
    expect(page).to_have_url(third)
    expect(
        page.get_by_text("That check-in is deleted. Your other check-ins are kept.")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Your check-ins").get_by_role("listitem")).to_have_count(
        2
    )
    # ...what moved is now counted from her first result.
    expect(page.get_by_role("region", name="What moved since 18 June 2031")).to_be_visible()

    # Then all of them.
    page.get_by_role("link", name="Delete my answers").click()
    page.get_by_role("button", name="Delete all 2 check-ins").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are deleted")
    assert page.problems == []
    for gone in (first, second, third):
        page.goto(gone)
        expect(page.get_by_role("heading", level=1)).to_have_text("We couldn’t find that page")
