"""The questionnaire as readers take it, over HTTP: the halfway reader most cases start
from, and readers who finish."""

import re
from dataclasses import dataclass

from ...quiz_helpers import REVIEW, START, STRESSED_BUT_TOGETHER
from ..conftest import StackClient
from .wire import browser_headers, cookie_header

REVISION = re.compile(r'name="revision" value="(\d+)"')
CHOICE_INPUT = re.compile(r'name="choice" value="(\d+)"')


class Catalogue:
    """The published questionnaire as the server has it (CATALOGUE): questions and choices
    found by the start of their text, so the cases name them as a reader would."""

    def __init__(self, questions: list[dict]):
        self.questions = questions

    def question_id(self, text_start: str) -> int:
        return next(q["id"] for q in self.questions if q["text"].startswith(text_start))

    def choice_ids(self, question_start: str) -> list[int]:
        question = next(q for q in self.questions if q["text"].startswith(question_start))
        return [pk for pk, _, _ in question["choices"]]

    def choice(self, question_start: str, choice_start: str) -> int:
        question = next(q for q in self.questions if q["text"].startswith(question_start))
        return next(pk for pk, text, _ in question["choices"] if text.startswith(choice_start))

    @property
    def safety_choices(self) -> set[int]:
        return {pk for q in self.questions for pk, _, safety in q["choices"] if safety}


CATALOGUE = """
from quiz.models import Questionnaire
questionnaire = Questionnaire.objects.published().order_by("pk").first()
result = [
    {
        "id": question.pk,
        "text": question.text,
        "multiple": question.is_multiple,
        "choices": [[c.pk, c.text, c.raises_safety_notice] for c in question.choices.all()],
    }
    for question in questionnaire.questions.all()
]
"""


def start_questionnaire(client: StackClient) -> str:
    response = client.post(START, {"csrfmiddlewaretoken": client.csrf_token()})
    assert response.status == 302, response.status
    return response.header("Location")


def answer(client: StackClient, url: str, choose) -> str:
    """Open a question's page, submit what `choose(offered ids)` picks; the next address."""
    page = client.get(url)
    assert page.status == 200, (page.status, url)
    offered = [int(pk) for pk in CHOICE_INPUT.findall(page.text)]
    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": client.csrf_token(),
            "revision": REVISION.search(page.text).group(1),
            "choice": str(choose(offered)),
        },
    )
    assert response.status == 302, (response.status, response.text[:300])
    return response.header("Location")


def question_url(question_id: int) -> str:
    return f"{START}question/{question_id}/"


@dataclass
class Reader:
    """A reader who answered three questions; her fourth ("Is anything weighing") is next."""

    stack: object
    client: StackClient
    catalogue: Catalogue
    token: str
    revision: int

    @property
    def next_url(self) -> str:
        return question_url(self.catalogue.question_id("Is anything weighing"))

    @property
    def next_choices(self) -> list[int]:
        return self.catalogue.choice_ids("Is anything weighing")

    @property
    def foreign_choice(self) -> int:
        """An answer to another question: never valid on the next one."""
        return self.catalogue.choice("Where do things stand", "He has ended it")

    def form(self, **changes) -> list[tuple[str, str]]:
        """Her valid answer to the next question, with `changes` (None drops a field)."""
        fields = {
            "csrfmiddlewaretoken": self.client.cookies["csrftoken"],
            "revision": str(self.revision),
            "choice": str(self.next_choices[0]),
            **changes,
        }
        return [
            (name, one)
            for name, value in fields.items()
            for one in (value if isinstance(value, list) else [value])
            if one is not None
        ]

    def headers(self, **changes) -> dict:
        return browser_headers(self.stack, self.client, **changes)

    def cookie(self, **changes) -> str:
        return cookie_header({**self.client.cookies, **changes})

    def is_untouched(self, shell) -> bool:
        """Still three answers and revision 3, as the cases expect."""
        return shell.query(
            "from quiz.models import QuizSession\n"
            f"session = QuizSession.objects.get(token={self.token!r})\n"
            "result = [session.revision, session.answers.count()]"
        ) == [self.revision, 3]


def new_reader(stack, shell, catalogue) -> Reader:
    client = stack.client()
    url = start_questionnaire(client)
    for question_start, choice_start in STRESSED_BUT_TOGETHER[:3]:
        assert url == question_url(catalogue.question_id(question_start))
        chosen = catalogue.choice(question_start, choice_start)
        url = answer(client, url, lambda _, chosen=chosen: chosen)
    token = shell.query(
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        f"runs = SessionStore(session_key={client.cookies['sessionid']!r}).get('quiz_runs')\n"
        "result = next(iter(runs.values()))"
    )
    halfway = Reader(stack, client, catalogue, token, revision=3)
    assert url == halfway.next_url
    assert halfway.is_untouched(shell)
    return halfway


def finish_questionnaire(stack, catalogue) -> str:
    """A new reader answers everything, taking a safety-critical answer wherever one is
    offered, and confirms: her result page (which shows the safety panel)."""
    client = stack.client()
    url = start_questionnaire(client)
    for _ in range(40):
        if not url.startswith(f"{START}question/"):
            break
        url = answer(
            client,
            url,
            lambda offered: next((c for c in offered if c in catalogue.safety_choices), offered[0]),
        )
    assert url == REVIEW
    result = client.post(url, {"csrfmiddlewaretoken": client.csrf_token()}).header("Location")
    assert re.fullmatch(r"/results/[A-Za-z0-9_-]{43}/", result), result
    assert "panel--safety" in stack.client().get(result).text
    return result
