"""Nothing an editor's browser sends, nor a scanner logged in as an editor, gets a 5xx from
admin: the crawl a scanner did, over HTTP, against gunicorn with the production settings.

It runs on a server of its own, seeded like `make run` (a copy of the content): the crawl
saves every form it finds, reverts rows to old versions, restores deleted rows and
publishes, and the other stack tests (in any order) expect the shared server's content as
seeded. Before it, a reader completes the questionnaire (so sessions and answers have pages)
and an editor deletes a question, so deleted rows, their history and "Deleted ..." pages
are there to see.

1. Every admin link reachable from /admin/ is fetched, once per kind of page: a number in
   the address stands for any row (and a row of the deleted question for any deleted
   row), a query string for any values of the same parameters. That keeps the crawl to
   about 500 pages and a minute, and still reaches every page admin has, the history of
   live and of deleted rows included.
2. Each page is opened again and every form on it sent back with its own values, as the
   page shows them (delete boxes unticked), with the button Enter would press; all but
   logging out and confirming a deletion.
"""

import re
from collections import deque
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest

from .conftest import fresh_stack
from .editors import Page, log_in
from .hostile.readers import CATALOGUE, Catalogue, finish_questionnaire

pytestmark = pytest.mark.timeout(300)

DELETED_QUESTION = "Where do things stand"
# Twice the kinds of page admin has (about 500, list filters' combinations included): a
# crawl that does not end fails.
MAX_PAGES = 1000

DELETED_ROWS = f"""
from quiz.models import Choice, ChoiceRule, Question
question = Question.objects.get(text__startswith={DELETED_QUESTION!r})
result = {{
    "quiz/question": [question.pk],
    "quiz/choice": list(Choice.objects.filter(question=question).values_list("pk", flat=True)),
    "quiz/choicerule": list(
        ChoiceRule.objects.filter(choice__question=question).values_list("pk", flat=True)
    ),
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with fresh_stack(tmp_path_factory.mktemp("admin-crawl")) as stack:
        yield stack


@pytest.fixture(scope="module")
def editor(site):
    client = site.client()
    assert log_in(client, "/admin/").status == 302
    return client


@pytest.fixture(scope="module")
def deleted(site, editor) -> dict[str, set[int]]:
    """Ids of the question an editor deleted in admin, its answers and their rules, by
    model ("quiz/choice"), after a reader completed the questionnaire."""
    finish_questionnaire(site, Catalogue(site.query(CATALOGUE)))
    rows = {model: set(ids) for model, ids in site.query(DELETED_ROWS).items()}
    [question] = rows["quiz/question"]
    address = f"/admin/quiz/question/{question}/delete/"
    assert editor.get(address).status == 200
    confirmed = editor.post(address, {"csrfmiddlewaretoken": editor.csrf_token(), "post": "yes"})
    assert confirmed.status == 302
    return rows


def kind_of(address: str, deleted: dict[str, set[int]]) -> str:
    """What a page is, whatever row it shows: /admin/quiz/choice/N/history/?p."""
    parts = urlsplit(address)
    segments = parts.path.strip("/").split("/")
    model = "/".join(segments[1:3])
    kind = [
        ("D" if index == 3 and int(segment) in deleted.get(model, ()) else "N")
        if segment.isdigit()
        else segment
        for index, segment in enumerate(segments)
    ]
    names = sorted(parse_qs(parts.query, keep_blank_values=True))
    return "/".join(kind) + "?" + "&".join(names)


def admin_address(base: str, href: str, host: str) -> str | None:
    """The admin page a link leads to on this site, or None (elsewhere, or logging out)."""
    target = urlsplit(urljoin(base, href))
    if target.netloc not in ("", host) or not target.path.startswith("/admin/"):
        return None
    if target.path == "/admin/logout/":
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def is_html(response) -> bool:
    return (response.header("Content-Type") or "").startswith("text/html")


class Crawl:
    def __init__(self, editor, host: str, deleted: dict[str, set[int]]):
        self.editor = editor
        self.host = host
        self.deleted = deleted
        self.pages: list[str] = []  # each kind of page once, in the order first reached
        self.with_forms: list[str] = []  # those with a form to send
        self.forms = 0
        self.answers: list[tuple[str, str, int]] = []  # method, address, status

    def fetch(self, method: str, address: str, data=None):
        response = self.editor.post(address, data) if method == "POST" else self.editor.get(address)
        self.answers.append((method, address, response.status))
        return response

    def follow_links(self, start: str = "/admin/") -> None:
        kinds, queue = set(), deque([start])
        while queue and len(self.pages) < MAX_PAGES:
            address = queue.popleft()
            kind = kind_of(address, self.deleted)
            if kind in kinds:
                continue
            kinds.add(kind)
            self.pages.append(address)
            response = self.fetch("GET", address)
            if response.status == 200 and is_html(response):
                page = Page(response.text)
                for href in page.links:
                    target = admin_address(address, href, self.host)
                    if target is not None:
                        queue.append(target)
                if any(self.target_of(address, form) for form in page.forms):
                    self.with_forms.append(address)
        assert not queue or len(self.pages) < MAX_PAGES, "the crawl did not end"

    def target_of(self, address: str, form) -> str | None:
        """Where the crawl sends a form: not to log out, not to confirm a deletion (the
        scanner's mistake, not ours to repeat)."""
        if urlsplit(address).path.endswith("/delete/"):
            return None
        return admin_address(address, form.action or address, self.host)

    def send_forms(self) -> None:
        for address in self.with_forms:
            page = self.editor.get(address)  # as it is now, after the forms sent before
            if page.status != 200 or not is_html(page):
                continue
            for form in Page(page.text).forms:
                target = self.target_of(address, form)
                if target is None:
                    continue
                fields = [
                    (name, value)
                    for name, value in form.fields
                    if "__prefix__" not in name and not re.search(r"(^|-)DELETE$", name)
                ]
                if form.button is not None:
                    fields.append(form.button)
                self.forms += 1
                if form.method == "post":
                    self.fetch("POST", target, fields)
                else:
                    joined = "&" if "?" in target else "?"
                    self.fetch("GET", target + joined + urlencode(fields))

    def server_errors(self) -> list[tuple[str, str, int]]:
        return [answer for answer in self.answers if answer[2] >= 500]


def test_an_editor_crawling_all_of_admin_and_sending_every_form_gets_no_server_error(
    site, editor, deleted
):
    crawl = Crawl(editor, urlsplit(site.url).netloc, deleted)
    crawl.follow_links()
    crawl.send_forms()

    kinds = {kind_of(address, deleted) for address in crawl.pages}
    # What the crawl must have reached to mean anything: deleted rows and their history.
    for expected in (
        "admin/quiz/question/deleted?",
        "admin/quiz/choice/D/history?",
        "admin/quiz/choicerule/D/history/N?",
        "admin/quiz/quizsession/N/change?",
        "admin/quiz/questionnaire/N/simulator?",
        "admin/advice/release/add?",
    ):
        assert expected in kinds, expected
    # Its Restore button was among the forms: the deleted question came back.
    assert ("POST", "/admin/quiz/question/deleted/", 302) in crawl.answers
    print(
        f"\nadmin crawl: {len(crawl.pages)} kinds of page, {crawl.forms} forms sent, "
        f"{len(crawl.answers)} requests, {len(crawl.server_errors())} answered 5xx"
    )
    assert crawl.server_errors() == []
