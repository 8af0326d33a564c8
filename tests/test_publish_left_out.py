"""Before publishing, the editor sees what the new version will leave out.

Issue 11, part 4: unpublished rows in the draft, empty sections, an article with no items
and a questionnaire whose article is not published are listed on the publish page, each
named and linked to its admin page (advice/omissions.py, quiz/omissions.py).
"""

import pytest

from advice.kinds import ItemKind
from advice.models import Article, Item, Section
from advice.releases import omissions
from quiz.models import ChoiceRule, Questionnaire, SupportResource

from .factories import make_article, make_item, make_section
from .html import soup, text_of

pytestmark = pytest.mark.django_db


def texts() -> list[str]:
    return [omission.text for omission in omissions()]


def test_a_fully_published_draft_leaves_nothing_out(questionnaire):
    assert omissions() == []


def test_an_unpublished_item_is_named_with_its_article_and_section(seeded):
    item = Item.objects.get(slug="reason-stressed")
    Item.objects.filter(pk=item.pk).update(is_published=False)
    (found,) = omissions()
    assert found.text == (
        f"Item “{item.title}” in “{seeded.title} › {item.section.title}” is not published: "
        "left out."
    )
    assert found.url == f"/admin/advice/item/{item.pk}/change/"


def test_an_unpublished_section_is_listed_once_for_it_and_its_items(seeded):
    section = Section.objects.filter(kind=ItemKind.SIGNS).get()
    Section.objects.filter(pk=section.pk).update(is_published=False)
    Item.objects.filter(section=section).update(is_published=False)
    assert texts() == [
        f"Section “{section.title}” in “{seeded.title}” is not published: left out, with its "
        f"{section.items.count()} items."
    ]


def test_an_empty_section_and_an_article_with_no_items_are_named():
    article = make_article(title="Work in progress")
    make_section(article=article, kind=ItemKind.REASONS, title="Reasons to come")
    make_section(article=article, kind="closing", title="The end", intro="", outro="")
    assert texts() == [
        "Section “Reasons to come” in “Work in progress” has no published items: readers "
        "see its heading alone.",
        "Section “The end” in “Work in progress” is empty: it has no text.",
        "Article “Work in progress” has no published items: readers get a page of headings.",
    ]


def test_an_unpublished_article_is_listed_without_its_rows():
    article = make_article(title="A draft article", is_published=False)
    make_item(section=make_section(article=article), is_published=False)
    assert texts() == ["Article “A draft article” is not published: left out, with its sections."]


def test_a_questionnaire_whose_article_is_not_published_is_named_with_it(questionnaire):
    Article.objects.filter(pk=questionnaire.article_id).update(is_published=False)
    assert (
        f"Questionnaire “{questionnaire.title}” is left out: its article "
        f"“{questionnaire.article.title}” is not published."
    ) in texts()


def test_an_unpublished_questionnaire_and_resource_are_named(questionnaire):
    resource = SupportResource.objects.first()
    SupportResource.objects.filter(pk=resource.pk).update(is_published=False)
    assert texts() == [f"Support resource “{resource.name}” is not published: left out."]
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_published=False)
    assert texts() == [
        f"Questionnaire “{questionnaire.title}” is not published: left out.",
        f"Support resource “{resource.name}” is not published: left out.",  # site-wide
    ]


def test_a_rule_for_an_item_unpublished_since_is_named(questionnaire):
    rule = ChoiceRule.objects.select_related("choice", "item").first()
    Item.objects.filter(pk=rule.item_id).update(is_published=False)
    assert (
        f"The rule “{rule.choice.text}” → “{rule.item.title}” scores nothing. "
        f"“{rule.item.title}” is not published."
    ) in texts()


def test_the_publish_page_lists_what_is_left_out_before_the_editor_confirms(
    editor_client, questionnaire
):
    item = Item.objects.get(slug="reason-stressed")
    Item.objects.filter(pk=item.pk).update(is_published=False)
    page = soup(editor_client.get("/admin/advice/release/add/"))
    listed = page.select("#left-out li a")[0]
    assert text_of(listed).startswith(f"Item “{item.title}”")
    # Its rules score nothing now: they are listed after it.
    assert "scores nothing" in text_of(page.select_one("#left-out"))
    assert listed["href"] == f"/admin/advice/item/{item.pk}/change/"
    # Listed above the button that publishes.
    assert page.select_one("#left-out").find_next("form", id="publish_form") is not None


def test_the_publish_page_says_when_nothing_is_left_out(editor_client, questionnaire):
    page = soup(editor_client.get("/admin/advice/release/add/"))
    assert page.select("#left-out") == []
    assert "Nothing: everything in the draft is published." in text_of(page)
