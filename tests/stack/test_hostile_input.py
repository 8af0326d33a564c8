"""Hostile input against the real stack: gunicorn, production settings, spoken to over HTTP.

The rule, for every case in this file:

- the site answers with a 4xx (or a harmless 2xx/3xx), never a 5xx, and gunicorn logs no
  server error while the case runs;
- no script an attacker wrote runs in a browser: editors' Markdown is loaded in Chromium,
  once with the site's Content-Security-Policy and once with it stripped, so the sanitiser
  is shown to hold on its own;
- no hostile request creates, changes or deletes a stored answer: every quiz session, its
  revision, completion time and answers are read from the server's database before and
  after each case (`answers_untouched`) and must be identical.

Most hostile requests start from what a reader's browser would send (valid cookies, CSRF
token, current revision, a real answer) and change one thing, so a check that gave way
would show up as a stored answer. They are written byte by byte (`send`), since
http.client refuses much of what an attacker can put on the wire.
"""

import http.client
import json
import re
import secrets
import socket
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from PIL import Image, PngImagePlugin

from advice.markdown import ALLOWED_TAGS

from ..quiz_helpers import STRESSED_BUT_TOGETHER
from .conftest import EDITOR, ROOT, Response, StackClient

REVISION = re.compile(r'name="revision" value="(\d+)"')
CHOICE_INPUT = re.compile(r'name="choice" value="(\d+)"')
PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"
EVIL = "evil.example"


# --- Reading the server's database quickly --------------------------------------------


SHELL_LOOP = r"""
import json, sys
import django
django.setup()
from django.db import connections
for line in sys.stdin:
    scope = {}
    try:
        exec(json.loads(line), scope)
        answer = {"result": scope.get("result")}
    except Exception as error:
        answer = {"error": repr(error)}
    finally:
        connections.close_all()
    print("SHELL-RESULT " + json.dumps(answer, default=str), flush=True)
"""


class ServerShell:
    """`stack.query` in one long-lived process: Python run in the server's settings.

    stack.query starts `manage.py shell` for each call (about a second); the snapshots
    taken around every case here would cost minutes that way.
    """

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SHELL_LOOP],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def query(self, code: str):
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("SHELL-RESULT "):
                answer = json.loads(line.removeprefix("SHELL-RESULT "))
                assert "error" not in answer, answer["error"]
                return answer["result"]
        raise RuntimeError("the server shell ended")

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


# Every run, its revision and completion, every answer and every chosen choice.
STORED_ANSWERS = """
from quiz.models import Answer, QuizSession
result = [
    list(QuizSession.objects.values_list("pk", "token", "revision", "completed_at").order_by("pk")),
    list(Answer.objects.values_list("pk", "session", "question", "answered_at").order_by("pk")),
    sorted(Answer.choices.through.objects.values_list("answer_id", "choice_id")),
]
"""

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


@pytest.fixture(scope="module")
def shell(stack):
    server_shell = ServerShell(stack.env)
    yield server_shell
    server_shell.close()


@pytest.fixture(scope="module")
def log_reader(stack):
    return LogReader(Path(stack.log_path))


class LogReader:
    """What gunicorn wrote since the last look: its own errors, and Django's 5xx records."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = path.stat().st_size

    def server_errors(self) -> list[str]:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        complete = data[: data.rfind(b"\n") + 1]  # a line still being written waits
        self.offset += len(complete)
        text = complete.decode("utf-8", errors="replace")
        errors = []
        for line in text.splitlines():
            if "] [ERROR] " in line:  # gunicorn: an exception escaped the application
                errors.append(line)
            elif line.startswith("{"):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if int(record.get("status_code") or 0) >= 500:
                    errors.append(record.get("message", line))
        return errors


@pytest.fixture(autouse=True)
def answers_untouched(request, shell, log_reader):
    """The rule of this file: no stored answer changes, no server error is logged."""
    if "reader" in request.fixturenames:
        request.getfixturevalue("reader")  # set up first: it gives answers itself
    log_reader.server_errors()  # start from here
    before = shell.query(STORED_ANSWERS)
    yield
    assert shell.query(STORED_ANSWERS) == before, "stored answers changed"
    assert log_reader.server_errors() == [], "gunicorn logged a server error"


# --- Speaking HTTP -------------------------------------------------------------------


def host_of(stack) -> str:
    return urlsplit(stack.url).netloc


def build(method: str, target, headers: dict, body=b"", content_length=True) -> bytes:
    """One HTTP/1.1 request, byte for byte; the target and header values may be bytes."""
    target = target if isinstance(target, bytes) else target.encode()
    lines = [method.encode() + b" " + target + b" HTTP/1.1"]
    for name, value in headers.items():
        if value is not None:
            lines.append(
                name.encode() + b": " + (value if isinstance(value, bytes) else value.encode())
            )
    if content_length and body:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def exchange(stack, data: bytes, method="GET", half_close=False) -> Response:
    """Send raw bytes, read the answer; status None if the server hung up without one."""
    parts = urlsplit(stack.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a server may refuse (and close) before reading a body it won't take
        raw = http.client.HTTPResponse(sock, method=method)
        try:
            raw.begin()
            return Response(raw.status, raw.getheaders(), raw.read())
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return Response(None, [], b"")


def send(stack, method: str, target, headers: dict, body=b"", **options) -> Response:
    return exchange(stack, build(method, target, headers, body, **options), method=method)


def cookie_header(cookies: dict) -> str | None:
    return "; ".join(f"{name}={value}" for name, value in cookies.items()) or None


def browser_headers(stack, client: StackClient | None = None, **changes) -> dict:
    """What a browser sends with a same-site form POST; a change to None leaves one out.

    Header names are given with "_" for "-": Content_Type=... changes Content-Type.
    """
    headers = {
        "Host": host_of(stack),
        "X-Forwarded-Proto": "https",
        "Origin": f"https://{host_of(stack)}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie_header(client.cookies) if client else None,
    }
    for name, value in changes.items():
        headers[name.replace("_", "-")] = value
    return headers


def page_headers(stack, client: StackClient | None = None, **changes) -> dict:
    """What a browser sends for a page: no Origin, no Content-Type."""
    return browser_headers(stack, client, Origin=None, Content_Type=None, **changes)


def form_body(fields) -> bytes:
    return urlencode(fields, doseq=True).encode()


def multipart(fields, files=(), boundary="hostile-boundary") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + (value if isinstance(value, bytes) else str(value).encode())
        + b"\r\n"
        for name, value in fields
    ]
    parts += [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        f"\r\nContent-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
        for name, filename, content_type, content in files
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def assert_not_a_server_error(response: Response, expected: set[int]):
    assert response.status is not None, "the server hung up without an answer"
    assert response.status < 500, (response.status, response.text[:500])
    assert response.status in expected, (response.status, response.text[:300])


# --- The questionnaire, as readers take it -------------------------------------------


class Catalogue:
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


@pytest.fixture(scope="module")
def catalogue(shell) -> Catalogue:
    return Catalogue(shell.query(CATALOGUE))


def start_questionnaire(client: StackClient) -> str:
    response = client.post("/questionnaire/", {"csrfmiddlewaretoken": client.csrf_token()})
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
    return f"/questionnaire/question/{question_id}/"


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
        f"result = SessionStore(session_key={client.cookies['sessionid']!r}).get('quiz_token')"
    )
    halfway = Reader(stack, client, catalogue, token, revision=3)
    assert url == halfway.next_url
    assert halfway.is_untouched(shell)
    return halfway


@pytest.fixture(scope="module")
def readers() -> dict:
    return {}


@pytest.fixture
def reader(stack, shell, catalogue, readers) -> Reader:
    """The halfway reader; a new one if a failed case changed the last one's answers."""
    if "current" not in readers or not readers["current"].is_untouched(shell):
        readers["current"] = new_reader(stack, shell, catalogue)
    return readers["current"]


@pytest.fixture(scope="module")
def finished(stack, catalogue) -> str:
    """A reader who answered everything, picking safety-critical answers: her result page."""
    return finish_questionnaire(stack, catalogue)


def finish_questionnaire(stack, catalogue) -> str:
    client = stack.client()
    url = start_questionnaire(client)
    for _ in range(40):
        if not url.startswith("/questionnaire/question/"):
            break
        url = answer(
            client,
            url,
            lambda offered: next((c for c in offered if c in catalogue.safety_choices), offered[0]),
        )
    assert url == "/questionnaire/review/"
    result = client.post(url, {"csrfmiddlewaretoken": client.csrf_token()}).header("Location")
    assert re.fullmatch(r"/results/[A-Za-z0-9_-]{43}/", result), result
    assert "panel--safety" in stack.client().get(result).text
    return result


@pytest.fixture(scope="module")
def orphan(stack, shell) -> StackClient:
    """A browser whose session names a run that no longer exists."""
    client = stack.client()
    start_questionnaire(client)
    deleted = shell.query(
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from quiz.models import QuizSession\n"
        f"token = SessionStore(session_key={client.cookies['sessionid']!r}).get('quiz_token')\n"
        "result = QuizSession.objects.filter(token=token).delete()[0]"
    )
    assert deleted == 1
    return client


# --- Editors ---------------------------------------------------------------------------


def log_in(client: StackClient, next_url: str) -> Response:
    address = "/admin/login/?" + urlencode({"next": next_url})
    assert client.get(address).status == 200
    return client.post(
        address,
        {
            "csrfmiddlewaretoken": client.csrf_token(),
            "username": EDITOR[0],
            "password": EDITOR[1],
            "next": next_url,
        },
    )


@pytest.fixture(scope="module")
def editor(stack) -> StackClient:
    client = stack.client()
    response = log_in(client, "/admin/")
    assert response.status == 302 and response.header("Location") == "/admin/"
    return client


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the form with this id."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        name = attrs.get("name")
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "all": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            self.select["all"].append(attrs.get("value") or "")
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value") or "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                chosen = self.select["all"][:1]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


def admin_save(editor: StackClient, url: str, form_id: str, changes: dict[str, str]) -> None:
    """Open an admin change form, set the fields whose names match `changes`, save it."""
    page = editor.get(url)
    assert page.status == 200, (page.status, url)
    parser = FormFields(form_id)
    parser.feed(page.text)
    data, matched = [], set()
    for name, value in parser.fields:
        if "__prefix__" in name:  # the empty template of an inline, never submitted
            continue
        for pattern, new in changes.items():
            if re.fullmatch(pattern, name):
                value = new
                matched.add(pattern)
        data.append((name, value))
    assert matched == set(changes), f"not on the form: {set(changes) - matched}"
    response = editor.post(url, body=form_body([*data, ("_save", "Save")]))
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    assert response.status == 302, (response.status, errors)


# --- 1. Script in editors' Markdown ----------------------------------------------------


def payload(field: str) -> str:
    """Markdown carrying every way of running script we know of, each naming its field."""
    js = f"window.__xss='{field}';document.title='XSS';fetch('/__xss__/{field}');alert('{field}')"
    vectors = [
        f"<script>{js}</script>",
        f'<img src=x onerror="{js}">',
        f"<IMG SRC=JaVaScRiPt:window.__xss='{field}'>",
        f'<svg onload="{js}"><circle r="1"/></svg>',
        f"<svg><script>{js}</script></svg>",
        "<math><mtext><table><mglyph><style>"
        f'<img src=x onerror="{js}"></style></mglyph></table></mtext></math>',
        '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></p></noscript>',
        '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
        f'<iframe src="javascript:{js}"></iframe>',
        f'<object data="javascript:{js}"></object><embed src="javascript:{js}">',
        f'<a href="javascript:{js}">plain javascript link</a>',
        f'<a href="JaVaScRiPt&#58;{js}">entity javascript link</a>',
        f'<a href="&#x6A;avascript&colon;{js}">hex entity javascript link</a>',
        f'<a href=" &#x09;java&#x0A;script:{js}">whitespace javascript link</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==">data</a>',
        f"[markdown javascript link](javascript:{js})",
        f"![markdown javascript image](javascript:{js})",
        f'![alt" onerror="{js}](/static/nothing.png)',
        f'<details open ontoggle="{js}"><summary>toggle</summary>x</details>',
        f'<body onload="{js}"><input autofocus onfocus="{js}">',
        f'<video><source onerror="{js}"></video><audio src=x onerror="{js}"></audio>',
        f'<form action="javascript:{js}"><button formaction="javascript:{js}">go</button></form>',
        f'<base href="javascript:{js}//"><meta http-equiv="refresh" content="0;url=javascript:1">',
        f'<style>@import "javascript:{js}";</style><p style="background:url(javascript:1)">x</p>',
        f'<template><img src=x onerror="{js}"></template>',
        f'<a href="https://example.org/" onclick="{js}" onmouseover="{js}">handlers</a>',
        f'<!--><img src=x onerror="{js}">-->',
        f"<scr<script>ipt>{js}</scr</script>ipt>",
        f'<img src="x" title="&quot; onerror=&quot;{js}">',
        "`<img src=x onerror=window.__xss=1>`",
    ]
    return f"xss-probe-{field}\n\n" + "\n\n".join(vectors) + "\n"


RESULT = "the result page"
# Each Markdown field editors write, and the public page that shows it.
FIELDS = {
    "item_body": "/",
    "section_intro": "/",
    "section_outro": "/",
    "questionnaire_intro": "/questionnaire/",
    "cannot_know": "/questionnaire/",
    "safety_text": RESULT,
    "verdict_body": RESULT,
}

CONTENT_STATE = """
from django.core import serializers
from advice.models import Article, Item, Section
from quiz.models import Question, Questionnaire, ReasonRule, SupportResource, Verdict
rows = serializers.serialize("python", [
    *Article.objects.all(), *Section.objects.all(), *Item.objects.all(),
    *Questionnaire.objects.all(), *Question.objects.all(), *ReasonRule.objects.all(),
    *Verdict.objects.all(), *SupportResource.objects.all(),
])
result = {
    f"{row['model']}:{row['pk']}": {
        name: value for name, value in row["fields"].items()
        if name not in ("updated_at", "published_at")
    }
    for row in rows
}
"""

RESTORE = """
from django.apps import apps
restored = []
for key, fields in ORIGINAL.items():
    label, pk = key.rsplit(":", 1)
    model = apps.get_model(label)
    row = model.objects.get(pk=pk)
    differs = {
        model._meta.get_field(name).attname: value
        for name, value in fields.items()
        if getattr(row, model._meta.get_field(name).attname) != value
    }
    for attname, value in differs.items():
        setattr(row, attname, value)
    if differs:
        row.save()  # the models' own save(): cached pages and rules are keyed afresh
        restored.append(key)
result = restored
"""

TARGETS = """
from advice.models import Article
from quiz.models import Questionnaire
article = Article.objects.get(is_home=True)
section = (
    article.sections.filter(is_published=True, items__is_published=True)
    .order_by("position").first()
)
item = section.items.filter(is_published=True).order_by("position").first()
questionnaire = Questionnaire.objects.published().order_by("pk").first()
result = {"section": section.pk, "item": item.pk, "questionnaire": questionnaire.pk}
"""


@pytest.fixture(scope="module")
def hostile_content(stack, shell, editor, catalogue):
    """Every Markdown field carries the payload, saved through the admin as an editor would,
    and published; the result pages are a reader's who finished after that.

    Put back (and published again) when the module ends: the stack is shared with other
    test files.
    """
    original = shell.query(CONTENT_STATE)
    targets = shell.query(TARGETS)
    try:
        admin_save(
            editor,
            f"/admin/advice/section/{targets['section']}/change/",
            "section_form",
            {"intro": payload("section_intro"), "outro": payload("section_outro")},
        )
        admin_save(
            editor,
            f"/admin/advice/item/{targets['item']}/change/",
            "item_form",
            {"body": payload("item_body")},
        )
        admin_save(
            editor,
            f"/admin/quiz/questionnaire/{targets['questionnaire']}/change/",
            "questionnaire_form",
            {
                "intro": payload("questionnaire_intro"),
                "cannot_know": payload("cannot_know"),
                "safety_text": payload("safety_text"),
                r"verdicts-\d+-body": payload("verdict_body"),
            },
        )
        edited = shell.query(CONTENT_STATE)
        assert edited.keys() == original.keys()
        changed = {
            (key, name): value
            for key, fields in edited.items()
            for name, value in fields.items()
            if original[key][name] != value
        }
        # The round trip through the admin forms changed the payload fields, nothing else.
        assert len(changed) > len(FIELDS)
        assert all(str(value).startswith("xss-probe-") for value in changed.values()), changed
        admin_save(editor, "/admin/advice/release/add/", "publish_form", {"note": "probes"})
        finished = finish_questionnaire(stack, catalogue)
        yield {field: finished if page == RESULT else page for field, page in FIELDS.items()}
    finally:
        shell.query(f"import json\nORIGINAL = json.loads({json.dumps(original)!r})\n{RESTORE}")
        assert shell.query(CONTENT_STATE) == original
        shell.query("from advice.releases import publish\nresult = str(publish(note='restored'))")


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's one Chromium (tests/conftest.py)."""
    return browser


# Run in the loaded page: anything that could run script, or that the sanitiser must drop.
AUDIT = """
allowedInProse => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data",
                         "poster", "background", "srcset", "ping", "codebase", "cite"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const {name, value} of element.attributes) {
      const attribute = name.toLowerCase();
      if (attribute.startsWith("on") || ["srcdoc", "style"].includes(attribute)) {
        found.push(`${tag}[${attribute}]`);
      }
      const url = value.replace(/[\\u0000-\\u0020]+/g, "").toLowerCase();
      if (urlAttributes.includes(attribute) && /^(javascript|data|vbscript):/.test(url)) {
        found.push(`${tag}[${attribute}=${value.slice(0, 40)}]`);
      }
    }
    if (["iframe", "frame", "object", "embed", "applet", "base", "svg", "math",
         "template", "style", "noscript"].includes(tag)) {
      found.push(tag);
    }
    const source = new URL(element.getAttribute("src") || "", location.href).href;
    if (tag === "script" && element.getAttribute("type") !== "application/ld+json"
        && !source.startsWith(location.origin + "/static/")) {
      found.push("script not from /static/");
    }
    if (tag === "meta" && element.httpEquiv) found.push("meta http-equiv");
    if (element.closest(".prose") && element.closest(".prose") !== element
        && !allowedInProse.includes(tag)) {
      found.push(`<${tag}> in prose`);
    }
  }
  return found;
}
"""

# Whether an inline script added now runs: proves the CSP really was on, or off.
INLINE_SCRIPT_RUNS = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__control = 1";
  document.body.append(script);
  return window.__control === 1;
}"""


def open_in_chromium(browser, stack, path: str, *, keep_csp: bool, post: dict | None = None):
    """Load a page of the stack in Chromium and report every sign of script having run.

    The test fetches each document itself (so the CSP header can be dropped, or the GET
    turned into the editor's preview POST) and hands it to Chromium; nothing leaves the site.
    """
    context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    context.set_default_timeout(10_000)
    page = context.new_page()
    seen = {"dialogs": [], "errors": [], "csp": [], "markers": [], "outside": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and seen["csp"].append(message.text)
        ),
    )
    page.on(
        "request",
        lambda request: "/__xss__/" in request.url and seen["markers"].append(request.url),
    )

    def handle(route):
        request = route.request
        if not request.url.startswith(stack.url + "/"):
            seen["outside"].append(request.url)
            route.abort()
        elif request.resource_type != "document":
            route.continue_()
        else:
            headers = {**request.headers, "x-forwarded-proto": "https"}
            if post is None:
                response = route.fetch(headers=headers)
            else:
                response = route.fetch(
                    method="POST", headers={**headers, **post["headers"]}, post_data=post["body"]
                )
            kept = {
                name: value
                for name, value in response.headers.items()
                if keep_csp or name.lower() != "content-security-policy"
            }
            route.fulfill(response=response, headers=kept)

    page.route("**/*", handle)
    try:
        response = page.goto(stack.url + path, wait_until="load")
        page.wait_for_timeout(300)  # error and toggle events may fire after load
        findings = {
            "status": response.status,
            "sentinel": page.evaluate("() => window.__xss ?? null"),
            "title": page.title(),
            "audit": page.evaluate(AUDIT, sorted(ALLOWED_TAGS)),
            "text": page.evaluate("() => document.documentElement.textContent"),
            **{key: list(value) for key, value in seen.items()},
        }
        findings["inline_script_runs"] = page.evaluate(INLINE_SCRIPT_RUNS)
        return findings
    finally:
        context.close()


def assert_no_script_ran(findings: dict, probe: str, keep_csp: bool):
    assert findings["status"] == 200
    assert probe in findings["text"], "the payload did not reach the page"
    assert findings["sentinel"] is None
    assert "XSS" not in findings["title"]
    assert findings["markers"] == []
    assert findings["dialogs"] == []
    assert findings["errors"] == []
    assert findings["outside"] == []
    assert findings["audit"] == []
    if keep_csp:
        # The policy had nothing to block: the sanitiser had removed it all already.
        assert findings["csp"] == []
    # The control: with the header kept inline script is blocked; stripped, it runs.
    assert findings["inline_script_runs"] is not keep_csp


class Markup(HTMLParser):
    """Tags and attributes of an HTML fragment that the sanitiser should have removed."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name.startswith("on") or url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}]")


CSP_MODES = [pytest.param(True, id="with-csp"), pytest.param(False, id="csp-stripped")]


@pytest.mark.parametrize("keep_csp", CSP_MODES)
@pytest.mark.parametrize("field", FIELDS)
def test_markdown_fields_run_no_script_in_chromium(
    stack, chromium, hostile_content, field, keep_csp
):
    path = hostile_content[field]
    served = stack.client().get(path)
    assert served.status == 200
    assert f"xss-probe-{field}" in served.text
    findings = open_in_chromium(chromium, stack, path, keep_csp=keep_csp)
    assert_no_script_ran(findings, f"xss-probe-{field}", keep_csp)


@pytest.mark.parametrize("keep_csp", CSP_MODES)
def test_the_editor_preview_runs_no_script_in_chromium(stack, chromium, editor, keep_csp):
    body = form_body({"csrfmiddlewaretoken": editor.csrf_token(), "content": payload("preview")})
    served = editor.post(PREVIEW, body=body)
    assert served.status == 200
    assert "xss-probe-preview" in served.text
    assert Markup(served.text).found == []
    post = {
        "body": body,
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            "cookie": cookie_header(editor.cookies),
            "origin": f"https://{host_of(stack)}",
        },
    }
    findings = open_in_chromium(chromium, stack, PREVIEW, keep_csp=keep_csp, post=post)
    assert_no_script_ran(findings, "xss-probe-preview", keep_csp)


# --- 2. Uploads that lie about what they are ------------------------------------------


def image_bytes(fmt="PNG", size=(40, 30), **options) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims another size: a decompression bomb's first bytes."""
    data = bytearray(image_bytes(size=(1, 1)))
    chunk = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = chunk
    data[29:33] = struct.pack(">I", zlib.crc32(chunk))
    return bytes(data)


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return image_bytes(pnginfo=info)


HTML = b"<html><body><script>window.__xss=1</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"><script>1</script></svg>'
APPENDED = b"<html><script>alert(document.cookie)</script></html>"
MiB = 1024 * 1024

# name: (filename, content, declared type, format it is stored in, or None: refused)
UPLOADS = {
    "html-declared-as-png": ("evil.png", HTML, "image/png", None),
    "svg-declared-as-png": ("evil.png", SVG, "image/png", None),
    "svg-declared-as-svg": ("evil.svg", SVG, "image/svg+xml", None),
    "png-declared-as-text-html": ("photo.html", image_bytes(), "text/html", None),
    "png-named-html": ("photo.html", image_bytes(), "image/png", "PNG"),
    "webp-named-png": ("photo.png", image_bytes("WEBP"), "image/png", "WEBP"),
    "gif-declared-as-png": ("photo.png", image_bytes("GIF"), "image/png", None),
    "over-5-mb": ("big.png", image_bytes() + b"\0" * (5 * MiB + 1), "image/png", None),
    "polyglot-png-with-html-appended": ("photo.png", image_bytes() + APPENDED, "image/png", "PNG"),
    "png-with-script-in-a-text-chunk": (
        "photo.png",
        png_with_text("<script>alert(1)</script>"),
        "image/png",
        "PNG",
    ),
    "jpeg-with-script-in-a-comment": (
        "photo.jpg",
        image_bytes("JPEG", comment=b"<script>alert(1)</script>"),
        "image/jpeg",
        "JPEG",
    ),
    "pixel-bomb-header": ("bomb.png", png_claiming(30_000, 30_000), "image/png", None),
    "truncated-png": ("cut.png", image_bytes()[:40], "image/png", None),
    "empty-file": ("empty.png", b"", "image/png", None),
    "path-traversal-in-filename": ("../../../../escape.png", image_bytes(), "image/png", "PNG"),
}


def media_files(stack) -> set[Path]:
    root = Path(stack.env["DJANGO_MEDIA_ROOT"])
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def upload(stack, client: StackClient, files, *, ajax=True, csrf=True) -> Response:
    fields = [("csrfmiddlewaretoken", client.cookies["csrftoken"])] if csrf else []
    headers = browser_headers(
        stack,
        client,
        Content_Type="multipart/form-data; boundary=hostile-boundary",
        X_Requested_With="XMLHttpRequest" if ajax else None,
    )
    return send(stack, "POST", UPLOAD, headers, multipart(fields, files))


@pytest.mark.parametrize("case", UPLOADS)
def test_uploads_must_be_real_images_and_are_re_encoded(stack, editor, case):
    filename, content, content_type, stored_format = UPLOADS[case]
    before = media_files(stack)
    response = upload(stack, editor, [("image", filename, content_type, content)])
    new = media_files(stack) - before
    if stored_format is None:
        assert_not_a_server_error(response, {400})
        assert new == set()
        return
    assert_not_a_server_error(response, {200})
    (stored,) = new
    assert stored.parent == Path(stack.env["DJANGO_MEDIA_ROOT"]) / "article-images"
    url = json.loads(response.body)["image_code"].removeprefix("![](").removesuffix(")")
    assert url == f"/media/article-images/{stored.name}"
    served = stack.client().get(url)
    assert served.status == 200
    assert served.body == stored.read_bytes()
    assert served.header("Content-Type") == f"image/{stored_format.lower()}"
    assert served.header("X-Content-Type-Options") == "nosniff"
    for smuggled in (b"<script", b"<html", APPENDED):
        assert smuggled not in served.body
    with Image.open(BytesIO(served.body)) as image:
        assert image.format == stored_format
        image.verify()


@pytest.mark.parametrize(
    "case", ["anonymous", "editor-without-csrf-token", "plain-form-post", "no-file-at-all"]
)
def test_uploads_from_the_wrong_sender_or_form_are_refused(stack, editor, case):
    before = media_files(stack)
    png = [("image", "photo.png", "image/png", image_bytes())]
    if case == "anonymous":
        visitor = stack.client()
        visitor.csrf_token()
        response = upload(stack, visitor, png)
        assert_not_a_server_error(response, {302})
        assert response.header("Location").startswith("/admin/login/")
    elif case == "editor-without-csrf-token":
        assert_not_a_server_error(upload(stack, editor, png, csrf=False), {403})
    elif case == "plain-form-post":
        # No X-Requested-With: markdownx answers a refused plain POST with a template
        # rendering its upload view cannot do.
        not_an_image = [("image", "evil.png", "image/png", HTML)]
        assert_not_a_server_error(upload(stack, editor, not_an_image, ajax=False), {400})
    else:
        assert_not_a_server_error(upload(stack, editor, []), {400})
    assert media_files(stack) == before


# --- 3. A reader's answer, tampered with -----------------------------------------------


def answer_post(form=None, headers=None, path=None, method="POST"):
    """Her valid answer to the next question, with one thing changed by a function of her."""

    def run(reader: Reader) -> Response:
        data = reader.form(**(form(reader) if form else {}))
        target = path(reader) if path else reader.next_url
        sent_headers = reader.headers(**(headers(reader) if headers else {}))
        return send(reader.stack, method, target, sent_headers, form_body(data))

    return run


def another_browsers_csrf_token(reader: Reader) -> str:
    return reader.stack.client().csrf_token()


# name: (what is sent, the statuses that are right)
TAMPERING = {
    "no-choice": (answer_post(form=lambda r: {"choice": None}), {400}),
    "unknown-choice-id": (answer_post(form=lambda r: {"choice": "999999"}), {400}),
    "choice-of-another-question": (
        answer_post(form=lambda r: {"choice": str(r.foreign_choice)}),
        {400},
    ),
    "two-choices-on-a-single-choice-question": (
        answer_post(form=lambda r: {"choice": [str(pk) for pk in r.next_choices[:2]]}),
        {400},
    ),
    "non-numeric-choice": (answer_post(form=lambda r: {"choice": "1; DROP TABLE x"}), {400}),
    "choice-as-a-float": (answer_post(form=lambda r: {"choice": f"{r.next_choices[0]}.0"}), {400}),
    "choice-with-sql-quotes": (answer_post(form=lambda r: {"choice": "' OR '1'='1"}), {400}),
    "hidden-conditional-question": (
        answer_post(
            form=lambda r: {"choice": str(r.catalogue.choice_ids("Since he ended it")[0])},
            path=lambda r: question_url(r.catalogue.question_id("Since he ended it")),
        ),
        {409},
    ),
    "skip-ahead-to-a-later-question": (
        answer_post(
            form=lambda r: {"choice": str(r.catalogue.choice_ids("If things stayed")[0])},
            path=lambda r: question_url(r.catalogue.question_id("If things stayed")),
        ),
        {409},
    ),
    "stale-revision": (answer_post(form=lambda r: {"revision": str(r.revision - 1)}), {409}),
    "replayed-form-of-an-answered-question": (
        answer_post(
            form=lambda r: {"revision": "0", "choice": str(r.foreign_choice)},
            path=lambda r: question_url(r.catalogue.question_id("Where do things stand")),
        ),
        {409},
    ),
    "future-revision": (answer_post(form=lambda r: {"revision": str(r.revision + 1)}), {409}),
    "missing-revision": (answer_post(form=lambda r: {"revision": None}), {400}),
    "negative-revision": (answer_post(form=lambda r: {"revision": "-1"}), {400}),
    "revision-of-400-digits": (answer_post(form=lambda r: {"revision": "9" * 400}), {409}),
    "unknown-question-id": (answer_post(path=lambda r: question_url(999999)), {404}),
    "question-id-beyond-64-bits": (answer_post(path=lambda r: question_url(10**25)), {404}),
    "missing-csrf-token": (answer_post(form=lambda r: {"csrfmiddlewaretoken": None}), {403}),
    "wrong-csrf-token": (
        answer_post(form=lambda r: {"csrfmiddlewaretoken": secrets.token_urlsafe(48)}),
        {403},
    ),
    "csrf-token-of-another-browser": (
        answer_post(form=lambda r: {"csrfmiddlewaretoken": another_browsers_csrf_token(r)}),
        {403},
    ),
    "csrf-cookie-missing": (
        answer_post(headers=lambda r: {"Cookie": f"sessionid={r.client.cookies['sessionid']}"}),
        {403},
    ),
    "forged-origin": (answer_post(headers=lambda r: {"Origin": f"https://{EVIL}"}), {403}),
    "origin-null": (answer_post(headers=lambda r: {"Origin": "null"}), {403}),
    "origin-over-plain-http": (
        answer_post(headers=lambda r: {"Origin": f"http://{host_of(r.stack)}"}),
        {403},
    ),
    "no-origin-and-no-referer": (answer_post(headers=lambda r: {"Origin": None}), {403}),
    "foreign-referer-and-no-origin": (
        answer_post(headers=lambda r: {"Origin": None, "Referer": f"https://{EVIL}/"}),
        {403},
    ),
    "tampered-session-cookie": (
        answer_post(
            headers=lambda r: {
                "Cookie": r.cookie(sessionid=r.client.cookies["sessionid"][:-1] + "_")
            }
        ),
        {403},
    ),
    "garbage-session-cookie": (
        answer_post(headers=lambda r: {"Cookie": r.cookie(sessionid='"<script>\\";--')}),
        {403},
    ),
    "unknown-session": (
        answer_post(headers=lambda r: {"Cookie": r.cookie(sessionid="a" * 32)}),
        {403},
    ),
    "put-instead-of-post": (answer_post(method="PUT"), {405}),
    "confirm-review-with-questions-unanswered": (
        answer_post(path=lambda r: "/questionnaire/review/"),
        {409},
    ),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_tampered_answers_are_refused(reader, case):
    run, expected = TAMPERING[case]
    assert_not_a_server_error(run(reader), expected)


def test_a_browser_whose_run_is_gone_changes_nothing(stack, reader, orphan):
    form = reader.form(csrfmiddlewaretoken=orphan.cookies["csrftoken"])
    response = send(stack, "POST", reader.next_url, browser_headers(stack, orphan), form_body(form))
    assert_not_a_server_error(response, {403})
    assert "find your answers" in response.text


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_readers_results_cannot_be_deleted(stack, reader, finished, method):
    body = form_body({"csrfmiddlewaretoken": reader.client.cookies["csrftoken"]})
    response = send(
        stack,
        method,
        finished + "delete/",
        reader.headers() if method == "POST" else page_headers(stack, reader.client),
        body if method == "POST" else b"",
    )
    assert_not_a_server_error(response, {403})


# --- 4. Bodies Django has to decode ---------------------------------------------------


def body(make_body, **header_changes):
    """A POST of `make_body(reader)` to her next question, with changed headers."""
    return lambda r: (r.headers(**header_changes), make_body(r))


def charset(parameter: str):
    """Her valid answer, declared in an odd charset."""
    content_type = f"application/x-www-form-urlencoded; {parameter}"
    return body(lambda r: form_body(r.form()), Content_Type=content_type)


def with_raw_choice(raw: bytes):
    return body(lambda r: form_body(r.form(choice=None)) + b"&choice=" + raw)


def valid_plus(extra: bytes):
    return body(lambda r: form_body(r.form()) + extra)


def in_multipart(content_type: str, boundary="hostile-boundary", cut=0):
    """A form (with an answer to another question) as multipart, in odd framing."""

    def make(r):
        data = multipart(r.form(choice=str(r.foreign_choice)), boundary=boundary)
        return data[: len(data) - cut]

    return body(make, Content_Type=content_type)


def lying_length(length: str):
    return body(lambda r: form_body(r.form()), Content_Length=length)


# name: (headers and body, right statuses, options for sending)
BODIES = {
    "charset-nonexistent": (charset("charset=nonexistent"), {400}, {}),
    "charset-rot13": (charset("charset=rot13"), {400}, {}),
    "charset-empty": (charset("charset="), {400}, {}),
    "charset-utf-16-on-url-encoded-ascii": (charset("charset=utf-16"), {400}, {}),
    "charset-latin-1-on-a-url-encoded-form": (charset("charset=iso-8859-1"), {400}, {}),
    "charset-idna": (charset("charset=idna"), {400}, {}),
    "charset-punycode": (charset("charset=punycode"), {400}, {}),
    "charset-undefined": (charset("charset=undefined"), {400}, {}),
    "charset-rfc2231-naming-idna": (charset("charset*=utf-8''idna"), {400}, {}),
    "charset-rfc2231-in-an-unknown-encoding": (charset("charset*=nonexistent''%41"), {400}, {}),
    "multipart-charset-idna": (
        in_multipart("multipart/form-data; boundary=hostile-boundary; charset=idna"),
        {400},
        {},
    ),
    "invalid-utf-8-percent-encoded": (with_raw_choice(b"%FF%FE%C0%AF"), {400}, {}),
    "invalid-utf-8-raw-bytes": (with_raw_choice(b"\xff\xfe\xc0\xaf"), {400}, {}),
    "nul-percent-encoded-in-a-value": (with_raw_choice(b"1%002"), {400}, {}),
    "nul-raw-in-a-value": (with_raw_choice(b"1\x002"), {400}, {}),
    "nul-in-a-field-name": (with_raw_choice(b"1&%00=1&choice%00=2"), {400}, {}),
    "body-over-512-kib": (valid_plus(b"&pad=" + b"x" * (600 * 1024)), {400}, {}),
    "too-many-fields": (valid_plus(b"".join(b"&f%d=1" % n for n in range(450))), {400}, {}),
    "content-length-larger-than-the-body": (
        lying_length("4000"),
        {400},
        {"content_length": False, "half_close": True},
    ),
    "content-length-smaller-than-the-body": (
        lying_length("30"),
        {403},
        {"content_length": False},
    ),
    "content-length-of-a-terabyte": (
        lying_length(str(10**12)),
        {400},
        {"content_length": False, "half_close": True},
    ),
    "content-length-negative": (lying_length("-1"), {400}, {"content_length": False}),
    "content-length-twice": (
        body(lambda r: form_body(r.form()), Content_Length=b"5\r\nContent-Length: 6"),
        {400},
        {"content_length": False},
    ),
    "content-length-and-chunked": (
        body(lambda r: form_body(r.form()), Transfer_Encoding="chunked"),
        {400},
        {},
    ),
    "repeated-choice": (
        body(lambda r: form_body(r.form(choice=[str(pk) for pk in r.next_choices[:2]]))),
        {400},
        {},
    ),
    "repeated-revision-stale-one-last": (
        body(lambda r: form_body(r.form(revision=[str(r.revision), str(r.revision - 1)]))),
        {400},
        {},
    ),
    "repeated-revision-stale-one-first": (
        body(lambda r: form_body(r.form(revision=[str(r.revision - 1), str(r.revision)]))),
        {400},
        {},
    ),
    "multipart-without-a-boundary": (in_multipart("multipart/form-data"), {400}, {}),
    "multipart-empty-boundary": (in_multipart("multipart/form-data; boundary="), {400}, {}),
    "multipart-boundary-of-300-characters": (
        in_multipart("multipart/form-data; boundary=" + "b" * 300, boundary="b" * 300),
        {400},
        {},
    ),
    "multipart-boundary-not-in-the-body": (
        in_multipart("multipart/form-data; boundary=declared", boundary="different"),
        {403},
        {},
    ),
    "multipart-quoted-boundary-with-specials": (
        in_multipart(
            'multipart/form-data; boundary="a\'()+_,-./:=? b"', boundary="a'()+_,-./:=? b"
        ),
        {400},
        {},
    ),
    "multipart-unterminated": (
        in_multipart("multipart/form-data; boundary=cut", boundary="cut", cut=30),
        {400},
        {},
    ),
}


@pytest.mark.parametrize("case", BODIES)
def test_odd_bodies_get_a_4xx_and_change_nothing(stack, reader, case):
    make, expected, options = BODIES[case]
    headers, data = make(reader)
    content_length = options.get("content_length", True)
    request = build("POST", reader.next_url, headers, data, content_length=content_length)
    response = exchange(stack, request, "POST", half_close=options.get("half_close", False))
    assert_not_a_server_error(response, expected)


# --- 5. Addresses Django has to decode ------------------------------------------------


# name: (request target, with {q} for the reader's next question id; right statuses)
ADDRESSES = {
    "invalid-utf-8-percent-encoded-in-the-query": (
        b"/questionnaire/question/{q}/?from=%FF%C0%AF",
        {200},
    ),
    "invalid-utf-8-raw-in-the-query": (b"/questionnaire/question/{q}/?from=\xff\xfe", {400}),
    "nul-percent-encoded-in-the-query": (b"/questionnaire/question/{q}/?from=review%00", {200}),
    "nul-raw-in-the-query": (b"/questionnaire/question/{q}/?from=\x00", {400}),
    "nul-percent-encoded-in-the-path": (b"/questionnaire/question/{q}%00/", {404}),
    "nul-raw-in-the-path": (b"/questionnaire/question/\x00/", {400}),
    "invalid-utf-8-in-the-path": (b"/questionnaire/question/%FF/", {404}),
    "too-many-query-fields": (
        b"/questionnaire/question/{q}/?" + b"&".join(b"f%d=1" % n for n in range(450)),
        {400},
    ),
    "media-dot-dot": (b"/media/../config/settings.py", {400}),
    "media-encoded-dot-dot": (b"/media/..%2F..%2Fconfig%2Fsettings.py", {400}),
    "media-encoded-dots": (b"/media/%2e%2e/%2e%2e/etc/passwd", {400}),
    "media-nul": (b"/media/article-images/%00.png", {404}),
    "static-encoded-dot-dot": (b"/static/..%2F..%2Fconfig%2Fsettings.py", {404}),
}


@pytest.mark.parametrize("case", ADDRESSES)
def test_odd_addresses_get_no_server_error(stack, reader, case):
    target, expected = ADDRESSES[case]
    question_id = reader.next_url.split("/")[-2].encode()
    response = send(
        stack, "GET", target.replace(b"{q}", question_id), page_headers(stack, reader.client)
    )
    assert_not_a_server_error(response, expected)
    assert b"SECRET_KEY" not in response.body and b"root:" not in response.body


# --- 6. Forged Host headers and absolute request targets -------------------------------


# This site by another allowed name, localhost:port, filled in at run time. (Not 127.0.0.1:
# Django logs a refused Host header in full, and the server log must hold no addresses.)
HERE = "{here}"
# name: (method, request target, header changes, right statuses)
HOSTS = {
    "evil-host": ("GET", "/", {"Host": EVIL}, {400}),
    "evil-host-with-a-port": ("GET", "/", {"Host": f"{EVIL}:443"}, {400}),
    "host-with-userinfo": ("GET", "/", {"Host": f"{HERE}@{EVIL}"}, {400}),
    "host-list": ("GET", "/", {"Host": f"{HERE}, {EVIL}"}, {400}),
    "empty-host": ("GET", "/", {"Host": ""}, {400}),
    "evil-host-on-the-https-redirect": (
        "GET", "/", {"Host": EVIL, "X-Forwarded-Proto": "http"}, {400}
    ),
    "evil-host-on-a-login-post": ("POST", "/admin/login/", {"Host": EVIL}, {400}),
    "x-forwarded-host-is-ignored": ("GET", "/", {"X-Forwarded-Host": EVIL}, {200}),
    "absolute-uri-naming-evil": ("GET", f"http://{EVIL}/", {}, {200}),
    "absolute-uri-and-host-naming-evil": ("GET", f"http://{EVIL}/", {"Host": EVIL}, {400}),
    "absolute-uri-with-userinfo": ("GET", f"https://{HERE}@{EVIL}/", {}, {200}),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTS)
def test_forged_hosts_never_reach_a_page(stack, case):
    method, target, changes, expected = HOSTS[case]
    here = f"localhost:{urlsplit(stack.url).port}"
    changes = {name: value.replace(HERE, here) for name, value in changes.items()}
    if method == "GET":
        headers = page_headers(stack, **changes)
    else:
        headers = browser_headers(stack, **changes)
    response = send(
        stack, method, target.replace(HERE, here), headers, b"x=1" if method == "POST" else b""
    )
    assert_not_a_server_error(response, expected)
    assert EVIL.encode() not in response.body
    assert EVIL not in (response.header("Location") or "")


# --- 7. Where a login sends the editor next --------------------------------------------


NEXT_URLS = {
    "protocol-relative": f"//{EVIL}/",
    "absolute-https": f"https://{EVIL}/",
    "slash-backslash": f"/\\{EVIL}",
    "backslashes": f"\\\\{EVIL}",
    "javascript": "javascript:alert(document.cookie)",
    "data-url": "data:text/html,<script>alert(1)</script>",
    "scheme-without-slashes": f"https:{EVIL}",
    "triple-slash": f"///{EVIL}",
    "tab-between-slashes": f"/\t/{EVIL}",
    "leading-space": f" //{EVIL}",
    "this-site-as-userinfo": f"https://127.0.0.1@{EVIL}/",
    "encoded-slashes": f"/%2F%2F{EVIL}",
}


@pytest.mark.parametrize("case", NEXT_URLS)
def test_a_login_never_redirects_off_the_site(stack, case):
    client = stack.client()
    response = log_in(client, NEXT_URLS[case])
    assert_not_a_server_error(response, {302})
    assert "sessionid" in client.cookies, "the login itself failed"
    location = response.header("Location")
    # Read the address as a browser does: tabs and newlines dropped, "\" taken for "/".
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00 ").replace("\\", "/")
    target = urlsplit(urljoin(f"https://{host_of(stack)}/admin/login/", cleaned))
    assert (target.scheme, target.netloc) == ("https", host_of(stack)), location


# --- 8. Guessed and malformed result tokens --------------------------------------------


TOKENS = {
    "random-43-characters": lambda: secrets.token_urlsafe(32),
    "42-characters": lambda: secrets.token_urlsafe(32)[:42],
    "44-characters": lambda: secrets.token_urlsafe(33)[:44],
    "path-traversal": lambda: "../../../../etc/passwd",
    "encoded-path-traversal": lambda: "..%2F..%2F..%2Fetc%2Fpasswd",
    "unicode-43-characters": lambda: quote("é" * 43),
    "fullwidth-letters": lambda: quote("Ａ" * 43),
    "nul-inside": lambda: "A" * 42 + "%00",
    "sql-quotes": lambda: quote("A' OR '1'='1") + "A" * 31,
    "3000-characters": lambda: "A" * 3000,
    "6000-characters": lambda: "A" * 6000,
}


@pytest.mark.parametrize("page", ["", "delete/"], ids=["result", "delete"])
@pytest.mark.parametrize("case", TOKENS)
def test_guessed_and_malformed_tokens_find_nothing(stack, case, page):
    target = f"/results/{TOKENS[case]()}/{page}"
    response = send(stack, "GET", target, page_headers(stack))
    assert_not_a_server_error(response, {404} if len(target) < 4000 else {414})


def test_an_unfinished_run_has_no_result_page(stack, reader):
    for target in (f"/results/{reader.token}/", f"/results/{reader.token}/delete/"):
        assert_not_a_server_error(stack.client().get(target), {404})
