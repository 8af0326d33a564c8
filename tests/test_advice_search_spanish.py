"""Search in Spanish: a reader at /es/search/ finds what her /es/ pages show her.

An article whose Spanish translation is published is found by its Spanish words, in any
of their forms and typed without accents; one not yet translated is found by the English
her page shows, and the result says it is English (lang="en"). The same tests run on
SQLite (FTS5) and on PostgreSQL (DATABASE_URL).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from advice.models import ArticleTranslation, Release, SearchEntry, SearchWord
from advice.releases import publish
from advice.search import search

from .factories import make_article, make_item, make_section
from .html import soup, text_of
from .moments import SEED_PUBLISHED_AT
from .test_advice_search import HOSTILE
from .translations import language_of, publish_spanish

pytestmark = pytest.mark.django_db

SPANISH_BODY = (
    "Cuando se siente acorralado te aleja para no perder el control de la relación ni de los niños."
)
ENGLISH_BODY = "When he feels cornered he pushes you away to keep control."


def a_translated_item(*, published=True, **fields):
    """An item in an article of its own, in English and Spanish; the article's Spanish
    translation published (an editor ticked it) unless `published=False`."""
    article = make_article(
        title="When he goes quiet",
        title_es="Cuando se queda callado",
        slug=fields.pop("article_slug", "goes-quiet"),
        meta_description="Why he withdraws.",
        meta_description_es="Por qué se retira.",
    )
    ArticleTranslation.objects.create(article=article, language="es", is_published=published)
    section = make_section(article=article, title="Reasons", title_es="Razones")
    fields.setdefault("title", "He feels cornered")
    fields.setdefault("title_es", "Se siente acorralado")
    fields.setdefault("slug", "feels-cornered")
    fields.setdefault("body", ENGLISH_BODY)
    fields.setdefault("body_es", SPANISH_BODY)
    return make_item(section=section, **fields)


def search_es(query):
    with translation.override("es"):
        return search(query)


def plain(html) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def titles(results) -> list[str]:
    return [plain(hit.title) for hit in results.hits]


def test_a_spanish_word_form_finds_the_item_with_another_form_of_the_word(client):
    """ "alejando" finds the item that says "aleja": Spanish words are stemmed by Spanish
    rules, on both databases."""
    a_translated_item()
    publish()
    response = client.get("/es/search/", {"q": "alejando"})
    assertContains(response, 'href="/es/read/goes-quiet/#feels-cornered"')
    assertContains(response, "Se siente acorralado")
    assertContains(response, "En «Cuando se queda callado»")
    assertContains(response, "<mark>aleja</mark>")
    assertContains(response, "1 resultado para «alejando».")
    # Spanish in a Spanish page: nothing in the result is marked as another language.
    assert not soup(response).select_one(".search-results").select("[lang]")
    assert titles(search_es("alejar")) == ["Se siente acorralado"]


def test_a_word_typed_without_accents_finds_the_accented_word():
    a_translated_item()
    publish()
    results = search_es("relacion")
    assert titles(results) == ["Se siente acorralado"]
    assert "<mark>relación</mark>" in results.hits[0].excerpt
    assert results.corrected == ""  # found as typed, not as a correction
    assert titles(search_es("ninos")) == ["Se siente acorralado"]  # ñ typed as n


def test_a_misspelt_spanish_word_finds_the_closest_spanish_word_and_says_so(client):
    a_translated_item()
    publish()
    results = search_es("acorrlado")
    assert results.corrected == "acorralado"
    assert titles(results) == ["Se siente acorralado"]
    response = client.get("/es/search/", {"q": "acorrlado"})
    assertContains(response, "No hubo coincidencias para «acorrlado»", html=False)


def test_an_untranslated_article_is_found_by_its_english_words_and_marked_english(client):
    """Her /es/ page shows the English of an article not published in Spanish yet: she
    finds it by those words, at its /es/ address, and the result is marked lang="en"."""
    a_translated_item(published=False)
    publish()
    response = client.get("/es/search/", {"q": "pushing"})
    assertContains(response, 'href="/es/read/goes-quiet/#feels-cornered"')
    page = soup(response)
    result = page.select_one(".search-result")
    assert language_of(result.select_one(".search-result__title a")) == "en"
    assert text_of(result.select_one(".search-result__title a")) == "He feels cornered"
    assert language_of(result.select_one(".search-result__excerpt")) == "en"
    assert "<mark>pushes</mark>" in str(result.select_one(".search-result__excerpt"))
    # "En" is Spanish; only the article's title inside it is English.
    article = result.select_one(".search-result__article")
    assert language_of(article) == "es"
    assert language_of(article.find("span", string="When he goes quiet")) == "en"
    # Its Spanish words are not what her page shows, so they find nothing yet.
    assert search_es("alejando").total == 0


def test_english_search_is_unchanged_by_the_spanish():
    a_translated_item()
    publish()
    results = search("pushing")
    assert titles(results) == ["He feels cornered"]
    assert results.hits[0].url == "/read/goes-quiet/#feels-cornered"
    assert results.hits[0].title.lang == "en"
    assert search("alejando").total == 0  # Spanish words are for Spanish readers
    assert search_es("pushing").total == 0  # and the Spanish reader reads it in Spanish


def test_a_release_in_english_only_then_in_spanish():
    """Published before its translation is: found in English at /es/. Once an editor
    publishes the Spanish, the next version is found by its Spanish."""
    item = a_translated_item(published=False)
    publish()
    assert [hit.title.lang for hit in search_es("cornered").hits] == ["en"]
    assert search_es("acorralado").total == 0

    ArticleTranslation.objects.filter(article=item.section.article).update(is_published=True)
    publish()
    assert search_es("cornered").total == 0
    results = search_es("acorralado")
    assert titles(results) == ["Se siente acorralado"]
    assert results.hits[0].title.lang == "es"
    assert search("cornered").total == 1  # English readers: the English, as before


def test_a_partly_translated_item_is_found_by_each_text_in_the_language_it_shows():
    """A Spanish title over an English body (not translated yet): she finds it by either."""
    a_translated_item(body_es="")
    publish()
    assert titles(search_es("acorralado")) == ["Se siente acorralado"]
    results = search_es("pushing")
    assert titles(results) == ["Se siente acorralado"]
    assert results.hits[0].excerpt.lang == "en"


def test_the_front_page_links_to_the_spanish_front_page(client, seeded):
    publish_spanish(questionnaire=False)
    response = client.get("/es/search/", {"q": "alejando"})
    assertContains(response, 'href="/es/"')
    assertContains(response, "<mark>aleja</mark>", html=False)


def test_the_seed_in_english_is_searchable_at_es_before_its_spanish_is_published(client, seeded):
    response = client.get("/es/search/", {"q": "space"})
    assertContains(response, 'href="/es/#way-give-him-space"')
    assertContains(response, 'lang="en"')


def test_a_release_from_before_translations_is_searched_in_english_in_spanish(client, seeded):
    """A format-2 release (no translations, indexed before search had languages) never
    fails at /es/search/: it is indexed by the first Spanish search, in English."""
    content = Release.objects.get().content
    old = {**content, "schema": 2}
    for article in old["articles"]:
        article.pop("languages", None)
    Release.objects.all().delete()
    Release.objects.create(content=old, go_live_at=SEED_PUBLISHED_AT)
    SearchEntry.objects.filter(language="es").delete()
    SearchWord.objects.filter(language="es").delete()
    response = client.get("/es/search/", {"q": "space"})
    assert response.status_code == 200
    assertContains(response, 'href="/es/#way-give-him-space"')
    assertContains(response, 'lang="en"')
    assertNotContains(client.get("/es/search/", {"q": "alejando"}), "search-result__title")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=220)))
def test_any_query_in_spanish_gets_200_or_400_never_an_error(client, query):
    """Spanish words are stemmed into the SQLite query: still nothing a reader types
    reaches it as syntax."""
    if not Release.objects.exists():
        a_translated_item()
        publish()
    response = client.get("/es/search/", {"q": query})
    assert response.status_code in (200, 400), (query, response.status_code)
    assert "<script>alert" not in response.content.decode()


def queries_for(client, address, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, {"q": query})
    assert response.status_code == 200
    return len(queries)


def test_a_spanish_search_takes_as_many_queries_as_an_english_one(client):
    a_translated_item()
    publish()
    # Warm: the first request's session, and each language's parsed release (kept per
    # worker and language, for the header's links).
    queries_for(client, "/search/", "warm")
    queries_for(client, "/es/search/", "warm")
    english = queries_for(client, "/search/", "cornered")
    spanish = queries_for(client, "/es/search/", "acorralado")
    assert spanish == english
    assert english <= (5 if connection.vendor == "postgresql" else 4)
    # A misspelling: the search, the closest words, the search again.
    assert queries_for(client, "/es/search/", "acorrlado") == queries_for(
        client, "/search/", "cornred"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_on_postgresql_both_readings_of_a_spanish_query_can_use_the_text_index():
    """Her query read in Spanish (for Spanish rows) and in English (for English rows):
    both conditions are on the one GIN index, so with sequential scans off the plan reads
    it (a BitmapOr) rather than every row. On a small table the planner may prefer the
    release's index; the benchmark's EXPLAIN shows the real plan."""
    from advice.search import postgres
    from advice.search.text import parse

    a_translated_item()
    publish()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    queries = postgres.queries_for("es", parse("alejando"))
    plan = SearchEntry.objects.filter(postgres.matched(queries)).explain()
    assert plan.count("advice_searchentry_document") == 2, plan
