"""Draft, preview, publish: readers see only published versions, editors check first.

Editors save changes to the article and the questionnaire as a draft. Readers keep the
live version until an editor publishes (now, or at a scheduled time); a reader's run is
scored under the version she started with, and her result link keeps showing it.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from advice.models import Article, Item, Release
from advice.releases import publish
from quiz.models import ChoiceRule, Question, QuizSession

from .editing import approve_in_admin, publish_in_admin
from .quiz_helpers import (
    LEFT_WITH_WARNING_SIGNS,
    REVIEW,
    START,
    STRESSED_BUT_TOGETHER,
    answer,
    choice,
    start,
    take,
)
from .quiz_helpers import question as question_named

pytestmark = pytest.mark.django_db

NEW_WORDS = "Words an editor is still working on."


def edit_item(slug="reason-stressed", body=NEW_WORDS) -> Item:
    item = Item.objects.get(slug=slug)
    item.body = body
    item.save()
    return item


def old_flame_rule() -> ChoiceRule:
    return ChoiceRule.objects.get(choice__text__startswith="An ex has come back")


# -- Draft and publish --------------------------------------------------------------------


def test_readers_see_the_live_version_until_an_editor_publishes(editor_client, client, seeded):
    edit_item()
    assertNotContains(client.get("/"), NEW_WORDS)
    release = publish_in_admin(editor_client, note="New words for reason 2")
    assertContains(client.get("/"), NEW_WORDS)
    assert release.note == "New words for reason 2"
    assert release.published_by.username == "editor"


def test_the_publish_page_lists_what_readers_would_see_change(editor_client, questionnaire):
    edit_item()
    Item.objects.filter(slug="sign-old-flame").update(is_published=False)
    rule = old_flame_rule()
    rule.weight = -1
    rule.save()
    page = editor_client.get("/admin/advice/release/add/")
    assertContains(page, "Changed: “He’s stressed and none of this is about you”")
    assertContains(page, "No longer shown: “Something suddenly comes up about an old flame”")
    assertContains(page, "scoring rules changed")
    assertContains(page, "Preview “Why is he pushing me away when he loves me?”")
    assertContains(page, f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/")


def test_the_versions_list_says_what_is_unpublished_and_what_is_live(editor_client, seeded):
    page = editor_client.get("/admin/advice/release/")
    assertContains(page, "None: readers see everything marked published.")
    assertContains(page, "Live: readers see this version")
    edit_item()
    assertContains(
        editor_client.get("/admin/advice/release/"),
        "Changed: “He’s stressed and none of this is about you”",
    )


def test_publishing_nothing_new_keeps_the_last_updated_date(editor_client, client, seeded):
    first = client.get("/")["Last-Modified"]
    publish_in_admin(editor_client, note="Nothing changed")
    assert client.get("/")["Last-Modified"] == first
    edit_item()
    later = timezone.now() + timedelta(seconds=2)
    publish(go_live_at=later)
    Release.objects.filter(go_live_at=later).update(go_live_at=timezone.now())
    assert client.get("/")["Last-Modified"] != first


def test_the_preview_shows_the_draft_exactly_as_readers_would_see_it(editor_client, seeded):
    edit_item(body="A **draft** sentence.")
    preview = editor_client.get("/admin/advice/release/preview/")
    assert preview.status_code == 200
    assertContains(preview, "Preview of unpublished changes.")
    assertContains(preview, "A <strong>draft</strong> sentence.")
    assert "no-store" in preview["Cache-Control"]
    assert preview["X-Robots-Tag"] == "noindex, nofollow"


def test_readers_cannot_open_the_preview_or_publish(client, seeded):
    edit_item()
    response = client.get("/admin/advice/release/preview/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post("/admin/advice/release/add/", {"note": "sneaky"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Release.objects.count() == 1
    assertNotContains(client.get("/"), NEW_WORDS)


def test_unsafe_markdown_in_the_draft_is_sanitised_in_preview_and_once_live(
    editor_client, client, seeded
):
    edit_item(body="Hello <script>alert(1)</script> [x](javascript:alert(2))")
    preview = editor_client.get("/admin/advice/release/preview/")
    publish_in_admin(editor_client)
    for page in (preview, client.get("/")):
        body = page.content.decode()
        assert "Hello" in body
        assert "<script>alert" not in body and "javascript:" not in body


# -- Scheduled go-live --------------------------------------------------------------------


def test_a_scheduled_version_goes_live_at_its_time(clock, editor_client, client, seeded):
    edit_item()
    when = timezone.localtime() + timedelta(days=1)
    release = publish_in_admin(editor_client, go_live_at=when.strftime("%Y-%m-%dT%H:%M"))
    assert release.go_live_at > timezone.now()
    assertNotContains(client.get("/"), NEW_WORDS)
    assertContains(editor_client.get("/admin/advice/release/"), "Scheduled for")

    clock.shift(timedelta(days=1))  # the go-live time comes: no one has to do anything
    assertContains(client.get("/"), NEW_WORDS)


def test_a_go_live_time_in_the_past_is_refused(editor_client, seeded):
    edit_item()
    response = editor_client.post(
        "/admin/advice/release/add/",
        {"go_live_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
    )
    assertContains(response, "Pick a time in the future", status_code=400)
    assert Release.objects.count() == 1


def test_only_a_scheduled_version_can_be_withdrawn(editor_client, seeded):
    live = Release.objects.get()
    assert editor_client.post(f"/admin/advice/release/{live.pk}/delete/").status_code == 403
    scheduled = publish(go_live_at=timezone.now() + timedelta(days=1))
    response = editor_client.post(f"/admin/advice/release/{scheduled.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(Release.objects.all()) == [live]


def test_versions_cannot_be_edited_after_publishing(editor_client, seeded):
    live = Release.objects.get()
    response = editor_client.post(
        f"/admin/advice/release/{live.pk}/change/", {"note": "rewritten history"}
    )
    assert response.status_code == 403
    assert Release.objects.get().note == live.note


# -- A reader's version -------------------------------------------------------------------


def test_a_run_is_scored_under_the_version_it_started_with(
    editor_client, second_editor, client, questionnaire
):
    first_path = LEFT_WITH_WARNING_SIGNS
    start(client)
    for question_start, choice_start in first_path[:3]:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)

    # Meanwhile an editor removes the old-flame rule and publishes.
    old_flame_rule().delete()
    approve_in_admin(second_editor)  # a walk-away sign's rule: safety-critical
    publish_in_admin(editor_client, note="No more old flame")

    for question_start, choice_start in first_path[3:]:
        picked = choice(question_start, choice_start)
        answer(client, picked.question, picked)
    result_url = client.post(REVIEW)["Location"]
    assertContains(client.get(result_url), "old flame")  # scored as she started

    newcomer = Client()
    assertNotContains(newcomer.get(take(newcomer, first_path)), "old flame")


def test_an_old_result_link_keeps_showing_what_it_showed(editor_client, questionnaire):
    reader = Client()
    result_url = take(reader, STRESSED_BUT_TOGETHER)
    before = reader.get(result_url).content
    Item.objects.filter(slug="reason-stressed").update(title="Renamed in a later version")
    Item.objects.get(slug="reason-stressed").save()
    question_named("What has changed").choices.get(text__startswith="He’s working").delete()
    publish_in_admin(editor_client, note="Renamed, and an answer removed")

    from django.core.cache import cache

    cache.clear()
    assert reader.get(result_url).content == before
    assertContains(Client().get(result_url), "He’s stressed and none of this is about you")


def test_a_question_deleted_from_the_draft_can_still_be_answered_until_publishing(
    editor_client, client, questionnaire
):
    start(client)
    where = question_named("Where do things stand")
    picked = where.choices.get(text__startswith="We’re together")
    Question.objects.filter(pk=where.pk).delete()  # in the draft only, for now
    response = answer(client, where, picked)
    assert response.status_code == 302
    session = QuizSession.objects.get()
    assert session.answer_map() == {where.pk: frozenset({picked.pk})}


def test_a_new_site_publishes_its_seed_content_as_the_first_version(db, client):
    from django.core.management import call_command

    call_command("load_seed_content", verbosity=0)
    assert Release.objects.count() == 1
    assert client.get("/").status_code == 200
    assert client.get(START).status_code == 200
    call_command("load_seed_content", verbosity=0)
    assert Release.objects.count() == 1


def test_with_nothing_published_readers_get_not_found(db, client):
    Article.objects.create(title="Draft only", slug="draft", is_published=True, is_home=True)
    assert client.get("/").status_code == 404


# -- The result simulator -----------------------------------------------------------------


def simulator_query(path) -> dict:
    query = {}
    for question_start, choice_start in path:
        picked = choice(question_start, choice_start)
        query.setdefault(f"q{picked.question_id}", []).append(str(picked.pk))
    return query


def test_the_simulator_shows_draft_and_published_results_side_by_side(editor_client, questionnaire):
    rule = old_flame_rule()
    rule.weight = -2
    rule.save()  # a draft change: no more old flame for this reader
    base = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/"
    query = simulator_query(LEFT_WITH_WARNING_SIGNS)

    page = editor_client.get(base, query)
    assert page.status_code == 200
    assertContains(page, 'title="Result under the draft"')
    assertContains(page, 'title="Result under the published version"')
    assert "frame-src 'self'" in page["Content-Security-Policy"]

    draft = editor_client.get(base + "draft/", query)
    published = editor_client.get(base + "published/", query)
    assertContains(draft, "Preview: the draft, not yet published.")
    assertNotContains(draft, "old flame")
    assertContains(published, "old flame")
    for framed in (draft, published):
        assert framed["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
        assertContains(framed, "Warning signs")


def test_the_simulator_replays_a_readers_answers_from_her_token(
    editor_client, client, questionnaire
):
    token = take(client, LEFT_WITH_WARNING_SIGNS).rstrip("/").rpartition("/")[2]
    rule = old_flame_rule()
    rule.weight = -2
    rule.save()
    base = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/"
    assert editor_client.get(base, {"token": token}).status_code == 200
    assertContains(editor_client.get(base + "published/", {"token": token}), "old flame")
    assertNotContains(editor_client.get(base + "draft/", {"token": token}), "old flame")


def test_the_simulator_explains_bad_input(editor_client, questionnaire):
    base = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/"
    assertContains(
        editor_client.get(base, {"token": "no-such-token"}),
        "No reader’s answers have this token.",
        status_code=400,
    )
    where = question_named("Where do things stand")
    assertContains(
        editor_client.get(base, {f"q{where.pk}": "999999"}),
        "Select a valid choice",
        status_code=400,
    )
    assert editor_client.get(base + "draft/", {"q1": "nope"}).status_code == 400
    assert editor_client.get(base + "draft/", {"token": "nope"}).status_code == 400
    assert editor_client.get(base + "other/").status_code == 404


def test_readers_cannot_use_the_simulator(client, questionnaire):
    base = f"/admin/quiz/questionnaire/{questionnaire.pk}/simulator/"
    for url in (base, base + "draft/", base + "published/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_versions_list_does_not_query_per_version(editor_client, questionnaire):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get("/admin/advice/release/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        publish(note=f"Version {n}")
    assert queries() == few


def test_a_run_from_before_versions_whose_questionnaire_was_taken_down_is_told_so(
    editor_client, second_editor, client, questionnaire
):
    start(client)
    where = question_named("Where do things stand")
    answer(client, where, where.choices.first())
    session = QuizSession.objects.get()
    QuizSession.objects.filter(pk=session.pk).update(release=None)  # as before versions
    questionnaire.is_published = False
    questionnaire.save()
    approve_in_admin(second_editor)  # its safety text and resources go with it
    publish_in_admin(editor_client, note="Questionnaire taken down")

    response = client.get(f"{START}question/{where.pk}/")
    assertContains(response, "This questionnaire is no longer available", status_code=410)
    assert client.get("/questionnaire/").status_code == 200  # “coming soon”, not an error
    assert session.answer_map() == {where.pk: frozenset({where.choices.first().pk})}


def test_go_live_at_names_the_time_zone_it_is_read_in(editor_client, seeded, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    page = editor_client.get("/admin/advice/release/add/")
    assertContains(page, "Time zone: Europe/Berlin.")
