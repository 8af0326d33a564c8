"""Public pages are kept whole and served from the cache (config/page_cache.py, issue 15);
a reader's own pages never are.

The suite runs once with each worker's local memory and once with REDIS_URL (`make test`),
so every test here holds for the cache shared by every worker as well.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from advice.models import Article
from advice.releases import publish
from config.page_cache import (
    GENERATION,
    first_generation_file,
    generation_file,
    new_generation_file,
    page_key,
    read_generation_file,
)

from .quiz_helpers import START, STRESSED_BUT_TOGETHER, start, take

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/es/",
    "/es/articles/",
    "/sitemap.xml",
    "/robots.txt",
    START,  # as every newcomer gets it
    f"/es{START}",
]


def is_kept(path: str, language: str = "en", returning: bool = False) -> bool:
    """Whether the cache would answer `path`, asked for by a browser at testserver (one
    with a session cookie when `returning`)."""
    request = RequestFactory().get(path)
    if returning:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "any"
    with translation.override(language):
        key = page_key(request)
    path = generation_file()
    generation = read_generation_file(path) if path else caches["pages"].get(GENERATION)
    entry = caches["pages"].get(key)
    return entry is not None and entry.is_fresh(generation)


def retitle_home(title: str) -> None:
    Article.objects.filter(is_home=True).update(title=title)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_public_page_seen_once_is_served_again_without_a_query_or_a_template(
    questionnaire, client, django_assert_num_queries, path
):
    first = client.get(path)
    assert first.status_code == 200
    assert first.templates  # rendered the first time
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200
    assert again.templates == []
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("path", ["/", "/articles/", "/es/"])
def test_a_browser_that_has_the_page_gets_304_from_the_cache(
    questionnaire, client, django_assert_num_queries, path
):
    etag = client.get(path)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_public_pages_say_how_long_shared_caches_may_keep_them(seeded, client, settings):
    settings.SHARED_CACHE_SECONDS = 7
    assert client.get("/")["Cache-Control"] == "public, max-age=0, s-maxage=7"


def test_a_publish_shows_at_once(seeded, client):
    assertContains(client.get("/"), seeded.title)
    retitle_home("A title published just now")
    publish()
    assertContains(client.get("/"), "A title published just now")
    assertContains(client.get("/articles/"), "A title published just now")


def test_a_publish_that_has_not_committed_yet_is_not_kept_after_it_commits(
    seeded, client, django_capture_on_commit_callbacks
):
    """A worker that renders the old version between the publish and its commit must not
    keep that page: the cache is cleared again once the transaction commits."""
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        retitle_home("Committed later")
        publish()
        client.get("/")  # as another worker would: kept under the publish's generation
    for callback in after_commit:
        callback()
    assert not is_kept("/")


def test_a_scheduled_version_goes_live_at_its_time_with_nobody_publishing(
    seeded, clock, client, settings
):
    settings.PAGE_CACHE_SECONDS = 24 * 60 * 60  # only the schedule can end the entry
    retitle_home("Tomorrow morning's title")
    publish(go_live_at=timezone.now() + timedelta(hours=1))
    assertNotContains(client.get("/"), "Tomorrow morning's title")
    assert is_kept("/")
    clock.shift(timedelta(minutes=59))
    assertNotContains(client.get("/"), "Tomorrow morning's title")
    clock.shift(timedelta(minutes=1, seconds=1))
    assertContains(client.get("/"), "Tomorrow morning's title")


def test_a_publish_in_another_worker_reaches_this_one_at_once(seeded, client, settings):
    """Without Redis each worker keeps its own pages; a publish in another worker (which
    writes a new generation to the file they share) makes this one render the page anew."""
    if settings.PAGE_GENERATION_FILE is None:
        pytest.skip("with Redis, the generation lives in the cache every worker shares")
    client.get("/")
    assert client.get("/").templates == []  # kept
    new_generation_file(generation_file())  # what another worker's publish does
    assert client.get("/").templates  # rendered anew
    assert client.get("/").templates == []  # and kept under the new generation


def test_a_first_generation_keeps_one_already_there_and_a_publish_replaces_it(tmp_path):
    path = tmp_path / "generation"
    first_generation_file(path)
    started = read_generation_file(path)
    first_generation_file(path)  # another worker, a moment later
    assert read_generation_file(path) == started
    new_generation_file(path)
    assert read_generation_file(path) not in (None, started)
    assert [p.name for p in tmp_path.iterdir()] == ["generation"]  # no file left half-way


def test_the_generation_file_is_started_when_missing_and_a_publish_never_fails_for_it(
    seeded, client, settings, tmp_path
):
    if settings.PAGE_GENERATION_FILE is None:
        pytest.skip("with Redis, the generation lives in the cache every worker shares")
    settings.PAGE_GENERATION_FILE = str(tmp_path / "generation")
    client.get("/")
    assert read_generation_file(tmp_path / "generation")
    assert client.get("/").templates == []
    settings.PAGE_GENERATION_FILE = str(tmp_path / "no such folder" / "generation")
    retitle_home("Published with nowhere to write the generation")
    publish()
    assertContains(client.get("/"), "Published with nowhere to write the generation")


def test_a_kept_page_lives_at_most_page_cache_seconds(seeded, clock, client, settings):
    """What a worker on another machine holds after a publish there (no Redis)."""
    settings.PAGE_CACHE_SECONDS = 10
    client.get("/")
    clock.shift(timedelta(seconds=9))
    assert client.get("/").templates == []  # still kept
    clock.shift(timedelta(seconds=2))
    assert client.get("/").templates  # rendered anew


def test_english_and_spanish_never_share_an_entry(seeded, client, django_assert_num_queries):
    """The address names the language (/es/), and the key holds both."""
    english, spanish = client.get("/"), client.get("/es/")
    assert english["Content-Language"] == "en" and spanish["Content-Language"] == "es"
    with django_assert_num_queries(0):
        assert client.get("/").content == english.content
        assert client.get("/es/").content == spanish.content
    assert english.content != spanish.content
    assertContains(client.get("/es/"), '<html lang="es"')


def test_a_deploy_that_changes_the_templates_misses(seeded, client, monkeypatch):
    client.get("/")
    assert is_kept("/")
    monkeypatch.setattr("advice.views.deploy_fingerprint", lambda: "another deploy")
    assert not is_kept("/")
    assert client.get("/").templates  # rendered anew


def test_a_deploy_that_changes_templates_static_files_or_translations_changes_the_fingerprint(
    settings, tmp_path
):
    from advice.views import deploy_fingerprint

    fingerprint = deploy_fingerprint.__wrapped__  # uncached: as a newly started worker
    catalog = tmp_path / "es" / "LC_MESSAGES" / "django.mo"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes(b"one translation")
    (tmp_path / "static").mkdir()
    settings.LOCALE_PATHS, settings.STATIC_ROOT = [tmp_path], tmp_path / "static"
    seen = {fingerprint()}
    catalog.write_bytes(b"the translation corrected")
    seen.add(fingerprint())
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}}')
    seen.add(fingerprint())
    assert len(seen) == 3
    assert fingerprint() in seen  # the same deploy, the same fingerprint


def test_a_page_asked_for_with_a_query_is_not_kept(seeded, client):
    client.get("/articles/?page=2")
    assert not is_kept("/articles/?page=2")
    assert client.get("/articles/?page=2").templates


# -- One reader's pages ------------------------------------------------------------------


def test_two_browsers_never_see_each_others_questionnaire_pages(questionnaire):
    her, other = Client(), Client()
    assertContains(her.get(START), "Start the questionnaire")
    first_step = start(her)["Location"]
    assert her.get(first_step).status_code == 200
    assertContains(her.get(START), "Continue where you left off")

    # The other browser, at the same addresses, gets its own pages.
    assert other.get(first_step).status_code == 302  # no run here: to the start
    start_page = other.get(START)
    assertNotContains(start_page, "Continue where you left off")
    assertContains(start_page, "Start the questionnaire")
    for path in (first_step, f"{START}review/"):
        assert not is_kept(path)


def test_newcomers_share_one_start_page_without_a_form_token(questionnaire):
    """Starting needs no token from a browser without a session (quiz/views.py `start`),
    so the start page can be one page for every newcomer."""
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first = one.get(START)
    assert is_kept(START)
    second = two.get(START)
    assert second.templates == [] and second.content == first.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies and not second.cookies
    assert two.post(START).status_code == 302  # starting works from the kept page


def test_a_reader_with_a_run_never_gets_the_newcomers_start_page(questionnaire):
    newcomer, her = Client(), Client()
    newcomer.get(START)
    assert is_kept(START)
    start(her)
    page = her.get(START)
    assert page.templates  # rendered for her, from her session
    assertContains(page, "Continue where you left off")
    assertContains(page, "csrfmiddlewaretoken")
    assert "private" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    assertNotContains(newcomer.get(START), "Continue where you left off")


def test_a_result_page_and_its_feedback_are_never_kept(questionnaire, client):
    result = take(client, STRESSED_BUT_TOGETHER)
    assert client.get(result).status_code == 200
    assert not is_kept(result)
    assert not is_kept(f"{result}feedback/")


def test_readers_with_a_session_share_public_pages_but_never_with_newcomers(questionnaire):
    """Public pages show nothing of her session, so her visit may be kept for the next
    reader with a session, but never carries her cookies or a form token. Browsers with and
    without a session are kept apart: a start page differs between them."""
    her, other, newcomer = Client(), Client(), Client()
    start(her)
    start(other)
    page = her.get("/")
    assert is_kept("/", returning=True) and not is_kept("/")
    served = other.get("/")
    assert served.templates == []
    assert served.content == page.content
    assert not served.cookies
    assert b"csrfmiddlewaretoken" not in served.content
    assert newcomer.get("/").templates  # her own entry, not the one with a session


def test_the_admin_is_never_kept(editor_client):
    assert editor_client.get("/admin/").status_code == 200
    assert not is_kept("/admin/")
    assert Client().get("/admin/").status_code == 302  # to the login, not her admin


def test_with_page_cache_seconds_0_every_page_is_rendered(seeded, client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert client.get("/").templates


def test_pages_are_served_and_versions_published_when_the_cache_is_down(
    seeded, client, monkeypatch
):
    """Redis down: readers get the page as if it had never been kept, editors publish."""

    class Unreachable:
        def __getattr__(self, name):
            raise ConnectionError("the cache is down")

    monkeypatch.setattr("config.page_cache.pages", Unreachable)
    assert client.get("/").status_code == 200
    retitle_home("Published while the cache is down")
    publish()
    assertContains(client.get("/"), "Published while the cache is down")


@pytest.mark.parametrize("returning", [False, True])
def test_threads_that_miss_the_same_public_page_render_it_once(seeded, monkeypatch, returning):
    """A kept page ending, or a new worker, must not make every thread render it at once;
    a reader with a session (whose pages are never kept) waits for no one."""
    import threading
    import time

    from django.http import HttpResponse

    from config import page_cache

    monkeypatch.setattr(page_cache, "fresh_until", lambda: time.time() + 10)  # no query
    rendered = []

    def view(request):
        rendered.append(request.path)
        time.sleep(0.2)
        response = HttpResponse("the page")
        response.public_page = True
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    answers = []

    def get():
        request = RequestFactory().get("/")
        if returning:
            request.COOKIES[settings.SESSION_COOKIE_NAME] = "any"
        with translation.override("en"):
            answers.append(middleware(request))

    threads = [threading.Thread(target=get) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.content for a in answers] == [b"the page"] * 4
    assert len(rendered) == (4 if returning else 1)
    assert not middleware.rendering
