"""An article's "first published" is when readers could first see it.

Issue 11, part 4: ticking "published" on a draft and saving shows readers nothing; the
first version holding the article going live does. So admin's "first published" is that
version's moment (empty before), whatever drafts were saved, and a scheduled version
withdrawn before it went live takes its moment back.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from advice.models import Article
from advice.releases import publish

from .editing import publish_in_admin
from .factories import make_item, make_section
from .html import soup, text_of

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("advice.migrations.0008_editing")


def new_article(title="A new article") -> Article:
    """A draft article with one item, ticked published but in no version yet."""
    section = make_section()
    make_item(section=section)
    Article.objects.filter(pk=section.article_id).update(title=title)
    return Article.objects.get(pk=section.article_id)


def first_published(article: Article):
    return Article.objects.get(pk=article.pk).published_at


def test_first_published_is_the_moment_of_the_first_version_holding_it(clock, editor_client):
    article = new_article()
    article.save()  # saving the draft again changes nothing
    assert first_published(article) is None
    release = publish_in_admin(editor_client)
    assert first_published(article) == release.go_live_at
    clock.shift(timedelta(days=3))
    publish_in_admin(editor_client)
    assert first_published(article) == release.go_live_at


def test_admin_shows_first_published_empty_until_a_version_holds_it(clock, editor_client):
    article = new_article()
    url = f"/admin/advice/article/{article.pk}/change/"

    def shown() -> str:
        return text_of(soup(editor_client.get(url)).select_one(".field-published_at .readonly"))

    assert shown() == "-"
    publish_in_admin(editor_client)
    assert shown() != "-"


def test_a_scheduled_version_sets_it_and_withdrawing_the_version_takes_it_back(
    clock, editor_client
):
    article = new_article()
    soon, later = timezone.now() + timedelta(days=1), timezone.now() + timedelta(days=2)
    first = publish(go_live_at=soon)
    second = publish(go_live_at=later)
    assert first_published(article) == soon
    response = editor_client.post(f"/admin/advice/release/{first.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert first_published(article) == later
    editor_client.post(f"/admin/advice/release/{second.pk}/delete/", {"post": "yes"})
    assert first_published(article) is None


def test_a_version_published_now_goes_before_one_scheduled_earlier(clock):
    article = new_article()
    scheduled = publish(go_live_at=timezone.now() + timedelta(days=1))
    now = publish()
    assert first_published(article) == now.go_live_at < scheduled.go_live_at


def test_the_migration_dates_articles_by_the_versions_that_held_them(clock):
    shown = new_article()
    release = publish()
    draft = new_article("Only a draft")
    # As the old code left them: stamped when a draft was saved with "published" ticked.
    Article.objects.update(published_at=release.go_live_at - timedelta(days=9))
    MIGRATION.first_published_by_releases(apps, None)
    assert first_published(shown) == release.go_live_at
    assert first_published(draft) is None
