"""Every change to the article is recorded (who, when, what) and can be reverted in admin."""

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from advice.models import Item

from .editing import publish_in_admin
from .html import soup, text_of
from .test_advice_admin import item_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_history(seeded):
    """The seed as `make run` loads it: each row's first version recorded."""
    call_command("populate_history", "--auto", verbosity=0)
    return seeded


def edit_title(editor_client, item, title):
    response = editor_client.post(
        f"/admin/advice/item/{item.pk}/change/", item_form_data(item, title=title)
    )
    assert response.status_code == 302


def test_an_edit_is_recorded_with_its_editor_and_a_readable_change(
    editor_client, with_history, editor
):
    item = Item.objects.get(slug="reason-stressed")
    edit_title(editor_client, item, "Work is swallowing him whole")
    latest = item.history.latest()
    assert latest.history_user == editor
    assert latest.history_type == "~"
    page = soup(editor_client.get(f"/admin/advice/item/{item.pk}/history/"))
    history = text_of(page.select_one("#change-history"))
    assert "Work is swallowing him whole" in history
    assert "He’s stressed and none of this is about you" in history  # the old value
    assert "editor" in history


def test_an_editor_reverts_a_change_and_readers_see_the_old_words(
    editor_client, client, with_history
):
    item = Item.objects.get(slug="reason-stressed")
    original = item.history.earliest()
    edit_title(editor_client, item, "A title to undo")
    publish_in_admin(editor_client)
    assertContains(client.get("/"), "A title to undo")

    form = editor_client.get(f"/admin/advice/item/{item.pk}/history/{original.pk}/")
    assertContains(form, "Revert")
    response = editor_client.post(
        f"/admin/advice/item/{item.pk}/history/{original.pk}/",
        item_form_data(Item.objects.get(pk=item.pk), title=original.title),
    )
    assert response.status_code == 302
    publish_in_admin(editor_client, note="Undo the title")
    page = client.get("/")
    assertContains(page, "He’s stressed and none of this is about you")
    assert "A title to undo" not in page.content.decode()
    assert item.history.count() == 3  # first version, the edit, the revert


def test_make_run_records_the_first_version_of_the_seed(db):
    call_command("load_seed_content", verbosity=0)
    assert Item.history.count() == 27
