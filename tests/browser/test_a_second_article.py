"""Issue 11 from end to end, in Chromium: a second article with a questionnaire of its own.

An editor pastes a short article, saves it as a draft, builds its questionnaire in admin
(two questions, their answers, rules picked from the new article's items, a verdict) and
publishes it from "Publish changes". A reader then finds the article from the home page
and through search, takes its questionnaire at its own address and gets a result drawn
from the new article alone. The first article's questionnaire still starts at its
address, and a result link a reader kept from before still shows what it showed. The
new pages she meets pass axe-core and the Nu HTML Checker.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from advice.models import Article, Item
from quiz.models import Question

from ..quiz_helpers import START
from ..test_html_validity import CONTROL, nu_html_checker_errors
from .test_accessibility import axe_violations
from .test_questionnaire import TOGETHER_AND_STRESSED, answer_by_mouse, take_to_the_result
from .test_review import signed_in

PASSWORD = "a long editor password"
TITLE = "When he goes quiet after a fight"
SLUG = "when-he-goes-quiet-after-a-fight"
TEXT = f"""# {TITLE}

After an argument some men say nothing for hours. Here is what the quiet can mean.

## Why he goes quiet

### He needs time to cool down

Some people cannot talk while they are still angry.

### He hopes it will blow over

Talking about it again feels to him like another argument.

## What you can do

### Wait for the evening, then talk

Agree on a time to come back to it, when you are both calm.

## Signs it is time to go

### He punishes you with days of silence

Days without a word until you apologise are a way of controlling you.

## Take care

You deserve to be heard.
"""
# The new article's items, as the admin's pickers name them: "Article › Section › Item".
COOL_DOWN = f"{TITLE} › Why he goes quiet › He needs time to cool down"
BLOW_OVER = f"{TITLE} › Why he goes quiet › He hopes it will blow over"
EVENING = f"{TITLE} › What you can do › Wait for the evening, then talk"
SILENCE = f"{TITLE} › Signs it is time to go › He punishes you with days of silence"

QUIZ_TITLE = "After an argument"
QUIZ_SLUG = "after-an-argument"
FIRST_QUESTION = "After an argument, what does he do?"
SECOND_QUESTION = "Does he come back to talk about it?"
# Each answer and the items it gives points to, picked in admin.
ANSWERS = {
    FIRST_QUESTION: {
        "He goes off on his own for a while": [(COOL_DOWN, 2)],
        "He stops speaking to me for days": [(SILENCE, 2)],
    },
    SECOND_QUESTION: {
        "Yes, once he has calmed down": [(EVENING, 2)],
        "No, it is never mentioned again": [(BLOW_OVER, 2)],
    },
}


@pytest.fixture
def editor(page, site):
    """The editor's tab, signed in to admin on the list of articles."""
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.goto(site + "/admin/login/?next=/admin/advice/article/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="New article from text")).to_be_visible()
    return page


@pytest.fixture
def new_reader(browser, site):
    """Opens a reader's own browser (no one else's cookies): a tab that notes what goes
    wrong in `problems`, as the `page` fixture does."""
    contexts = []

    def open_tab():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        tab = context.new_page()
        tab.problems = []
        tab.on("pageerror", lambda error: tab.problems.append(f"script error: {error}"))
        tab.on(
            "response",
            lambda response: (
                response.status >= 400 and tab.problems.append(f"{response.status}: {response.url}")
            ),
        )
        tab.on(
            "request",
            lambda request: (
                not request.url.startswith((site, "data:"))
                and tab.problems.append(f"outside request: {request.url}")
            ),
        )
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def what_the_result_says(page) -> list[str]:
    """Her result as she reads it: the verdict, then each item's title."""
    return [
        page.get_by_role("heading", level=1).inner_text(),
        *page.locator(".result-item h3").all_inner_texts(),
    ]


class Checked:
    """The new pages a reader meets, each run through axe-core's WCAG A and AA rules as she
    sees it, and its HTML kept for the Nu HTML Checker (run once, at the end: it is slow
    to start)."""

    def __init__(self):
        self.axe: list[str] = []
        self.html: dict[str, str] = {}

    def page(self, tab, name: str) -> None:
        tab.wait_for_load_state("load")  # with its stylesheet, for the contrast rules
        self.axe += [f"{name}: {line}" for line in axe_violations(tab)]
        source = tab.request.get(tab.url)
        assert source.ok, (name, source.status)
        self.html[name] = source.text()

    def nu_errors(self, folder) -> list[str]:
        names = {}
        for number, (name, html) in enumerate(self.html.items(), start=1):
            path = folder / f"page-{number}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        # A page with a known fault: the checker must find it, or it checked nothing.
        (folder / "control.html").write_text(CONTROL, encoding="utf-8")
        errors = nu_html_checker_errors(sorted(folder.glob("*.html")))
        assert any(error["url"].endswith("/control.html") for error in errors), errors
        return [
            f"{names[error['url'].rpartition('/')[2]]}: {error['message']}"
            for error in errors
            if not error["url"].endswith("/control.html")
        ]


# -- The editor ---------------------------------------------------------------------------


def paste_the_article(page):
    page.get_by_role("link", name="New article from text").click()
    page.get_by_label("The article’s text").fill(TEXT)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text(f"“{TITLE}”: 5 sections, 4 items.")).to_be_visible()
    expect(page.get_by_label("Kind of “Why he goes quiet”")).to_have_value("reasons")
    expect(page.get_by_label("Kind of “What you can do”")).to_have_value("ways")
    expect(page.get_by_label("Kind of “Signs it is time to go”")).to_have_value("signs")
    page.get_by_role("button", name="Save as a draft article").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Saved “{TITLE}” as a draft")
    # Ready for readers once published: ticked here, seen by nobody until then.
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def add_the_questionnaire(page, site):
    page.goto(site + "/admin/")
    page.get_by_role("row", name="Questionnaires").get_by_role("link", name="Add").click()
    # The questionnaire's own fields come first, before its inlines' (which have a title too).
    own = page.locator("fieldset").first
    own.get_by_label("Title:").press_sequentially(QUIZ_TITLE)  # typed: the slug follows
    expect(own.get_by_label("Slug:")).to_have_value(QUIZ_SLUG)
    own.get_by_label("Article:").select_option(label=TITLE)
    own.get_by_label("Published").check()
    page.get_by_label("What it is:").fill("Two questions about the quiet after a fight.")
    page.get_by_label("What it cannot know:").fill("Only what you tell it.")
    page.get_by_label("Safety notice:").fill("If you are afraid of him, talk to someone.")
    questions = page.locator("#questions-group")
    for number, text in enumerate([FIRST_QUESTION, SECOND_QUESTION]):
        questions.get_by_role("button", name="Add another Question").click()
        page.locator(f"[name='questions-{number}-position']").fill(str(10 * (number + 1)))
        page.locator(f"[name='questions-{number}-text']").fill(text)
    # When he needs to cool down, waiting for the evening fits.
    page.get_by_role("button", name="Add another Reason rule").click()
    page.locator("[name='reason_rules-0-reason']").select_option(label=COOL_DOWN)
    page.locator("[name='reason_rules-0-way']").select_option(label=EVENING)
    page.get_by_role("button", name="Add another Verdict").click()
    page.locator("[name='verdicts-0-min_level']").fill("0")
    page.locator("[name='verdicts-0-title']").fill("Talk when you are both calm")
    page.locator("[name='verdicts-0-body']").fill("The quiet is his way to calm down.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text(QUIZ_TITLE)
    return page.url


def give_the_question_its_answers(page, questionnaire_url, question, answers, shown_when=None):
    """On the question's own page: its answers, and when it is asked ("Q1 › …")."""
    page.goto(questionnaire_url)
    page.locator("#questions-group tr", has_text=question).get_by_role(
        "link", name="Change"
    ).click()
    if shown_when:
        page.get_by_label("Show only when this answer was given:").select_option(label=shown_when)
    for number, text in enumerate(answers):
        page.get_by_role("button", name="Add another Choice").click()
        page.locator(f"[name='choices-{number}-position']").fill(str(number + 1))
        page.locator(f"[name='choices-{number}-text']").fill(text)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    question_url = page.url
    for text, rules in answers.items():
        page.goto(question_url)
        page.locator("#choices-group tr", has_text=text).get_by_role("link", name="Change").click()
        for number, (item, points) in enumerate(rules):
            if number:
                page.get_by_role("button", name="Add another Choice rule").click()
            page.locator(f"[name='rules-{number}-item']").select_option(label=item)
            page.locator(f"[name='rules-{number}-weight']").fill(str(points))
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist .success")).to_be_visible()


def approved_by_a_second_editor(browser, site, reviewer):
    """Its verdicts are safety-critical: a reviewer approves them before they can be
    published (issue 13)."""
    reviewing = signed_in(browser, site, reviewer)
    reviewing.goto(site + "/admin/advice/release/review/")
    expect(reviewing.locator("#critical-changes")).to_contain_text("verdicts")
    reviewing.get_by_label("Comment").fill("Read through: the verdicts are kind and right.")
    reviewing.get_by_role("button", name="Approve these changes").click()
    expect(reviewing.locator("#review-state")).to_contain_text("Approved by reviewer")
    reviewing.context.close()


def publish_changes(page, site):
    page.goto(site + "/admin/")
    page.get_by_role("link", name="Published versions").click()
    page.get_by_role("link", name="Publish changes").click()
    changes = page.locator("h2:has-text('What readers would see change') + ul")
    expect(changes).to_contain_text(f"New article: “{TITLE}”")
    expect(changes).to_contain_text(f"New questionnaire: “{QUIZ_TITLE}”")
    page.get_by_label("What changed").fill("A second article, with its questionnaire")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Published: readers now see")


# -- The journey ----------------------------------------------------------------------------


def test_an_editor_publishes_a_second_article_with_its_questionnaire_and_readers_find_it(
    editor, new_reader, browser, reviewer, site, tmp_path
):
    # Before anything changes, a reader takes the first questionnaire and keeps her link.
    earlier = new_reader()
    old_result = take_to_the_result(earlier, site, TOGETHER_AND_STRESSED)
    expect(earlier.get_by_role("heading", level=1)).to_have_text("Give him space, and keep talking")
    old_result_says = earlier.locator(".result").inner_text()

    paste_the_article(editor)
    questionnaire_url = add_the_questionnaire(editor, site)
    give_the_question_its_answers(
        editor, questionnaire_url, FIRST_QUESTION, ANSWERS[FIRST_QUESTION]
    )
    give_the_question_its_answers(
        editor,
        questionnaire_url,
        SECOND_QUESTION,
        ANSWERS[SECOND_QUESTION],
        shown_when="Q1 › He goes off on his own for a while",
    )
    assert Question.objects.get(text=SECOND_QUESTION).show_if_choice.text == (
        "He goes off on his own for a while"
    )
    # Saved, not yet published: readers are shown nothing of it.
    assert earlier.request.get(f"{site}/read/{SLUG}/").status == 404
    assert earlier.request.get(f"{site}/questionnaire/{QUIZ_SLUG}/").status == 404
    approved_by_a_second_editor(browser, site, reviewer)
    publish_changes(editor, site)
    assert editor.problems == []

    reader = new_reader()
    checked = Checked()
    reader.goto(site + "/")
    reader.get_by_role("navigation", name="Site").get_by_role("link", name="Articles").click()
    expect(reader.get_by_role("heading", name="Articles", exact=True)).to_be_visible()
    reader.get_by_role("link", name=TITLE).click()
    expect(reader).to_have_url(f"{site}/read/{SLUG}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    checked.page(reader, "the new article")

    reader.goto(site + "/")
    reader.get_by_label("Search the articles").fill("quiet")
    reader.get_by_role("button", name="Search", exact=True).click()
    checked.page(reader, "search results")
    # Only the new article has the word: it, and parts of it.
    expect(reader.locator(".search-result").first).to_be_visible()
    for hit in reader.locator(".search-result").all():
        if hit.get_by_role("heading").inner_text() != TITLE:
            expect(hit.locator(".search-result__article")).to_have_text(f"In “{TITLE}”")
    reader.locator(".search-results").get_by_role("link", name=TITLE, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)

    reader.get_by_role("link", name="Take the questionnaire").click()
    expect(reader).to_have_url(f"{site}/questionnaire/{QUIZ_SLUG}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    checked.page(reader, "its questionnaire's start page")
    reader.get_by_role("button", name="Start the questionnaire").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(FIRST_QUESTION)
    answer_by_mouse(reader, ["He goes off on his own for a while"])
    # Asked because of her first answer.
    expect(reader.get_by_text("Question 2 of 2")).to_be_visible()
    expect(reader.get_by_role("heading", level=1)).to_have_text(SECOND_QUESTION)
    checked.page(reader, "its second question")
    answer_by_mouse(reader, ["Yes, once he has calmed down"])
    reader.get_by_role("button", name="See my results").click()
    expect(reader).to_have_url(re.compile(r"/results/[A-Za-z0-9_-]{43}/$"))
    checked.page(reader, "her result")
    says = what_the_result_says(reader)
    assert says == [
        "Talk when you are both calm",
        "1) He needs time to cool down",
        "1) Wait for the evening, then talk",
    ]
    page_text = reader.locator("main").inner_text()
    seed_titles = Item.objects.filter(section__article__is_home=True).values_list(
        "title", flat=True
    )
    assert [title for title in seed_titles if title in page_text] == []
    links = reader.locator(".result-item__link a")
    expect(links).to_have_count(2)
    for link in links.all():
        assert link.get_attribute("href").startswith(f"/read/{SLUG}/#")
    # The reason rule picked in admin passed the likely reason's points on to the way.
    expect(reader.locator(".result-item--ways .result-item__why")).to_have_text(
        "Because “He needs time to cool down” seems likely and you answered “Yes, once he "
        "has calmed down”."
    )

    # The first article's questionnaire and her old link are as they were.
    reader.goto(site + START)
    expect(reader.get_by_role("heading", level=1)).to_have_text(seed_questionnaire_title())
    reader.get_by_role("button", name="Start the questionnaire").click()
    expect(reader.get_by_text("Question 1 of 12")).to_be_visible()
    earlier.goto(old_result)
    assert earlier.locator(".result").inner_text() == old_result_says
    assert reader.problems == [] and earlier.problems == []
    assert checked.axe == [], "axe-core found WCAG A/AA violations:\n" + "\n".join(checked.axe)
    nu_errors = checked.nu_errors(tmp_path)
    assert nu_errors == [], "The Nu HTML Checker found errors:\n" + "\n".join(nu_errors)


def seed_questionnaire_title() -> str:
    return Article.objects.get(is_home=True).questionnaires.get().title
