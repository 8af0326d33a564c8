"""Readers taking the questionnaire over HTTP, as a browser would (CSRF token, revision,
cookies): the completed runs, open runs and step page that `make bench` measures.

The servers close every connection, so the client opens one per request.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import http.cookies
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from knobs import COMPLETED_SESSIONS, POOL_SESSIONS, say


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
CHOICE = re.compile(r'<input[^>]*\bname="choice"[^>]*>')
VALUE = re.compile(r'\bvalue="([^"]+)"')


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise RuntimeError(f"{what}: expected {status}, got {response.status}")
    return response


@dataclass
class OpenQuestion:
    browser: Browser
    path: str
    csrf: str
    revision: int
    choices: list[str]


def start_questionnaire(port: int) -> tuple[Browser, str]:
    browser = Browser(port)
    # /questionnaire/ leads to the front-page article's questionnaire, at its own address.
    start = expect(browser.request("GET", "/questionnaire/"), 302, "the questionnaire").location
    page = expect(browser.request("GET", start), 200, "questionnaire start page")
    # A newcomer's start page is one page for all, without a form token (quiz/views.py).
    token = CSRF.search(page.body)
    started = expect(
        browser.request("POST", start, {"csrfmiddlewaretoken": token.group(1)} if token else {}),
        302,
        "starting the questionnaire",
    )
    return browser, started.location


def open_question(browser: Browser, path: str) -> OpenQuestion:
    page = expect(browser.request("GET", path), 200, f"question page {path}")
    choices = [VALUE.search(tag).group(1) for tag in CHOICE.findall(page.body)]
    return OpenQuestion(
        browser,
        path,
        CSRF.search(page.body).group(1),
        int(REVISION.search(page.body).group(1)),
        choices,
    )


def answer(question: OpenQuestion, choice: str) -> Response:
    return question.browser.request(
        "POST",
        question.path,
        {
            "csrfmiddlewaretoken": question.csrf,
            "revision": question.revision,
            "choice": choice,
        },
    )


def complete_questionnaire(port: int, seed: int) -> str:
    """A whole run with random answers, as a reader would; returns the result page path."""
    rng = random.Random(seed)
    browser, path = start_questionnaire(port)
    while "/question/" in path:
        question = open_question(browser, path)
        response = answer(question, rng.choice(question.choices))
        if response.status != 302:  # an answer that needs another (e.g. exclusive choices)
            response = expect(answer(question, question.choices[0]), 302, f"answering {path}")
        path = response.location
    review = expect(browser.request("GET", path), 200, "review page")
    token = CSRF.search(review.body).group(1)
    done = expect(
        browser.request("POST", path, {"csrfmiddlewaretoken": token}), 302, "See my results"
    )
    return done.location


def pool_entry(port: int) -> OpenQuestion:
    """A questionnaire opened at its first question, for the answer POSTs."""
    browser, path = start_questionnaire(port)
    return open_question(browser, path)


def parallel(function, arguments, workers: int = 4) -> list:
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, arguments))


def prepare_sessions(port: int, out: Path) -> dict:
    say(f"driving the questionnaire over HTTP: {COMPLETED_SESSIONS} completed runs")
    results = parallel(lambda seed: complete_questionnaire(port, seed), range(COMPLETED_SESSIONS))
    (out / "result-paths.txt").write_text("\n".join(results) + "\n")
    # The same results in Spanish: a result's address in the other language (issue 12).
    (out / "result-paths-es.txt").write_text("".join(f"/es{path}\n" for path in results))

    step = step_page(port)
    say(f"opening {POOL_SESSIONS} questionnaires for the answer POSTs")
    pool = parallel(lambda _: pool_entry(port), range(POOL_SESSIONS))
    return {"results": results, "step": step, "pool": pool}


def step_page(port: int) -> dict:
    """The questionnaire step page of a reader who answered the first question: its path,
    and the cookie that opens it."""
    first = pool_entry(port)
    moved = expect(answer(first, first.choices[0]), 302, "first answer")
    step = {"path": moved.location, "cookie": first.browser.cookie_header}
    expect(first.browser.request("GET", step["path"]), 200, "questionnaire step")
    return step


def write_pool(pool: list[OpenQuestion], path: Path, port: int) -> None:
    """Each open questionnaire's current revision, read back from its page."""

    def refresh(entry: OpenQuestion) -> str:
        entry.browser.port = port
        page = expect(entry.browser.request("GET", entry.path), 200, "pool question")
        revision = REVISION.search(page.body).group(1)
        return "\t".join(
            [entry.browser.cookie_header, entry.path, entry.csrf, revision, entry.choices[0]]
        )

    # When wrk stops, the answers it sent that are still queued on the listen socket are
    # still taken and answered by gunicorn. Read until two passes agree: the queue is empty.
    previous = None
    for _ in range(30):
        lines = parallel(refresh, pool)
        if lines == previous:
            break
        previous = lines
        time.sleep(0.2)
    path.write_text("\n".join(lines) + "\n")
