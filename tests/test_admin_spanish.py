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


# -- Editors' pages in Spanish: what the code says, not only Django's own words ------------

# Sentences the code writes on these pages in English: none may be left at /es/admin/.
ENGLISH = [
    "Blocks publishing",
    "has no country",
    "is not published: left out",
    "has never been checked against a source",
    "Live: readers see this version",
    "rows with a text missing",
    "New emergency number",
    "Support resource",
    "Publish changes",
]


def english_left(text: str) -> list[str]:
    return [sentence for sentence in ENGLISH if sentence in text]


def test_the_publish_page_says_its_findings_and_left_out_rows_in_spanish(
    editor_client, questionnaire
):
    from advice.models import Item
    from quiz.models import SupportResource

    line = SupportResource.objects.get(phone="0808 2000 247")
    SupportResource.objects.filter(pk=line.pk).update(country="")
    Item.objects.filter(slug="sign-gaslighting").update(is_published=False)

    english = text_of(soup(editor_client.get("/admin/advice/release/add/")))
    assert "The number has no country" in english
    assert "is not published: left out" in english

    page = soup(editor_client.get("/es/admin/advice/release/add/"))
    findings = text_of(page.select_one("#checks"))
    assert f"El recurso de apoyo «{line.name}»: El número no tiene país" in (findings)
    assert "Impide publicar" in findings
    assert "no está publicado: queda fuera." in text_of(page.select_one("#left-out"))
    assert english_left(text_of(page)) == []


def test_the_versions_list_names_its_columns_and_statuses_in_spanish(editor_client, questionnaire):
    english = text_of(soup(editor_client.get("/admin/advice/release/")))
    assert "Live: readers see this version" in english

    page = text_of(soup(editor_client.get("/es/admin/advice/release/")))
    assert "Publicada: el público ve esta versión" in page
    assert "Inicio › Artículos › Versiones publicadas" in page
    assert english_left(page) == []


def test_a_support_resources_page_labels_its_fields_in_spanish(editor_client, questionnaire):
    from quiz.models import SupportResource

    line = SupportResource.objects.get(phone="0808 2000 247")
    page = text_of(soup(editor_client.get(f"/es/admin/quiz/supportresource/{line.pk}/change/")))
    for label in ("Modificar recurso de apoyo", "Teléfono:", "País:", "Comprobado el:"):
        assert label in page
    assert "Traducción (Español)" in page
    assert "Checked on" not in page and "Support resource" not in page
    assert "(Spanish)" not in page


def test_the_review_page_lists_safety_critical_changes_in_spanish(editor_client, questionnaire):
    from quiz.models import EmergencyNumber

    EmergencyNumber.objects.filter(country="AU").update(number="112")
    page = text_of(soup(editor_client.get("/es/admin/advice/release/review/")))
    assert "Cambia el número de emergencias: Australia, 112" in page
    assert "Emergency number changed" not in page
    assert english_left(page) == []
