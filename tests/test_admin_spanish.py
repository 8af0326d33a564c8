"""Editors read admin in Spanish at /es/admin/ (issue 12, requirement 1).

The address decides the language for editors as for readers (config/languages.py): the
same admin under /es/, every link it makes keeping her there, and on every admin page a
link to the same page in the other language. English stays at /admin/.
"""

import pytest

from .html import soup, text_of

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_in_spanish_under_es(client):
    response = client.get("/es/admin/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    page = soup(response)
    assert page.html["lang"] == "es"
    assert "Iniciar sesión" in text_of(page)
    assert "Equipo editorial" in page.title.text
    assert client.get("/admin/login/")["Content-Language"] == "en"


def test_every_admin_page_links_to_itself_in_the_other_language(editor_client):
    english = soup(editor_client.get("/admin/advice/article/"))
    assert english.find("a", hreflang="es")["href"] == "/es/admin/advice/article/"
    spanish = soup(editor_client.get("/es/admin/advice/article/"))
    assert spanish.find("a", hreflang="en")["href"] == "/admin/advice/article/"


def test_links_in_spanish_admin_stay_in_spanish(editor_client):
    page = soup(editor_client.get("/es/admin/"))
    assert "Artículo y cuestionario" in text_of(page)
    links = [a["href"] for a in page.select("#content-main a[href^='/']")]
    assert links and all(href.startswith("/es/admin/") for href in links)


def test_signing_in_at_the_spanish_address_leads_to_spanish_admin(client, editor):
    response = client.get("/es/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/es/admin/login/")
