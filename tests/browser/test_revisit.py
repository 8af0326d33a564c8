"""Her own pages under her result, in Chromium: the article with her answers in mind (its
jump list leading to her items), the plan she prints, and the calendar reminder."""

import re

from playwright.sync_api import expect

from .test_questionnaire import TOGETHER_AND_STRESSED, take_to_the_result
from .test_way_out import the_result_page

STRESSED = "He’s stressed and none of this is about you"


def test_from_her_result_to_the_article_a_jump_link_and_the_plan(page, site):
    result = take_to_the_result(page, site, TOGETHER_AND_STRESSED)
    picked = page.locator(".result-item").count()
    ways = [
        title.split(") ", 1)[1] for title in page.locator(".result-item--ways h3").all_inner_texts()
    ]
    assert picked >= 4 and ways
    page.get_by_role("link", name="The article, marked for you").click()
    expect(page).to_have_url(result + "article/")
    jump = page.get_by_role("navigation", name="Picked for your answers")
    expect(jump.get_by_role("link")).to_have_count(picked)

    jump.get_by_role("link", name=f"2) {STRESSED}").click()
    expect(page).to_have_url(result + "article/#reason-stressed")
    item = page.locator("#reason-stressed")
    expect(item.get_by_role("heading", level=3)).to_be_in_viewport()
    expect(item.get_by_text("Picked for your answers")).to_be_visible()
    # Not hidden under the bar that keeps "Exit this page" at the top.
    bar = page.locator(".exit-bar").bounding_box()
    assert item.get_by_role("heading", level=3).bounding_box()["y"] >= bar["height"]
    expect(page.locator(".item--picked")).to_have_count(picked)

    page.get_by_role("link", name="Back to your results").click()
    page.get_by_role("link", name="Print my plan").click()
    expect(page).to_have_url(result + "plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Things to try")
    expect(page.locator(".plan__way h2")).to_have_text(ways)
    assert page.title() == "Things to try"
    assert page.problems == []


def test_she_chooses_one_way_and_on_paper_the_plan_is_only_that(page, site):
    the_result_page(page, site)
    page.get_by_role("link", name="Print my plan").click()
    ways = page.locator(".plan__way h2")
    expect(ways.first).to_be_visible()
    everything = ways.all_inner_texts()
    assert len(everything) >= 2
    page.get_by_text("Choose the ones you want to try").click()
    for title in everything[1:]:
        page.get_by_role("checkbox", name=title, exact=True).uncheck()
    page.get_by_role("button", name="Show only these").click()
    expect(ways).to_have_text([everything[0]])

    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_have_text("Things to try")
    expect(ways).to_have_text([everything[0]])
    printed = page.locator("body").inner_text()
    for words in ["Exit this page", "Pushing Away", "helpline", "Print", "Back to your results"]:
        assert words not in printed, words
    assert page.problems == []


def test_the_reminder_downloads_a_calendar_file_named_to_say_nothing(page, site):
    result = take_to_the_result(page, site, TOGETHER_AND_STRESSED)
    page.get_by_role("link", name="Set a reminder").click()
    expect(page).to_have_url(result + "reminder/")
    day = page.get_by_label("Day")
    first = day.get_attribute("min")
    day.fill(first)
    page.get_by_label("Title in your calendar").fill("Library books")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the calendar file").click()
    download = downloading.value
    assert download.suggested_filename == "event.ics"
    text = download.path().read_bytes().decode()
    assert "SUMMARY:Library books\r\n" in text
    assert f"DTSTART;VALUE=DATE:{first.replace('-', '')}\r\n" in text
    assert "/results/" not in text and not re.search(r"^URL", text, re.M)
    expect(page).to_have_url(result + "reminder/")  # she stays on the form
    assert page.problems == []
