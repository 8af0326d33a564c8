"""Accessible to everyone: axe-core finds nothing, and the keyboard focus is visible and in order.

axe-core (an npm package: `make test` installs it into node_modules/) is run on each page
with the WCAG 2.0, 2.1 and 2.2 A and AA rules. Every page a reader meets is checked in light
and dark colour schemes, on a small phone (320 pixels wide, the narrowest the site is made
for), a phone (390×844) and a desktop screen (1280×900): the article (with related and more
articles), the list of articles, another article with its breadcrumbs and its own
questionnaire's start page and first question, search results, the questionnaire's start
page, every step of a full path (and a step showing an error), the
review, a result with and without the safety panel (and after saying an item helped), her
pages under it (the article marked for her, her plan, the calendar reminder with an error),
the delete confirmation and the 404 page.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from advice.models import Article
from advice.releases import publish

from ..factories import make_article, make_item, make_questionnaire, make_section
from ..quiz_helpers import START
from .test_questionnaire import TOGETHER_AND_STRESSED, answer_by_mouse

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = ["light", "dark"]
SCREENS = {
    "small phone": {"width": 320, "height": 640},
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}

# A reader who has been left, and whose answers show warning signs of control: her result
# page carries the safety panel with its helplines.
LEFT_WITH_WARNING_SIGNS = [
    ["He has ended it"],
    ["Several years"],
    ["He cancels plans, often at the last minute"],
    ["Not that I know of"],
    ["He gets vague or changes the subject"],
    ["I don’t know"],
    ["Message or call more, to find out what’s wrong"],
    ["Yes, more than once"],
    ["An ex has come back into the picture"],
    ["He tells me I’m imagining things, or that something is wrong with me for worrying"],
    ["Mostly waiting to hear from him"],
    ["It has got smaller since I met him"],
    ["Probably not"],
]


def load_axe(page):
    """Put axe-core into the page, once.

    Evaluated through the DevTools protocol like Playwright's add_script_tag, but not as an
    inline <script>: the site's Content-Security-Policy (scripts from its own files only)
    would refuse that, and it stays in force while axe runs.
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make checkers` (make test does it).")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())


def show_as(page, scheme, screen):
    """Switch the open page to a colour scheme and a screen size, as a new context would."""
    page.set_viewport_size(SCREENS[screen])
    page.emulate_media(color_scheme=scheme)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")


def axe_violations(page) -> list[str]:
    """Run axe-core's WCAG A and AA rules on the page as it is now; one line per failure."""
    load_axe(page)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.flatMap((rule) => rule.nodes.map((node) =>
                `${rule.id} (${rule.impact}): ${node.target.join(" ")}: ` +
                node.failureSummary.replace(/\\s+/g, " ")));
        }""",
        WCAG_A_AND_AA,
    )


def publish_a_second_article():
    """Another article, related to the seed's both ways (the pages that lead between
    them), with a questionnaire of its own."""
    home = Article.objects.get(is_home=True)
    another = make_article(title="Another article", slug="another")
    make_item(section=make_section(article=another))
    home.related.add(another)
    another.related.add(home)
    make_questionnaire(
        article=another, title="Another questionnaire", slug="another-questionnaire", questions=2
    )
    publish()


def walk_through_the_site(page, site, answers):
    """Read the articles and take the questionnaire, stopping at every page a reader sees.

    Yields a short name for each page once it is on screen.
    """
    publish_a_second_article()
    page.goto(site + "/")
    yield "the article"
    page.get_by_role("link", name="All articles").click()
    expect(page.get_by_role("heading", name="Articles", exact=True)).to_be_visible()
    yield "the list of articles"
    page.get_by_role("link", name="Another article").click()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_visible()
    yield "another article, with its breadcrumbs and related articles"
    page.get_by_role("link", name="Take the questionnaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Another questionnaire")
    yield "another article's questionnaire: its start page"
    page.get_by_role("button", name="Start the questionnaire").click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    yield "another article's questionnaire: its first question"
    page.goto(site + "/search/?q=give+him+space")
    expect(page.locator(".search-result").first).to_be_visible()
    yield "search results"
    page.goto(site + START)
    yield "the questionnaire's start page"
    page.get_by_role("button", name="Start the questionnaire").click()
    page.get_by_role("button", name="Next").click()  # nothing picked
    expect(page.get_by_role("alert")).to_be_visible()
    yield "question 1 showing an error"
    for number, labels in enumerate(answers, start=1):
        expect(page.get_by_text(f"Question {number} of")).to_be_visible()
        yield f"question {number}"
        if number == 3:  # picked answers are drawn differently
            for label in labels:
                page.get_by_label(label, exact=True).check()
            yield f"question {number} with her answers picked"
        if number == 4:  # she leaves and comes back later
            page.goto(site + START)
            yield "the start page offering to continue"
            page.get_by_role("link", name="Continue where you left off").click()
        answer_by_mouse(page, labels)
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    yield "the review page"
    page.get_by_role("button", name="See my results").click()
    expect(page.locator(".result")).to_be_visible()
    yield "the result page"
    for summary in page.locator("details summary").all():
        summary.click()  # the article's words folded inside each result item
    yield "the result page with every item unfolded"
    page.locator("form.feedback button").first.click()  # "Yes" under the first item
    expect(page.locator(".feedback__thanks")).to_be_visible()
    # The vote returns her to the item, and at 320 px that leaves the header's first row
    # half under the sticky exit bar, where axe measures its links as 13 px targets. What
    # the bar covers is tested in test_way_out (focus and anchors are never under it);
    # here the page is checked from its top, as every other page is.
    page.evaluate("window.scrollTo(0, 0)")
    yield "the result page after saying an item helped"
    page.get_by_role("link", name="The article, marked for you").click()
    expect(page.get_by_role("navigation", name="Picked for your answers")).to_be_visible()
    yield "the article with her answers in mind"
    page.get_by_role("link", name="Back to your results").click()
    page.get_by_role("link", name="Print my plan").click()
    page.get_by_text("Choose the ones you want to try").click()
    expect(page.get_by_role("button", name="Show only these")).to_be_visible()
    yield "her plan, with its choice unfolded"
    page.get_by_role("link", name="Back to your results").click()
    page.get_by_role("link", name="Set a reminder").click()
    page.get_by_role("button", name="Download the calendar file").click()  # no day picked
    expect(page.get_by_role("alert")).to_be_visible()
    yield "the calendar reminder, saying what to change"
    page.get_by_role("link", name="Back to your results").click()
    page.get_by_role("link", name="Check in again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in again")
    yield "checking in again"
    page.get_by_role("button", name="Start my check-in").click()
    expect(page.get_by_text(re.compile(r"^On .* you answered:"))).to_be_visible()
    yield "a check-in's first question, with her answer last time"
    for labels in answers:  # the same again
        answer_by_mouse(page, labels)
    page.get_by_role("button", name="See my results").click()
    expect(page.get_by_role("region", name="Your check-ins")).to_be_visible()
    yield "a check-in's result: what moved, and her check-ins"
    page.get_by_role("link", name="Delete my answers").click()
    expect(page.get_by_role("heading", name="Delete your answers?")).to_be_visible()
    yield "the delete confirmation: this check-in or all"
    page.get_by_role("button", name="Delete all 2 check-ins").click()
    expect(page.get_by_role("heading", name="Your answers are deleted")).to_be_visible()
    yield "the page saying her answers are deleted"
    page.goto(site + "/no-such-page/")
    yield "the 404 page"


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(TOGETHER_AND_STRESSED, id="together-and-stressed"),
        pytest.param(LEFT_WITH_WARNING_SIGNS, id="left-with-the-safety-panel"),
    ],
)
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(browser, site, answers):
    """Every page of a full visit has 0 axe-core violations of WCAG 2.0/2.1/2.2 A and AA,
    in light and dark, on a small phone, a phone and a desktop screen."""
    context = browser.new_context(color_scheme="light", viewport=SCREENS["phone"])
    page = context.new_page()
    found = []
    checked = []
    for name in walk_through_the_site(page, site, answers):
        # A click that navigates returns once the next page starts loading; axe must see it
        # with its stylesheet applied (CI once measured the links of a page not yet styled).
        page.wait_for_load_state("load")
        for screen in SCREENS:
            for scheme in SCHEMES:
                show_as(page, scheme, screen)
                checked.append((name, scheme, screen))
                found += [f"{name} ({scheme}, {screen}): {line}" for line in axe_violations(page)]
        show_as(page, "light", "phone")
    context.close()
    combinations = len(SCHEMES) * len(SCREENS)
    assert len(checked) == combinations * len({name for name, _, _ in checked}) >= 6 * 20
    if answers is LEFT_WITH_WARNING_SIGNS:
        assert "question 13" in {name for name, _, _ in checked}  # all 13 of her steps
    assert found == [], "axe-core found WCAG A/AA violations:\n" + "\n".join(found)


def contrast_failures_under_the_pointer(page, selectors) -> list[str]:
    """Hover the first visible control matching each selector, in light and in dark; axe-core
    checks the contrast of its text."""
    load_axe(page)
    failures = []
    for selector in selectors:
        control = page.locator(selector).locator("visible=true").first
        expect(control).to_be_attached()
        control.hover()
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            messages = control.evaluate(
                """async (element) => {
                    const results = await axe.run(element, {runOnly: ["color-contrast"]});
                    return results.violations.flatMap((rule) => rule.nodes.map((node) =>
                        node.any.map((check) => check.message).join(" ")));
                }"""
            )
            failures += [f"{page.url} {selector} ({scheme}): {message}" for message in messages]
    return failures


def test_controls_keep_their_contrast_under_the_pointer(browser, site):
    """A hovered link, button, choice or exit button keeps AA contrast (4.5:1; 3:1 if large),
    in light and in dark.

    axe-core sees a page at rest; here the pointer rests on one control of each kind.
    """
    context = browser.new_context(viewport=SCREENS["desktop"])
    page = context.new_page()
    failures = []
    publish_a_second_article()
    page.goto(site + "/")
    failures += contrast_failures_under_the_pointer(
        page,
        [
            ".site-name",
            ".site-nav a",
            ".invitation .button",
            ".toc a",
            ".back-to-top a",
            ".article-card__title a",
            ".further__all a",
        ],
    )
    page.goto(site + "/read/another/")
    failures += contrast_failures_under_the_pointer(
        page, [".breadcrumbs a", ".breadcrumbs a[aria-current]", ".site-nav a[aria-current]"]
    )
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    page.get_by_role("button", name="Next").click()  # nothing picked: an error to follow
    failures += contrast_failures_under_the_pointer(
        page, [".exit-button", ".error-summary a", ".choice label", "button", ".button--quiet"]
    )
    for labels in LEFT_WITH_WARNING_SIGNS:
        answer_by_mouse(page, labels)
    failures += contrast_failures_under_the_pointer(page, [".review-list__change a", "button"])
    page.get_by_role("button", name="See my results").click()
    page.locator(".result-item summary").first.click()  # the link and "Was this helpful?"
    failures += contrast_failures_under_the_pointer(
        page,
        [
            ".resources a",
            ".result-item__body summary",
            ".result-item__link a",
            ".result__actions .button:not(.button--quiet)",
            ".result__actions .button--quiet",
            ".feedback__button",
        ],
    )
    page.get_by_role("link", name="Delete my answers").click()
    failures += contrast_failures_under_the_pointer(page, [".button--danger", ".button--quiet"])
    context.close()
    assert failures == [], "\n".join(failures)


def remember_resting_styles(page):
    """Note each control's box shadow before it has focus: a shadow it always has is no sign."""
    page.evaluate(
        """() => {
            window.restingShadow = new Map();
            for (const element of document.querySelectorAll("a, button, input, summary")) {
                window.restingShadow.set(element, getComputedStyle(element).boxShadow);
            }
        }"""
    )


def describe_focus(page) -> dict:
    """The focused element: its name, and whether its focus shows (outline or a new shadow)."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            const label = element.labels && element.labels.length
                ? element.labels[0].textContent : element.textContent;
            return {
                tag: element.tagName.toLowerCase(),
                type: element.type || "",
                name: label.trim().replace(/\\s+/g, " "),
                outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                    && style.outlineColor !== "rgba(0, 0, 0, 0)",
                shadow: style.boxShadow !== "none"
                    && style.boxShadow !== window.restingShadow.get(element),
            };
        }"""
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_tab_order_on_a_question_is_sensible_and_focus_is_always_visible(browser, site, scheme):
    """Tab goes Exit this page → skip link → header links (the other language beside the
    site's name) → choices → Next → Back.

    Every element that takes focus on the way shows it: a visible outline or a box shadow.
    """
    context = browser.new_context(color_scheme=scheme, viewport=SCREENS["desktop"])
    page = context.new_page()
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    answer_by_mouse(page, TOGETHER_AND_STRESSED[0])
    answer_by_mouse(page, TOGETHER_AND_STRESSED[1])
    expect(page.get_by_text("What has changed lately?")).to_be_visible()  # checkboxes
    choices = page.locator("fieldset label").all_inner_texts()
    remember_resting_styles(page)

    stops = []
    for _ in range(9 + len(choices) + 2):
        page.keyboard.press("Tab")
        stops.append(describe_focus(page))
    context.close()

    assert [stop["name"] for stop in stops] == [
        "Exit this page",
        "Skip to content",
        "Pushing Away",
        "Español",
        "Home",
        "Articles",
        "Questionnaire",
        "Search the articles",
        "Search",
        *choices,
        "Next",
        "Back",
    ]
    assert {stop["type"] for stop in stops[9:-2]} == {"checkbox"}
    invisible = [stop["name"] for stop in stops if not (stop["outline"] or stop["shadow"])]
    assert invisible == [], f"focus is not visible on: {invisible}"


def test_radio_choices_are_one_tab_stop_and_show_focus(page, site):
    """A single-answer question is one stop for Tab; the focused radio is outlined."""
    page.goto(site + START)
    page.get_by_role("button", name="Start the questionnaire").click()
    remember_resting_styles(page)
    # The header's last stop: its search button here (a phone has a link in the menu instead).
    page.locator(".site-header :is(a, input, button):visible").last.focus()
    page.keyboard.press("Tab")
    first = describe_focus(page)
    page.keyboard.press("Tab")
    after = describe_focus(page)
    assert (first["type"], first["name"]) == ("radio", "We’re together, but he feels far away")
    assert first["outline"] or first["shadow"]
    assert after["name"] == "Next"
    assert page.problems == []
