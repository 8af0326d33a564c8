"""A reader opens the article in Chromium and finds her way around it."""

from playwright.sync_api import expect


def test_reader_jumps_through_the_table_of_contents(page, site):
    page.goto(site + "/")
    expect(page.locator("h1")).to_have_text("Why is he pushing me away when he loves me?")
    page.get_by_role("navigation", name="In this article").get_by_role(
        "link", name="Give him space"
    ).click()
    assert page.url.endswith("#way-give-him-space")
    expect(page.locator("#way-give-him-space h3")).to_be_in_viewport()
    expect(page.locator("#way-give-him-space h3")).to_have_text("2) Give him space")
    assert page.problems == []


def test_the_first_tab_reaches_the_way_out_and_then_the_skip_link_to_the_content(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Exit this page")).to_be_focused()
    page.keyboard.press("Tab")  # on this wide screen the contents are beside the text
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_page_works_with_javascript_off(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="He’s gaslighting you").click()
    assert page.url.endswith("#sign-gaslighting")
    expect(page.locator("#sign-gaslighting")).to_be_in_viewport()
    context.close()


def test_dark_mode_follows_the_system_setting(browser, site):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site + "/")
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] == "rgb(247, 243, 238)"
    assert colours["dark"] == "rgb(27, 26, 31)"
