"""Pages speak Spanish when Spanish is the active language (issue 12).

The templates are rendered with the language switched on directly, so these tests do not
depend on how a request chooses its language (the /es/ addresses do that).
"""

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from quiz import flow, problems, scoring
from quiz.forms import AnswerForm

pytestmark = pytest.mark.django_db

QUESTION = scoring.Question(
    id=1,
    position=1,
    text="¿Dónde están las cosas ahora?",  # content: editors write it in the reader's language
    choices=(
        scoring.Choice(id=1, question_id=1, text="Estamos juntos"),
        scoring.Choice(id=2, question_id=1, text="Nos hemos separado"),
    ),
)


def spanish(render):
    with translation.override("es"):
        return render()


def test_a_problem_page_is_in_spanish():
    request = RequestFactory().get("/")
    page = spanish(lambda: problems.NOT_IN_ORDER.response(request, "/").content.decode())
    assert "Responde las preguntas en orden, por favor" in page
    assert "Ir a la siguiente pregunta sin responder" in page
    assert "Salir de esta página" in page
    assert "Please answer the questions in order" not in page


def test_the_question_page_buttons_and_progress_are_in_spanish():
    request = RequestFactory().get("/")
    step = flow.Step(question=QUESTION, number=2, total=9, previous=None, next=None)
    context = {"form": AnswerForm.showing(QUESTION, (), 0), "step": step, "back_url": "/"}
    page = spanish(lambda: render_to_string("quiz/question.html", context, request=request))
    assert "Pregunta 2 de 9" in page
    assert ">Siguiente</button>" in page
    assert ">Atrás</a>" in page
    assert ">Next<" not in page


def test_a_missing_answer_is_explained_in_spanish():
    form = AnswerForm(QUESTION, QueryDict("revision=0"))
    assert not spanish(form.is_valid)
    assert spanish(lambda: str(form.errors["choice"][0])) == "Elige una respuesta para continuar."


def test_the_not_found_page_is_in_spanish():
    request = RequestFactory().get("/nowhere/")
    page = spanish(lambda: render_to_string("404.html", request=request))
    assert "No encontramos esa página" in page
    assert "Leer el artículo" in page
    assert "We couldn’t find that page" not in page


def test_english_stays_english():
    request = RequestFactory().get("/nowhere/")
    with translation.override("en"):
        page = render_to_string("404.html", request=request)
    assert "We couldn’t find that page" in page
