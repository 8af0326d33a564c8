"""The English and Spanish pages of one path never come from each other's cache entry:
the rendered article, the rendered result page and the ETag all name the language.
(Run with REDIS_URL too, where the entries are shared by every worker.)"""

import pytest

from quiz.models import QuizSession

from .html import soup
from .quiz_helpers import START, STRESSED_BUT_TOGETHER, take

pytestmark = pytest.mark.django_db


def invitation_link(response) -> str:
    """The article's invitation to its questionnaire: inside the cached part of the page."""
    return soup(response).select_one(".invitation a.button")["href"]


@pytest.mark.parametrize(("first", "then"), [("/es/", "/"), ("/", "/es/")])
def test_the_rendered_article_is_cached_per_language(questionnaire, client, first, then):
    client.get(first)
    assert invitation_link(client.get(then)) == f"{then.removesuffix('/')}{START}"


@pytest.mark.parametrize(("first", "then"), [("es", "en"), ("en", "es")])
def test_the_rendered_result_page_is_cached_per_language(questionnaire, client, first, then):
    take(client, STRESSED_BUT_TOGETHER)
    token = QuizSession.objects.get().token
    prefix = {"en": "", "es": "/es"}
    client.get(f"{prefix[first]}/results/{token}/")
    page = soup(client.get(f"{prefix[then]}/results/{token}/"))
    article_links = [a["href"] for a in page.select(".result-item__link a")]
    assert article_links
    assert all(link.startswith(f"{prefix[then]}/#") for link in article_links), article_links


@pytest.mark.parametrize("path", ["/", "/articles/"])
def test_each_language_has_its_own_etag(questionnaire, client, path):
    english = client.get(path)
    spanish = client.get(f"/es{path}")
    assert english["ETag"] != spanish["ETag"]
    # A cache holding the English page must not be told the Spanish one is the same.
    revalidated = client.get(f"/es{path}", headers={"if-none-match": english["ETag"]})
    assert revalidated.status_code == 200
    assert revalidated["Content-Language"] == "es"
    assert client.get(path, headers={"if-none-match": english["ETag"]}).status_code == 304
