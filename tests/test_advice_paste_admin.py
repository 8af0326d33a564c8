"""An editor pastes an article into admin, checks what it makes, names the sections' kinds
and saves it as a draft; a text that cannot be saved is shown again, with what to fix."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import resolve, reverse
from pytest_django.asserts import assertContains, assertRedirects

from advice.admin_paste import MAX_CHARACTERS
from advice.markdown import MAX_CHARACTERS as MAX_BODY
from advice.models import Article, Item, Section
from advice.releases import preview_content

from .html import soup, text_of
from .seed import SEED_PATH

pytestmark = pytest.mark.django_db

PAGE = "/admin/advice/article/from-text/"
MARKDOWN = """# Quiet weeks

When he goes quiet, read this first.

## Why it happens

### He is tired

Work, mostly.

### He is scared

Of what comes next.

## Final thoughts

Look after yourself.
"""


def preview(client, text: str, status: int = 200):
    response = client.post(PAGE, {"text": text, "action": "preview"})
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def form_of(response) -> dict:
    """What the browser would send back from this page: the text, the preview's digest
    and each kind as chosen."""
    page = soup(response)
    # A browser drops the line break that opens a textarea's content; Django writes one.
    form = {"text": page.select_one("textarea[name=text]").get_text().removeprefix("\n")}
    if digest := page.select_one("input[name=previewed]"):
        form["previewed"] = digest["value"]
    for select in page.select("#preview select"):
        chosen = select.select_one("option[selected]")
        form[select["name"]] = chosen["value"] if chosen else ""
    return form


def save(client, response, **changes):
    return client.post(PAGE, {**form_of(response), "action": "save", **changes})


def errors_of(response) -> list[str]:
    return [text_of(error) for error in soup(response).select(".errorlist li")]


def test_the_article_list_links_to_the_page(editor_client):
    page = soup(editor_client.get("/admin/advice/article/"))
    link = page.find("a", string="New article from text")
    assert link["href"] == PAGE
    assert resolve(PAGE).url_name == "advice_article_from_text"
    assert reverse("admin:advice_article_from_text") == PAGE


def test_the_seed_previews_as_five_sections_and_27_items_with_their_kinds_guessed(editor_client):
    response = preview(editor_client, SEED_PATH.read_text(encoding="utf-8"))
    assertContains(response, "“Why is he pushing me away when he loves me?”: 5 sections, 27 items.")
    rows = soup(response).select("#preview tbody tr")
    assert [text_of(row.th) for row in rows] == [
        "No heading",
        "5 reasons he is pushing you away even though he loves you",
        "How to handle your man pulling away",
        "Signs it’s time to walk away from your relationship",
        "Final thoughts",
    ]
    assert [len(row.select("ol li")) for row in rows] == [0, 5, 14, 8, 0]
    assert (
        rows[1]
        .select("ol li")[1]
        .get_text()
        .startswith("He’s stressed and none of this is about you: Continuing with our theme")
    )
    kinds = [value for name, value in form_of(response).items() if name.startswith("kind_")]
    assert kinds == ["introduction", "reasons", "ways", "signs", "closing"]
    assert not Article.objects.exists()


def test_a_pasted_article_is_saved_as_a_draft_with_the_kinds_chosen(editor_client):
    response = preview(editor_client, MARKDOWN)
    assertContains(response, "3 sections, 2 items")
    assert form_of(response)["kind_1"] == "reasons"
    response = save(editor_client, response, kind_1="signs")

    article = Article.objects.get()
    assertRedirects(
        response, f"/admin/advice/article/{article.pk}/change/", fetch_redirect_response=False
    )
    page = editor_client.get(response["Location"])
    assertContains(page, "Saved “Quiet weeks” as a draft: 3 sections, 2 items.")
    assert (article.title, article.slug, article.is_published) == (
        "Quiet weeks",
        "quiet-weeks",
        False,
    )
    assert article.meta_description == "When he goes quiet, read this first."
    sections = list(article.sections.all())
    assert [(s.kind, s.title, s.show_title, s.slug, s.position) for s in sections] == [
        ("introduction", "Introduction", False, "introduction", 10),
        ("signs", "Why it happens", True, "why-it-happens", 20),
        ("closing", "Final thoughts", True, "final-thoughts", 30),
    ]
    assert sections[0].intro == "When he goes quiet, read this first."
    items = list(sections[1].items.all())
    assert [(i.title, i.slug, i.body, i.position) for i in items] == [
        ("He is tired", "he-is-tired", "Work, mostly.", 10),
        ("He is scared", "he-is-scared", "Of what comes next.", 20),
    ]
    # Ready to go with the article, which readers cannot see until an editor publishes it.
    assert all(row.is_published for row in [*sections, *items])
    assert preview_content().article(slug="quiet-weeks") is None
    assert editor_client.get("/read/quiet-weeks/").status_code == 404


def test_slugs_stay_unique_when_the_same_text_is_saved_twice(editor_client, seeded):
    text = SEED_PATH.read_text(encoding="utf-8")
    for _ in range(2):
        assert save(editor_client, preview(editor_client, text)).status_code == 302
    first, second = Article.objects.exclude(pk=seeded.pk).order_by("pk")
    assert (first.slug, second.slug) == (
        "why-is-he-pushing-me-away-when-he-loves-me",
        "why-is-he-pushing-me-away-when-he-loves-me-2",
    )
    slugs = list(Item.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 3 * 27
    assert Item.objects.filter(section__article=second, slug="hes-falling-for-you-2").exists()
    assert seeded.sections.count() == 5 and seeded.is_published


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Paste the article’s text: the box is empty."),
        ("   \n\n  ", "Paste the article’s text: the box is empty."),
        ("A title\nJust a paragraph.\nAnd another one.", "No headings found"),
        ("1) An item first\nIts text.", "No title found"),
        ("x" * (MAX_CHARACTERS + 1), f"The text is {MAX_CHARACTERS + 1:,} characters long"),
        ("T\n" + "".join(f"## S{n}\n\nText.\n\n" for n in range(6)), "The text has 6 sections"),
    ],
)
def test_a_text_that_makes_no_article_is_refused_and_shown_again(editor_client, text, error):
    response = preview(editor_client, text, status=400)
    assert any(message.startswith(error) for message in errors_of(response)), errors_of(response)
    if text.strip():
        assert form_of(response)["text"].strip() == text.strip()
    assert not soup(response).select("#preview")


def test_two_sections_of_one_kind_are_refused_and_nothing_is_lost(editor_client):
    response = save(editor_client, preview(editor_client, MARKDOWN), kind_2="reasons")
    assert response.status_code == 400
    assert errors_of(response) == [
        "“Why it happens” and “Final thoughts” are both “Reasons”: an article has one "
        "section of each kind. Choose another kind for one of them."
    ]
    form = form_of(response)
    assert form["text"] == MARKDOWN
    assert (form["kind_1"], form["kind_2"]) == ("reasons", "reasons")
    assert not Article.objects.exists()


def test_markdown_limits_refuse_the_draft_naming_the_item(editor_client):
    text = MARKDOWN.replace("Work, mostly.", "w" * (MAX_BODY + 1))
    response = save(editor_client, preview(editor_client, text))
    assert response.status_code == 400
    assert errors_of(response) == [
        "Item “He is tired” in Section “Why it happens”, body: This text is 20,001 characters "
        "long; keep it under 20,000."
    ]
    assert form_of(response)["text"] == text
    assert not Article.objects.exists() and not Section.objects.exists()


def test_a_text_changed_after_its_preview_is_previewed_again_not_saved(editor_client):
    response = preview(editor_client, MARKDOWN)
    changed = MARKDOWN.replace("## Final thoughts", "## Last words")
    response = save(editor_client, response, text=changed)
    assert response.status_code == 200
    assertContains(response, "The text changed after its preview")
    assert "Last words" in [text_of(row.th) for row in soup(response).select("#preview tbody tr")]
    assert not Article.objects.exists()


def test_only_staff_who_may_add_articles_sections_and_items_get_the_page(client, django_user_model):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("reader", password="a long one"))
    assert client.post(PAGE, {"text": MARKDOWN}).status_code == 302
    staff = django_user_model.objects.create_user("intern", password="a long one", is_staff=True)
    client.force_login(staff)
    assert client.get(PAGE).status_code == 403
    for codename in ["add_article", "add_section", "view_article"]:
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    staff = django_user_model.objects.get(pk=staff.pk)  # permissions are cached per object
    client.force_login(staff)
    assert client.post(PAGE, {"text": MARKDOWN, "action": "preview"}).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_item"))
    client.force_login(django_user_model.objects.get(pk=staff.pk))
    assert client.post(PAGE, {"text": MARKDOWN, "action": "preview"}).status_code == 200
    assert not Article.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(PAGE, {"text": MARKDOWN, "action": "preview"})
    assert response.status_code == 403


def test_an_item_without_text_is_refused_naming_it(editor_client):
    text = MARKDOWN.replace("Of what comes next.", "")
    response = preview(editor_client, text)
    assert "He is scared: no text" in " ".join(
        soup(response).select_one("#preview").get_text().split()
    )
    response = save(editor_client, response)
    assert response.status_code == 400
    assert errors_of(response) == [
        "Item “He is scared” in Section “Why it happens”, body: This field cannot be blank."
    ]
    assert not Article.objects.exists()
