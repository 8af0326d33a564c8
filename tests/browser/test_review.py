"""Review before publishing, in Chromium: three editors, three roles (issue 13)."""

from playwright.sync_api import expect

from advice.models import Release
from quiz.models import SupportResource, Verdict

from .test_questionnaire import HE_LEFT_AND_WARNING_SIGNS, take_in_browser

HELPLINE_NAME = "National Domestic Abuse Helpline"
NEW_NUMBER = "0808 2000 248"
NEW_VERDICT = "Reviewed words: you deserve to feel safe."
# She left, with warning signs, and is afraid of him: her result shows the helplines.
AFRAID = [
    ["I feel afraid of how he might react"] if answer == ["None of these"] else answer
    for answer in HE_LEFT_AND_WARNING_SIGNS
]


def in_the_uk(reader):
    """She says where she is: the panel then lists the UK's lines (issue 12)."""
    reader.get_by_label("Where are you?").select_option(label="United Kingdom")
    reader.get_by_role("button", name="Show lines").click()
    return reader


def signed_in(browser, site, user):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(f"a long {user.username} password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(f"Welcome, {user.username}")
    return page


def save(page):
    """Save the change form; a refusal fails with the admin's own words. The save posts,
    checks Markdown in a child process and redirects: on a busy machine that can take longer
    than the five seconds a page's element gets, so the page load is waited for apart."""
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Save", exact=True).click()
    refused = page.locator(".errornote, .errorlist").all_inner_texts()
    assert refused == [], refused
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_a_helpline_and_a_verdict_reach_readers_only_after_a_second_editor_approves(
    browser, site, writer, reviewer, publisher
):
    reader = in_the_uk(take_in_browser(browser, site, AFRAID))
    verdict_title = reader.get_by_role("heading", level=1).inner_text()
    verdict = Verdict.objects.get(title=verdict_title)
    expect(reader.locator(".panel--safety")).to_contain_text("0808 2000 247")
    resource = SupportResource.objects.get(name=HELPLINE_NAME)
    versions = Release.objects.count()

    # The writer changes a helpline number and the verdict this reader got.
    writing = signed_in(browser, site, writer)
    writing.goto(site + f"/admin/quiz/supportresource/{resource.pk}/change/")
    writing.get_by_label("Phone").fill(NEW_NUMBER)
    save(writing)
    writing.goto(site + f"/admin/quiz/verdict/{verdict.pk}/change/")
    writing.locator("textarea#id_body").fill(NEW_VERDICT)
    save(writing)

    # The publisher sees both as safety-critical and cannot publish them yet.
    publishing = signed_in(browser, site, publisher)
    publishing.goto(site + "/admin/advice/release/add/")
    critical = publishing.locator("#critical-changes")
    expect(critical).to_contain_text(f"({NEW_NUMBER}, https://www.nationaldahelpline.org.uk/)")
    expect(critical).to_contain_text("verdicts changed")
    publishing.get_by_role("button", name="Publish").click()
    expect(publishing.locator(".errorlist")).to_contain_text("need a second editor’s approval")
    assert Release.objects.count() == versions

    # The writer cannot approve their own change; they ask for a review.
    writing.goto(site + "/admin/advice/release/review/")
    expect(writing.get_by_role("button", name="Approve these changes")).to_have_count(0)
    writing.get_by_role("button", name="Ask for a review").click()
    expect(writing.locator(".messagelist")).to_contain_text("Reviewers have been told")

    # The reviewer sees the same diff readers would see change, and approves.
    reviewing = signed_in(browser, site, reviewer)
    reviewing.goto(site + "/admin/advice/release/review/")
    expect(reviewing.locator("#critical-changes")).to_contain_text(NEW_NUMBER)
    expect(reviewing.locator("#all-changes")).to_contain_text(
        f"Support resource changed: {HELPLINE_NAME}"
    )
    reviewing.get_by_label("Comment").fill("Number checked against the helpline's site.")
    reviewing.get_by_role("button", name="Approve these changes").click()
    expect(reviewing.locator("#review-state")).to_contain_text("Approved by reviewer")

    # The publisher publishes; readers see both.
    publishing.goto(site + "/admin/advice/release/add/")
    publishing.get_by_role("button", name="Publish").click()
    expect(publishing.locator(".messagelist")).to_contain_text("Published: readers now see")
    published = Release.objects.order_by("-pk").first()
    assert (published.approval.by, published.published_by) == (reviewer, publisher)

    reader = in_the_uk(take_in_browser(browser, site, AFRAID))
    expect(reader.locator(".result__verdict")).to_contain_text(NEW_VERDICT)
    expect(reader.locator(".panel--safety")).to_contain_text(NEW_NUMBER)
